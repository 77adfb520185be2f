"""Hostile queries through the CLI: each gives results or one line on stderr with exit 1, never a traceback.

In-process through CliRunner (the fake HashingEmbedder patched in), plus the same cases from a
real shell through fake_kompass.py, where argv encoding and the process exit code are real.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.corpus import load_corpus
from kompass_search.index import build as indexer
from kompass_search.ingest import ingest_path, write_result
from kompass_search.model import embed
from kompass_search.model.fake import HashingEmbedder

from ._procs import kompass
from ._support import ROOT

runner = CliRunner()
LONG = "hur arbetar kommunen med synpunktshantering och klagomål " * 180  # ~10 kB


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped corpus plus the two fictional reports (a Norwegian one), indexed with the fake."""
    tmp = tmp_path_factory.mktemp("queries")
    corpus, index = tmp / "corpus", tmp / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    for report in sorted((ROOT / "tests" / "data" / "reports").glob("*.txt")):
        write_result(ingest_path(report), corpus)
    indexer.build_index(load_corpus(corpus), index, HashingEmbedder(64), corpus=corpus)
    return corpus, index


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(embed, "index_embedder", lambda *a, **k: HashingEmbedder(64))
    monkeypatch.setattr(embed, "query_embedder", lambda *a, **k: HashingEmbedder(64))
    monkeypatch.setattr(embed, "configured_model_id", lambda _config: "fake-hashing-64")
    yield


