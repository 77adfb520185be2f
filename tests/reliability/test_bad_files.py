"""The bad-files folder (tests/data/bad/): each file gives its one-line message, naming the file.

tests/data/bad/EXPECTED.yaml lists every file with the message it must give. Each case is run
through the library and through the CLI (`kompass ingest` or `kompass check`): exit code 1, the
message on stderr, no traceback, nothing written, and no YAML tag ever executed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.errors import IngestError
from kompass_search.ingest import ingest_path
from kompass_search.model import embed
from kompass_search.model.fake import HashingEmbedder
from kompass_search.validate import check_corpus

from ._support import ROOT

BAD = ROOT / "tests" / "data" / "bad"
CASES: list[dict[str, Any]] = yaml.safe_load((BAD / "EXPECTED.yaml").read_text(encoding="utf-8"))[
    "cases"
]
PWNED = Path("/tmp/kompass-pwned")  # what python-tag.yaml would create if it were executed

# The failure modes issue 6 asks the folder to hold, by the file that holds each.
REQUIRED = {
    "a PDF that is no evaluation": "not-a-report.pdf",
    "an encrypted PDF": "encrypted.pdf",
    "a zero-byte file": "empty.txt",
    "a binary file": "binary.bin",
    "UTF-16 text": "utf16.txt",
    "Latin-1 text": "latin1.txt",
    "truncated YAML": "truncated.yaml",
    "YAML with !!python/object tags": "python-tag.yaml",
    "a score above its max": "score-above-max.yaml",
    "a duplicate evaluation": "duplicate-b.yaml",
    "an unknown template": "unknown-template.yaml",
    "a missing area": "missing-area.yaml",
    "an area number out of range": "area-out-of-range.yaml",
}
runner = CliRunner()


def _id(case: dict[str, Any]) -> str:
    return str(case["file"])


def _expect(case: dict[str, Any]) -> str:
    expect = str(case["expect"])
    if expect.strip().upper() == "TODO":
        pytest.fail(
            f"tests/data/bad/EXPECTED.yaml: fill in the expected message for {case['file']}"
        )
    return expect


def _one_error_line(stderr: str, paths: list[Path], expect: str) -> str:
    """The error line with ``expect``; it names one of ``paths`` (a duplicate names the second)."""
    assert "Traceback" not in stderr
    heads = tuple(f"error: {p}: " for p in paths)
    matching = [ln for ln in stderr.splitlines() if ln.startswith(heads) and expect in ln]
    assert matching, f"no line 'error: {paths[0]}: ...{expect}...' in:\n{stderr}"
    return matching[0]


def test_every_file_has_an_expectation_and_every_failure_mode_a_file() -> None:
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.yaml"}
    assert listed == on_disk, (
        f"not listed: {on_disk - listed}; listed, not on disk: {listed - on_disk}"
    )
    missing = {mode: f for mode, f in REQUIRED.items() if f not in listed}
    assert not missing, f"failure modes without a file: {missing}"
    assert {c["kind"] for c in CASES} <= {"ingest", "corpus"}


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "ingest"], ids=_id)
def test_bad_report_library(case: dict[str, Any]) -> None:
    path = BAD / case["file"]
    with pytest.raises(IngestError) as info:
        ingest_path(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert _expect(case) in message


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "ingest"], ids=_id)
def test_bad_report_cli(case: dict[str, Any], tmp_path: Path) -> None:
    path = BAD / case["file"]
    out = tmp_path / "corpus"
    result = runner.invoke(app, ["ingest", str(path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr  # exactly one line
    _one_error_line(result.stderr, [path], _expect(case))
    assert not out.exists() or not any(out.rglob("*")), "a failed ingest wrote files"


def _names(case: dict[str, Any]) -> list[str]:
    return [case["file"], *case.get("with", [])]


def _corpus_of(case: dict[str, Any], tmp: Path) -> Path:
    folder = tmp / "corpus"
    folder.mkdir()
    for name in _names(case):
        shutil.copy(BAD / name, folder / name)
    return folder


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "corpus"], ids=_id)
def test_bad_corpus_file_library(case: dict[str, Any], tmp_path: Path) -> None:
    PWNED.unlink(missing_ok=True)
    folder = _corpus_of(case, tmp_path)
    problems = check_corpus(folder)
    targets = {str(folder / name) for name in _names(case)}
    errors = [p for p in problems if p.level == "error" and p.file in targets]
    assert any(_expect(case) in p.message for p in errors), problems
    assert all("\n" not in str(p) for p in problems)
    assert not PWNED.exists(), "a YAML tag was executed"


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "corpus"], ids=_id)
def test_bad_corpus_file_cli(case: dict[str, Any], tmp_path: Path) -> None:
    PWNED.unlink(missing_ok=True)
    folder = _corpus_of(case, tmp_path)
    before = {p: p.read_bytes() for p in folder.iterdir()}
    result = runner.invoke(app, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    _one_error_line(result.stderr, [folder / n for n in _names(case)], _expect(case))
    assert "1 error(s)" in result.stdout, result.stdout  # each file carries exactly one error
    assert {p: p.read_bytes() for p in folder.iterdir()} == before, "check changed the corpus"
    assert not PWNED.exists(), "a YAML tag was executed"


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["kind"] == "corpus" and not c.get("with")],
    ids=_id,
)
def test_bad_corpus_file_alone_cli(case: dict[str, Any]) -> None:
    """`kompass check FILE` on the file in place, as a user would run it."""
    path = BAD / case["file"]
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    _one_error_line(result.stderr, [path], _expect(case))


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "corpus"], ids=_id)
def test_index_refuses_a_corpus_with_a_bad_file(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kompass index` stops at the bad file with the same one line as `check` (DESIGN: bad input
    gets a one-line error naming the file, exit 1), instead of indexing a score of 112 or an
    unknown template that search, top and gaps then show as data."""
    monkeypatch.setattr(embed, "index_embedder", lambda *a, **k: HashingEmbedder(64))
    folder = _corpus_of(case, tmp_path)
    shutil.copy(ROOT / "corpus" / "vannas-2016.yaml", folder / "vannas-2016.yaml")
    index = tmp_path / "index"
    result = runner.invoke(app, ["index", str(folder), "--out", str(index)])
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    _one_error_line(result.stderr, [folder / n for n in _names(case)], _expect(case))
    assert not (index / "meta.json").exists()
