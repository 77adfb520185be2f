"""`check`: rounding-aware score checks that fire on real inconsistencies only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kompass_search.corpus import load_file
from kompass_search.corpus_write import dump
from kompass_search.models import Evaluation, Subquestion
from kompass_search.validate import check_corpus, check_evaluation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vannas() -> Evaluation:
    return load_file(ROOT / "corpus" / "vannas-2016.yaml")


def test_shipped_corpus_has_exactly_its_three_real_warnings() -> None:
    problems = check_corpus(ROOT / "corpus")
    assert [p.level for p in problems] == ["warning"] * 3
    found = {Path(p.file or "").name: p.message for p in problems}
    assert set(found) == {"kramfors-2011.yaml", "kramfors-2013.yaml", "vannas-2016.yaml"}
    assert (
        "area 2 scores 49 but its score overview row prints 50 (50 %)" in found["vannas-2016.yaml"]
    )
    # Kramfors: a stated total unlike the sum of its stated areas; both kept, check warns
    assert found["kramfors-2011.yaml"] == "total: 359 but the area scores add up to 363"
    assert found["kramfors-2013.yaml"] == "total: 448 but the area scores add up to 447"


def test_rounding_is_not_an_error(vannas: Evaluation) -> None:
    # Area 1's rows add up to 66 points, but through the printed percents to 67.3: no warning.
    area1_points = sum(s.achieved for s in vannas.subquestions_of(1))
    assert area1_points == 66
    assert not [p for p in check_evaluation(vannas) if "areas[0]" in p.message]


def test_area_score_far_from_subquestions_warns(vannas: Evaluation) -> None:
    areas = tuple(replace(a, score=80, overview=None) if a.number == 4 else a for a in vannas.areas)
    problems = check_evaluation(replace(vannas, areas=areas, total=None))
    assert any(
        p.level == "warning" and "area 4 scores 80 but its subquestions add up to 61" in p.message
        for p in problems
    )


def test_score_above_max_is_an_error(vannas: Evaluation) -> None:
    subs = tuple(replace(s, achieved=30) if s.id == "1.2" else s for s in vannas.subquestions)
    problems = check_evaluation(replace(vannas, subquestions=subs))
    assert any(
        p.level == "error" and p.message.startswith("subquestions[1].achieved: 30 of 20")
        for p in problems
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"template": "skl-1999"}, "template: unknown template 'skl-1999'"),
        ({"country": "DK"}, "country: 'DK' is not one of SE, NO"),
        ({"subquestions": (Subquestion("9.1", "x", 1, 10, 10),)}, "belongs to area 9"),
    ],
)
def test_errors_name_the_field(
    vannas: Evaluation, change: dict[str, object], expected: str
) -> None:
    problems = check_evaluation(replace(vannas, **change))  # type: ignore[arg-type]
    assert any(p.level == "error" and expected in p.message for p in problems), problems


def test_missing_and_out_of_range_areas(vannas: Evaluation) -> None:
    seven = check_evaluation(
        replace(vannas, areas=vannas.areas[:7], subquestions=vannas.subquestions[:39])
    )
    assert any("area(s) 8 missing" in p.message for p in seven)
    nine = replace(vannas, areas=(*vannas.areas[:7], replace(vannas.areas[7], number=9)))
    assert any("area 9 does not exist in skl-2010" in p.message for p in check_evaluation(nine))


def test_duplicates_across_files(tmp_path: Path, vannas: Evaluation) -> None:
    (tmp_path / "vannas-2016.yaml").write_text(dump(vannas), encoding="utf-8")
    (tmp_path / "vannas-copy.yaml").write_text(dump(vannas), encoding="utf-8")
    problems = check_corpus(tmp_path)
    assert any(
        p.level == "error" and "duplicate of vannas-2016.yaml" in p.message for p in problems
    )


def test_check_does_not_fire_on_every_area(vannas: Evaluation) -> None:
    assert len(check_evaluation(vannas)) == 1
