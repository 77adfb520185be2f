"""Fictional report variants (Norwegian ks-2010, Swedish skr-2020): ingest gets exactly their figures.

Each tests/data/reports/<name>.txt has a <name>.txt.expected.yaml beside it with the figures the
parser must get. The reports vary the Vännäs layout on purpose: Norwegian labels, "Område N" and
"Fokusområde N" headings, "Sammendrag" and "Oppsummering", bullets as "–"/"-" one per line,
tables separated by runs of spaces instead of tabs, "64 %" with a space, no <ul> artifacts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kompass_search.errors import IngestError
from kompass_search.ingest import IngestResult, ingest_path
from kompass_search.models import Evaluation
from kompass_search.taxonomy import get_template

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
CASES = sorted(REPORTS.glob("*.expected.yaml"))


def _expected(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module", params=CASES, ids=[p.name.split(".")[0] for p in CASES])
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], IngestResult]:
    expected = _expected(request.param)
    return expected, ingest_path(REPORTS / expected["file"])


def _areas(ev: Evaluation) -> dict[int, Any]:
    return {a.number: a for a in ev.areas}


def test_there_are_cases() -> None:
    assert len(CASES) >= 2
    for p in CASES:
        assert (REPORTS / _expected(p)["file"]).is_file(), p


def test_cover(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    ev = res.evaluation
    got = (ev.municipality, ev.country, ev.year, ev.template, ev.language, ev.date)
    want = (
        exp["municipality"],
        exp["country"],
        exp["year"],
        exp["template"],
        exp["language"],
        exp["date"],
    )
    assert got == want
    # Evaluators are kept as printed ("Kari Nordmo, KS"); the names must be there, in order.
    assert len(ev.evaluators) == len(exp["evaluators"])
    for printed, name in zip(ev.evaluators, exp["evaluators"], strict=True):
        assert name in printed


def test_area_scores_and_total(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    ev = res.evaluation
    assert {a.number: a.score for a in ev.areas} == {a["number"]: a["score"] for a in exp["areas"]}
    assert ev.total == exp["total"]


def test_areas_match_the_template(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    tmpl = get_template(exp["template"])
    for a in res.evaluation.areas:
        adef = tmpl.area(a.number)
        assert a.theme == adef.theme
        matched = tmpl.match_area_name(a.name)
        assert matched is not None and matched.number == a.number, (a.number, a.name)


def test_overview_totals(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    got = _areas(res.evaluation)
    for a in exp["areas"]:
        ov = got[a["number"]].overview
        assert ov is not None, a["number"]
        assert (ov.achieved, ov.max, ov.percent) == tuple(
            a["overview"][k] for k in ("achieved", "max", "percent")
        )


def test_subquestions(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    want = [
        (s["id"], s["achieved"], s["max"], s["percent"])
        for a in exp["areas"]
        for s in a["subquestions"]
    ]
    got = [(s.id, s.achieved, s.max, s.percent) for s in res.evaluation.subquestions]
    assert len(got) == exp["subquestion_count"] == len(want)
    assert got == want
    assert all(s.title.strip() for s in res.evaluation.subquestions)


def test_counts_per_area(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    got = _areas(res.evaluation)
    want = {a["number"]: (a["topics"], a["strengths"], a["improvements"]) for a in exp["areas"]}
    have = {n: (len(a.topics), len(a.strengths), len(a.improvements)) for n, a in got.items()}
    assert have == want
    assert sum(len(a.strengths) for a in got.values()) == exp["strength_count"]
    assert sum(len(a.improvements) for a in got.values()) == exp["improvement_count"]


def test_exact_texts(case: tuple[dict[str, Any], IngestResult]) -> None:
    exp, res = case
    got = _areas(res.evaluation)
    for a in exp["areas"]:
        area = got[a["number"]]
        for text in a["strength_texts"]:
            assert text in area.strengths, (a["number"], text)
        for text in a["improvement_texts"]:
            assert text in area.improvements, (a["number"], text)
        assert area.strengths[0] == a["strength_texts"][0]
        assert area.improvements[-1] == a["improvement_texts"][-1]
        assert a["summary_first"] in area.summary, a["number"]


def test_no_consistency_warnings(case: tuple[dict[str, Any], IngestResult]) -> None:
    # The figures of these reports agree with each other; a warning about them means a misread.
    _, res = case
    bad = [w for w in res.warnings if any(k in w for k in ("beyond rounding", "add up", "prints"))]
    assert bad == []


# ---------------------------------------------------------------- inputs that are no usable report

BAD = REPORTS.parent / "bad"


def _bad_cases(kind: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((BAD / "EXPECTED.yaml").read_text(encoding="utf-8"))
    return [c for c in data["cases"] if c["kind"] == kind]


def test_every_bad_file_has_an_expectation() -> None:
    listed = {c["file"] for c in _bad_cases("ingest") + _bad_cases("corpus")}
    present = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.yaml"}
    assert listed == present


@pytest.mark.parametrize("case", _bad_cases("ingest"), ids=lambda c: c["file"])
def test_bad_report_is_one_line_naming_the_file(case: dict[str, Any]) -> None:
    path = BAD / case["file"]
    with pytest.raises(IngestError) as info:
        ingest_path(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert case["expect"] in message.removeprefix(f"{path}: ")
