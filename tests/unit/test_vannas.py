"""The real report: every figure of the Vännäs 2016 evaluation, ingested from its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_search.corpus import load_file
from kompass_search.corpus_write import dump
from kompass_search.ingest import ingest_path
from kompass_search.models import Evaluation

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"

# Table 1 of the report ("Resultat 2016"), total 460.
TABLE_1 = {1: 67, 2: 49, 3: 65, 4: 61, 5: 54, 6: 57, 7: 46, 8: 61}
# Section 4 "Översikt av poängfördelning": (id, achieved, max, printed percent), all 45 rows.
EXPECTED_SUBQUESTIONS = [
    ("1.1", 15, 15, 100), ("1.2", 12, 20, 61), ("1.3", 14, 25, 58),
    ("1.4", 20, 30, 68), ("1.5", 5, 10, 52), ("2.1", 8, 15, 50),
    ("2.2", 13, 25, 52), ("2.3", 9, 15, 63), ("2.4", 8, 15, 52),
    ("2.5", 7, 15, 45), ("2.6", 5, 15, 35), ("3.1", 9, 15, 60),
    ("3.2", 13, 25, 50), ("3.3", 13, 25, 53), ("3.4", 20, 20, 100),
    ("3.5", 11, 15, 70), ("4.1", 9, 15, 60), ("4.2", 5, 10, 45),
    ("4.3", 10, 20, 50), ("4.4", 6, 15, 40), ("4.5", 17, 20, 84),
    ("4.6", 15, 20, 74), ("5.1", 6, 15, 40), ("5.2", 11, 20, 55),
    ("5.3", 10, 20, 48), ("5.4", 9, 15, 60), ("5.5", 10, 20, 51),
    ("5.6", 8, 10, 83), ("6.1", 7, 15, 45), ("6.2", 11, 20, 55),
    ("6.3", 13, 25, 51), ("6.4", 11, 15, 74), ("6.5", 11, 15, 71),
    ("6.6", 5, 10, 54), ("7.1", 7, 15, 46), ("7.2", 9, 25, 35),
    ("7.3", 12, 20, 59), ("7.4", 6, 20, 32), ("7.5", 12, 20, 61),
    ("8.1", 9, 15, 58), ("8.2", 11, 20, 55), ("8.3", 14, 20, 68),
    ("8.4", 11, 15, 72), ("8.5", 4, 10, 40), ("8.6", 13, 20, 66),
]  # fmt: skip
# Per area: (strengths, improvements) in the two-column tables.
COUNTS = {1: (7, 5), 2: (5, 5), 3: (5, 4), 4: (6, 4), 5: (4, 5), 6: (8, 5), 7: (7, 6), 8: (6, 4)}


@pytest.fixture(scope="module")
def vannas() -> Evaluation:
    return ingest_path(SOURCE).evaluation


def test_cover(vannas: Evaluation) -> None:
    assert (vannas.municipality, vannas.country, vannas.year) == ("Vännäs", "SE", 2016)
    assert (vannas.template, vannas.language, vannas.date) == ("skl-2010", "sv", "2016-01")
    assert vannas.evaluators == ("Leif Eldås, SKL", "Henrik Bergström, SKL")
    assert vannas.source.publisher == "SKL"


def test_table_1(vannas: Evaluation) -> None:
    assert {a.number: a.score for a in vannas.areas} == TABLE_1
    assert vannas.total == 460 == sum(TABLE_1.values())
    assert [a.theme for a in vannas.areas] == [
        "democracy", "user_focus", "governance", "leadership",
        "efficiency", "employer", "improvement", "community",
    ]  # fmt: skip


def test_every_subquestion_row(vannas: Evaluation) -> None:
    got = [(s.id, s.achieved, s.max, s.percent) for s in vannas.subquestions]
    assert got == EXPECTED_SUBQUESTIONS
    sub26 = vannas.subquestion("2.6")
    assert sub26 is not None
    assert sub26.title.startswith("Hur arbetar kommunen med system för service-")


def test_area_2_keeps_both_printed_figures(vannas: Evaluation) -> None:
    area2 = vannas.area(2)
    assert area2 is not None and area2.score == 49
    assert area2.overview is not None
    assert (area2.overview.achieved, area2.overview.percent) == (50, 50)
    others = [a for a in vannas.areas if a.number != 2]
    assert all(a.overview is not None and a.overview.achieved == a.score for a in others)


def test_strengths_and_improvements(vannas: Evaluation) -> None:
    assert {a.number: (len(a.strengths), len(a.improvements)) for a in vannas.areas} == COUNTS
    assert sum(len(a.strengths) for a in vannas.areas) == 48
    assert sum(len(a.improvements) for a in vannas.areas) == 38
    area2 = vannas.area(2)
    assert area2 is not None
    assert area2.strengths[-1] == "Synpunktshanteringssystem inom ex. skola och socialtjänst"
    assert vannas.area(6).strengths[4] == "Årshjulet kring lokal lönebildning"  # type: ignore[union-attr]
    # No HTML leftovers or bullets survive.
    text = " ".join(t for a in vannas.areas for t in a.strengths + a.improvements)
    assert "<ul" not in text and "•" not in text


def test_summaries_are_the_sammanfattning_paragraphs(vannas: Evaluation) -> None:
    area1 = vannas.area(1)
    assert area1 is not None and len(area1.summary) == 5
    assert area1.summary[0].startswith("I den strategiska planen är demokratiutveckling")
    # "Allmänt" is generic criterion text, not about the municipality: not kept as summary.
    assert not any(p.startswith("En kommun är en politiskt styrd") for p in area1.summary)
    area3 = vannas.area(3)
    assert area3 is not None and "- Ekonomi\n- Medborgare" in area3.summary[0]


def test_shipped_yaml_is_what_ingest_writes(vannas: Evaluation) -> None:
    shipped = ROOT / "corpus" / "vannas-2016.yaml"
    assert shipped.read_text(encoding="utf-8") == dump(ingest_path(SOURCE).evaluation)
    assert load_file(shipped) == vannas


def test_ingest_is_deterministic() -> None:
    assert dump(ingest_path(SOURCE).evaluation) == dump(ingest_path(SOURCE).evaluation)
