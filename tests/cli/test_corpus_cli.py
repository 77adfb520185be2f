"""CLI: ingest, check and show, including every error path (one line, exit 1, nothing written)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompass_search.cli import app

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_ingest_writes_the_shipped_yaml_and_reports_counts(tmp_path: Path) -> None:
    code, out, err = run("ingest", SOURCE, "--out", tmp_path)
    assert code == 0, err
    assert "8 areas, 45 subquestions, 48 strengths, 38 improvements" in out
    assert "area 2 scores 49 but its score overview row prints 50" in err
    written = tmp_path / "vannas-2016.yaml"
    assert written.read_bytes() == (ROOT / "corpus" / "vannas-2016.yaml").read_bytes()
    assert (tmp_path / "sources" / SOURCE.name).read_bytes() == SOURCE.read_bytes()
    code, out, _ = run("ingest", SOURCE, "--out", tmp_path)
    assert code == 0 and "(unchanged)" in out
    assert written.read_bytes() == (ROOT / "corpus" / "vannas-2016.yaml").read_bytes()


def test_ingest_never_overwrites_a_hand_corrected_file(tmp_path: Path) -> None:
    run("ingest", SOURCE, "--out", tmp_path)
    target = tmp_path / "vannas-2016.yaml"
    edited = target.read_text(encoding="utf-8").replace(
        "Utvecklat medborgardialog", "Utvecklad medborgardialog"
    )
    target.write_text(edited, encoding="utf-8")
    code, out, _ = run("ingest", SOURCE, "--out", tmp_path)
    assert code == 0 and "wrote vannas-2016.yaml.new beside it" in out
    assert target.read_text(encoding="utf-8") == edited
    code, out, _ = run("check", tmp_path)
    assert code == 0, out  # the .new file is not part of the corpus
    code, out, _ = run("ingest", SOURCE, "--out", tmp_path, "--force")
    assert code == 0 and "(replaced)" in out
    assert "Utvecklat medborgardialog" in target.read_text(encoding="utf-8")


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp / "latin1.txt").write_bytes(
        SOURCE.read_text(encoding="utf-8")
        .replace("–", "-")
        .replace("”", '"')
        .encode("latin-1", "replace")
    )
    (tmp / "utf16.txt").write_bytes(SOURCE.read_text(encoding="utf-8").encode("utf-16"))
    (tmp / "prose.txt").write_text(
        "Hej!\n\nDetta är ett brev om en fest på fredag.\n", encoding="utf-8"
    )
    no_scores = "\n".join(
        ln for ln in SOURCE.read_text(encoding="utf-8").splitlines() if "\t" not in ln
    )
    (tmp / "no-scores.txt").write_text(no_scores, encoding="utf-8")
    (tmp / "fake.pdf").write_text("not a pdf", encoding="utf-8")
    (tmp / "no-reports").mkdir()
    (tmp / "no-reports" / "notes.md").write_text("# not a report\n", encoding="utf-8")
    return {
        "missing": (tmp / "nope.txt", "file not found"),
        "empty": (tmp / "empty.txt", "empty file"),
        "binary": (tmp / "binary.txt", "binary data"),
        "latin1": (tmp / "latin1.txt", "not UTF-8 (it looks like Latin-1"),
        "utf16": (tmp / "utf16.txt", "text is UTF-16; save it as UTF-8"),
        "prose": (tmp / "prose.txt", "no Kommunkompassen/Kommunekompasset structure found"),
        "no-scores": (tmp / "no-scores.txt", "no score tables found"),
        "fake-pdf": (tmp / "fake.pdf", "named .pdf but is not a PDF"),
        "folder": (tmp / "no-reports", "no .pdf or .txt reports in this folder"),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "empty", "binary", "latin1", "utf16", "prose", "no-scores", "fake-pdf", "folder"],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, case: str) -> None:
    path, expected = _bad_inputs(tmp_path)[case]
    out = tmp_path / "corpus"
    code, stdout, stderr = run("ingest", path, "--out", out)
    assert code == 1
    assert stderr.count("\n") == 1 and stderr.startswith(f"error: {path}: ")
    assert expected in stderr
    assert "Traceback" not in stderr + stdout
    assert not out.exists() or not any(out.rglob("*.yaml"))


def test_check_shipped_corpus_passes_with_its_known_warnings() -> None:
    code, out, err = run("check", ROOT / "corpus")
    assert code == 0
    assert "0 error(s), 3 warning(s)" in out
    # Kramfors states totals unlike the sum of its stated areas: both figures kept, check warns.
    assert "kramfors-2011.yaml: total: 359 but the area scores add up to 363" in err
    assert "kramfors-2013.yaml: total: 448 but the area scores add up to 447" in err
    assert "vannas-2016.yaml: areas[1].overview" in err


def test_published_corpus_is_the_shared_list() -> None:
    # corpus/ holds every published result (40) plus the ingested Vännäs report
    from kompass_search.corpus import load_corpus

    evals = load_corpus(ROOT / "corpus")
    published = [e for e in evals if e.source.kind == "published"]
    assert len(published) == 40 and len(evals) == 41
    motala = next(e for e in evals if e.slug == "motala-2006")
    assert motala.total == 426.5 and motala.template == "skl-2002"
    hareid = next(e for e in evals if e.slug == "hareid-2019")
    assert [a.score for a in hareid.areas] == [35, 28, 49, 40, 49, 34, 45, 44]
    kramfors = next(e for e in evals if e.slug == "kramfors-2011")
    assert kramfors.total == 359 and sum(a.score or 0 for a in kramfors.areas) == 363


def test_check_errors_exit_1_naming_file_and_field(tmp_path: Path) -> None:
    shutil.copy(ROOT / "corpus" / "vannas-2016.yaml", tmp_path / "vannas-2016.yaml")
    text = (tmp_path / "vannas-2016.yaml").read_text(encoding="utf-8")
    (tmp_path / "vannas-2016.yaml").write_text(
        text.replace("template: skl-2010", "template: skl-1999"), encoding="utf-8"
    )
    (tmp_path / "broken.yaml").write_text("municipality: [unclosed\n", encoding="utf-8")
    code, _out, err = run("check", tmp_path)
    assert code == 1
    assert f"error: {tmp_path / 'vannas-2016.yaml'}: template: unknown template 'skl-1999'" in err
    assert f"error: {tmp_path / 'broken.yaml'}: not valid YAML at line 2" in err
    assert "Traceback" not in err


def test_show_text_and_json() -> None:
    code, out, _ = run("show", "Vännäs")
    assert code == 0
    assert "2. Tillgänglighet och brukarorientering" in out and "█" in out
    assert "Synpunktshanteringssystem inom ex. skola och socialtjänst" in out
    assert "Source: SKL, Kommunkompassen, januari 2016" in out
    code, out, _ = run("show", "vannas", "--year", "2016", "--json")
    data = json.loads(out)
    assert (data["municipality"], data["country"], data["year"], data["template"], data["total"]) == (
        "Vännäs", "SE", 2016, "skl-2010", 460,
    )  # fmt: skip
    assert [a["score"] for a in data["areas"]] == [67, 49, 65, 61, 54, 57, 46, 61]
    assert {
        "number",
        "theme",
        "name",
        "score",
        "max",
        "strengths",
        "improvements",
        "summary",
    } <= set(data["areas"][0])
    assert len(data["subquestions"]) == 45
    assert data["subquestions"][1] == {
        "id": "1.2",
        "title": "Hur informeras medborgarna?",
        "achieved": 12,
        "max": 20,
        "percent": 61,
    }


def test_show_score_only_record_says_so() -> None:
    code, out, _ = run("show", "Røros", "--year", "2021")
    assert code == 0
    assert "Score only: no report text" in out and "Total 593" in out
    assert "https://roros.kommune.no/" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["show", "Vänäs"], "error: no evaluation of 'Vänäs' in the corpus; did you mean Vännäs"),
        (
            ["show", "Vännäs", "--year", "2019"],
            "error: no evaluation of Vännäs in 2019; years: 2016",
        ),
        (["show", "Vännäs", "--corpus", "/nonexistent"], "error: /nonexistent: corpus not found"),
    ],
)
def test_show_errors(args: list[str], expected: str) -> None:
    code, _, err = run(*args)
    assert code == 1 and err.startswith(expected) and err.count("\n") == 1
