"""Start-up stays light: --help, --version and shell completion never import torch or sentence_transformers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("torch", "sentence_transformers", "transformers", "textual")

# Runs the real entry point in a fresh interpreter, then reports which heavy modules got loaded.
DRIVER = """
import json, os, sys
sys.argv[0] = "kompass"  # the program name completion keys on
from kompass_search.cli import main
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(os.environ["HEAVY"])))
print("\\n@@" + json.dumps({"code": code, "heavy": heavy}))
"""


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--help"], {}),
        (["--version"], {}),
        (["search", "--help"], {}),
        (["--show-completion", "bash"], {}),
        ([], {"_KOMPASS_COMPLETE": "complete_bash", "COMP_WORDS": "kompass se", "COMP_CWORD": "1"}),
    ],
    ids=["help", "version", "search-help", "show-completion", "complete"],
)
def test_no_heavy_imports(argv: list[str], env: dict[str, str]) -> None:
    # --show-completion is a flag: typer asks shellingham for the shell of the parent processes,
    # so run under bash (not exec'd: "; exit") whatever runs the tests
    run = subprocess.run(
        ["bash", "-c", '"$@"; exit $?', "bash", sys.executable, "-c", DRIVER, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SHELL": "/bin/bash", "HEAVY": json.dumps(HEAVY), **env},
    )
    report = json.loads(run.stdout.rsplit("@@", 1)[1])
    assert report["code"] in (0, None), run.stderr
    assert report["heavy"] == [], f"{argv or env} imported {report['heavy']}"
    if argv == ["--version"]:
        assert "kompass-search 0.1.0" in run.stdout
    if "_KOMPASS_COMPLETE" in env:
        assert "search" in run.stdout  # completion really answered
