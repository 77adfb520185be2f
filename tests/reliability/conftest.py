"""Reliability suite: prints (and with KOMPASS_FUZZ_REPORT=FILE writes) the inputs each property test ran."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ._procs import Corpora, build, make_corpora, search_json, snapshot
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


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Corpora:
    return make_corpora(tmp_path_factory.mktemp("corpora"))


@pytest.fixture(scope="module")
def expected(corpora: Corpora, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Snapshots of A's and B's indexes built without interruption, for comparison."""
    tmp = tmp_path_factory.mktemp("reference")
    build(corpora.a, tmp / "a" / "index")
    build(corpora.b, tmp / "b" / "index")
    return {
        "A": snapshot(tmp / "a" / "index", corpora.a),
        "B": snapshot(tmp / "b" / "index", corpora.b),
        "A-cli": search_json(tmp / "a" / "index", corpora.a, "synpunktshantering"),
    }