def _check(code: int, out: str, err: str, *, expect_error: str | None = None) -> None:
    """A result (exit 0, something on stdout) or one line `error: ...` on stderr and exit 1."""
    assert "Traceback" not in out + err, err
    if expect_error is not None or code != 0:
        assert code == 1, (code, out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert len(lines[0]) < 400, f"error line of {len(lines[0])} characters"
        if expect_error is not None:
            assert expect_error in lines[0], lines[0]
    else:
        assert out.strip(), "exit 0 but nothing on stdout"


def _invoke(args: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, args)
    error = result.exception
    assert error is None or isinstance(error, SystemExit), repr(error)
    return result.exit_code, result.stdout, result.stderr


QUERIES = {
    "empty": ("", "empty query"),
    "whitespace": (" \t\n  ", "empty query"),
    "10 kB": (LONG, "characters long; keep it under"),
    "emoji": ("😀🎉👩‍👩‍👧 🇸🇪", None),
    "stopwords only": ("och att det som en på i", None),
    "stopwords only (no)": ("og i det som er på", None),
    "mixed scripts": ("Ελλάδα synpunktshantering 東京 Москва دمشق", None),
    "control characters": ("synpunkts\x07hantering\x1b[31m\x0b", None),
    "right-to-left override": ("\u202esynpunktshantering\u202c", None),
    "zero-width": ("\u200b\u200c\ufeff", None),
    "quotes and operators": ('"synpunkt*" AND (NOT x) OR 1=1 --', None),
    "leading dash": ("-- --top", None),
}


@pytest.mark.parametrize("case", list(QUERIES), ids=list(QUERIES))
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_query(case: str, mode: str, data: tuple[Path, Path], fake_model: None) -> None:
    corpus, index = data
    q, expect = QUERIES[case]
    args = ["search", "--corpus", str(corpus), "--index", str(index), "--mode", mode, "--top", "3"]
    code, out, err = _invoke([*args, "--", q])
    _check(code, out, err, expect_error=expect)
    code, out, err = _invoke([*args, "--json", "--", q])
    _check(code, out if code else out or "[]", err, expect_error=expect)


NOTHING = {
    "years without evaluations": ["--year", "1990-1991"],
    "area score above everyone's": ["--min-area-score", "100"],
    "Norway in a Swedish template": ["--country", "NO", "--template", "skl-2010"],
    "no summaries in area 8 of 2012": [
        "--area",
        "8",
        "--kind",
        "summary",
        "--year",
        "2012",
        "--country",
        "SE",
    ],
    "subquestion score on summaries": ["--min-subquestion-score", "0", "--kind", "summary"],
}


@pytest.mark.parametrize("case", list(NOTHING), ids=list(NOTHING))
@pytest.mark.parametrize("grouped", [False, True], ids=["hits", "grouped"])
def test_filters_that_match_nothing(
    case: str, grouped: bool, data: tuple[Path, Path], fake_model: None
) -> None:
    corpus, index = data
    args = ["search", "synpunktshantering", "--corpus", str(corpus), "--index", str(index)]
    args += [*NOTHING[case], *(["--group"] if grouped else [])]
    code, out, err = _invoke(args)
    _check(code, out, err)
    if code == 0:
        assert "no passages match" in out
    code, out, err = _invoke([*args, "--json"])
    assert "Traceback" not in err
    assert code == 1 or out.strip() == "[]", out  # --json: an empty list, not a sentence (#12)


BAD_FILTERS = {
    "score-only municipality": (["--municipality", "Røros"], "no passages in the index"),
    "misspelt municipality": (["--municipality", "Vänäs"], "did you mean Vännäs"),
    "10 kB municipality": (["--municipality", "x" * 10_000], "no passages in the index"),
    "unknown country": (["--country", "DK"], "use one of SE, NO"),
    "backwards years": (["--year", "2016-2010"], "runs backwards"),
    "area 9": (["--area", "9"], "area numbers run from 1 to 8"),
    "superscript area": (["--area", "²"], "--area"),
    "unknown kind": (["--kind", "tips"], "use one of strength"),
    "score above 100": (["--min-area-score", "101"], "scores run from 0 to 100"),
    "unknown mode": (["--mode", "semantic"], "use one of dense, bm25, hybrid"),
}


@pytest.mark.parametrize("case", list(BAD_FILTERS), ids=list(BAD_FILTERS))
def test_bad_filters(case: str, data: tuple[Path, Path], fake_model: None) -> None:
    corpus, index = data
    extra, expect = BAD_FILTERS[case]
    code, out, err = _invoke(
        ["search", "synpunktshantering", "--corpus", str(corpus), "--index", str(index), *extra]
    )
    _check(code, out, err, expect_error=expect)


WHO = {
    "misspelt": ("Vänäs", "did you mean Vännäs"),
    "misspelt (no)": ("Grønvik", "did you mean Grønnvik"),
    "unknown": ("Stockholm", "no evaluation of 'Stockholm'"),
    "empty": ("", "municipality"),
    "whitespace": ("   ", "municipality"),
    "emoji": ("😀", "no evaluation of '😀'"),
    "10 kB": ("x" * 10_000, "no evaluation of"),
    "control characters": ("Vän\x1bnäs", "no evaluation of"),
}


@pytest.mark.parametrize("case", list(WHO), ids=list(WHO))
@pytest.mark.parametrize("command", ["show", "gaps"])
def test_unknown_municipality(
    command: str, case: str, data: tuple[Path, Path], fake_model: None
) -> None:
    corpus, index = data
    name, expect = WHO[case]
    args = [command, "--corpus", str(corpus)] + (
        ["--index", str(index)] if command == "gaps" else []
    )
    code, out, err = _invoke([*args, "--", name])
    _check(code, out, err, expect_error=expect)


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["gaps", "Vännäs:1999"], "no evaluation of Vännäs in 1999; years: 2016"),
        (["gaps", "Røros"], "has only a total score"),
        (["compare", "Vänäs", "Ängsmora"], "did you mean Vännäs"),
        (["compare", "Vännäs", "Vännäs"], "compare two evaluations"),
        (["top", "9"], "area numbers run from 1 to 8"),
        (["top", "😀"], "not an area number"),
    ],
)
def test_other_role_commands(
    args: list[str], expect: str, data: tuple[Path, Path], fake_model: None
) -> None:
    corpus, index = data
    extra = ["--corpus", str(corpus)] + (["--index", str(index)] if args[0] == "gaps" else [])
    code, out, err = _invoke([args[0], *extra, "--", *args[1:]])
    _check(code, out, err, expect_error=expect)


SHELL = [
    (["search", "--", ""], "empty query"),
    (["search", "--", LONG], "characters long"),
    (["search", "--", "😀🎉"], None),
    (["search", "--", "Ελλάδα synpunktshantering 東京"], None),
    (["search", "--year", "1990", "--", "synpunktshantering"], None),
    (["show", "--", "Vänäs"], "did you mean Vännäs"),
    (["gaps", "--", "Vänäs"], "did you mean Vännäs"),
]


@pytest.mark.parametrize(("args", "expect"), SHELL, ids=[" ".join(a)[:40] for a, _ in SHELL])
def test_from_the_shell(args: list[str], expect: str | None, data: tuple[Path, Path]) -> None:
    corpus, index = data
    where = ["--corpus", str(corpus)] + ([] if args[0] == "show" else ["--index", str(index)])
    r = kompass(args[0], *where, *args[1:])
    _check(r.returncode, r.stdout, r.stderr, expect_error=expect)
