"""Reliability suite: prints (and with KOMPASS_FUZZ_REPORT=FILE writes) the inputs each property test ran."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._support import FAILURES, INPUTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not INPUTS:
        return
    tr = terminalreporter
    tr.section("reliability: inputs per property test")
    for name, n in sorted(INPUTS.items()):
        tr.write_line(f"{name:<44} {n:>6} inputs, {FAILURES[name]:>5} answered by a KompassError")
    tr.write_line(f"{'total':<44} {sum(INPUTS.values()):>6} inputs")
    out = os.environ.get("KOMPASS_FUZZ_REPORT")
    if out:
        Path(out).write_text(
            json.dumps(
                {"inputs": dict(INPUTS), "kompass_errors": dict(FAILURES)}, indent=1, sort_keys=True
            ),
            encoding="utf-8",
        )
