"""Issue 14 on the shipped corpus and on made-up evaluations: total-only gaps, practices that answer
the gap, trends, climbs (`top --improved`), what compare/top leave out, `--rank improved`."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from searchkit import provby, shipped

from kompass_search.config import Config, Ranking
from kompass_search.errors import QueryError
from kompass_search.index.build import build_index
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Area, Evaluation, Hit, Passage, Source
from kompass_search.render.hits import hits_text
from kompass_search.render.roles import gaps_text
from kompass_search.render.trend import (
    improved_json,
    improved_markdown,
    improved_text,
    trend_json,
    trend_markdown,
    trend_text,
)
from kompass_search.search.improved import rerank_improved
from kompass_search.search.practices import relevant_practices
from kompass_search.search.roles import Gap, RoleModel, compare, gaps, unranked
from kompass_search.search.searcher import Searcher
from kompass_search.search.trend import most_improved, trend
from kompass_search.taxonomy import get_template


def by(evals: list[Evaluation], name: str, year: int) -> Evaluation:
    return next(e for e in evals if e.municipality == name and e.year == year)


def made_up(
    name: str, year: int, template: str, scores: dict[int, float] | None, total: float
) -> Evaluation:
    """A fictional score-only record (no such municipality); ``scores`` None: total only."""
    t = get_template(template)
    areas = (
        tuple(Area(a.number, a.theme, a.name, scores.get(a.number, 50.0)) for a in t.areas)
        if scores is not None
        else ()
    )
    return Evaluation(
        name, t.country, year, template, t.language, Source("published"), total, areas=areas
    )


# Lillbyhult (fictional): total only in 2017, area scores in 2014 and 2011 -> skl-2016 in 2020
LILLBY = [
    made_up("Lillbyhult", 2011, "skl-2010", {4: 30.0}, 400),
    made_up("Lillbyhult", 2014, "skl-2010", {4: 40.0}, 420),
    made_up("Lillbyhult", 2017, "skl-2016", None, 480),
    made_up("Lillbyhult", 2020, "skr-2020", {8: 90.0}, 610),
]


# ---------------------------------------------------------------- 1: gaps for total-only records


def test_a_total_only_record_names_the_years_with_area_scores() -> None:
    evals = shipped()
    with pytest.raises(QueryError) as e:
        gaps(evals, by(evals, "Örebro", 2015))
    assert str(e.value) == (
        "Örebro 2015 has only a total score; Örebro 2012 has area scores: kompass gaps Örebro:2012"
    )
    assert gaps(evals, by(evals, "Örebro", 2012)).level == "area"
    with pytest.raises(
        QueryError,
        match="Lillbyhult 2011 and 2014 and 2020 have area scores: kompass gaps Lillbyhult:2020",
    ):
        gaps([*evals, *LILLBY], LILLBY[2])


# ---------------------------------------------------------------- 2: practices answer the gap


def test_grastorp_area_4_cites_no_vannas_practice_scored_below_grastorp(tmp_path: Path) -> None:
    evals = shipped()
    build_index(evals, tmp_path / "ix", HashingEmbedder())
    s = Searcher.open(Config(index=tmp_path / "ix"), HashingEmbedder())
    s = s.with_ranking(replace(s.ranking, weak_below=0.0))  # every match, weak ones too
    grastorp = by(evals, "Grästorp", 2014)
    r = gaps(
        evals, grastorp, top=1, models=5, per_model=10, practices=partial(relevant_practices, s)
    )
    gap = r.gaps[0]
    assert (gap.id, gap.percent) == ("4", 53)
    vannas = next(m for m in gap.role_models if m.municipality == "Vännäs")
    vev = by(evals, "Vännäs", 2016)
    linked = {p.subquestion for p in vannas.practices}
    assert vannas.practices and "4.2" not in linked  # 4.2 scored 45 %, below Grästorp's 53 %
    for p in vannas.practices:
        sq = vev.subquestion(p.subquestion) if p.subquestion else None
        assert sq is None or sq.share > 53
    orebro = next(m for m in gap.role_models if m.municipality == "Örebro")
    assert orebro.score_only and not orebro.practices
    assert "(scores only: no report text in the corpus)" in gaps_text(r)
    none = gaps(evals, grastorp, top=1, per_model=0)
    assert not none.practices_searched and "scores only" not in gaps_text(none)


class FakeSearch:
    """Returns fixed hits, so weak and overclaiming ones can be placed exactly."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits, self.ranking, self.index = hits, Config().ranking, None

    def search(self, query: str, filters=None, mode=None, top: int = 10) -> list[Hit]:
        return self.hits


def hit(ev: str, text: str, rel: float, sq_pct: float | None, weak: bool = False) -> Hit:
    p = Passage(
        0,
        ev,
        ev.split("-")[0].title(),
        "SE",
        2018,
        "skl-2010",
        "sv",
        7,
        "improvement",
        "Verksamhetsutveckling",
        85,
        "strength",
        text,
        subquestion="7.4" if sq_pct is not None else None,
        subquestion_percent=sq_pct,
    )
    return Hit(
        p,
        rel,
        sq_pct or 85,
        "subquestion" if sq_pct is not None else "area",
        rel,
        f"cite {text}",
        weak=weak,
    )


def test_practices_drop_weak_and_overclaiming_hits_and_show_none_rather_than_unrelated() -> None:
    gap = Gap(
        "7.4",
        "Hur arbetar kommunen med kreativitet och innovationer?",
        32,
        7,
        "improvement",
        (),
        46,
    )
    rm = RoleModel("provby-2018", "Provby", 2018, "skl-2010", 90, "subquestion", 7, "V", (), 32)
    other = RoleModel("ovreby-2018", "Övreby", 2018, "skl-2010", 60, "area", 7, "V", (), 46)
    fake = FakeSearch(
        [
            hit("provby-2018", "Idéslussen", 0.9, 90),
            hit("provby-2018", "Flagged weak by the searcher", 0.8, None, weak=True),
            hit("provby-2018", "Below the threshold", Ranking().weak_below / 2, None),
            hit("provby-2018", "Linked where Provby scored 30 %", 0.95, 30),
            hit("ovreby-2018", "Unrelated", Ranking().weak_below / 3, None),
        ]
    )
    got = relevant_practices(fake, gap, [rm, other], 5)
    assert [p.text for p in got["provby-2018"]] == ["Idéslussen"]
    assert got["provby-2018"][0].linked
    assert "ovreby-2018" not in got  # none rather than an unrelated one


# ---------------------------------------------------------------- 3: trend


def test_trend_of_kramfors_shows_stated_totals_and_area_bars() -> None:
    t = trend(shipped(), "kramfors")
    assert [e.year for e in t.evaluations] == [2011, 2013]
    assert [e.total for e in t.evaluations] == [359, 448]  # stated, not the areas' 363 and 447
    assert len(t.rows) == 8 and not any(r.mapped for r in t.rows)
    lead = next(r for r in t.rows if r.theme == "leadership")
    assert [a.score for a in lead.areas] == [34, 53]  # type: ignore[union-attr]
    text = trend_text(t, 80)
    assert "  2011    359  " in text and "(stated; the areas sum to 363)" in text
    assert "█" in text and max(len(x) for x in text.splitlines()) <= 80 + 40
    data = json.loads(trend_json(t))
    assert data["evaluations"][0] == {
        "year": 2011,
        "template": "skl-2010",
        "total": 359,
        "total_is_stated": True,
        "areas_sum": 363,
        "score_only": True,
    }
    assert trend_markdown(t).startswith("## Kramfors: scores over the years")


def test_trend_across_templates_meets_by_theme_and_says_so() -> None:
    t = trend([*shipped(), *LILLBY], "Lillbyhult")
    lead = next(r for r in t.rows if r.theme == "leadership")
    assert [a.number if a else None for a in lead.areas] == [4, 4, None, 8]
    assert lead.mapped and "not official" in trend_text(t, 100)
    assert "2017: only the total is published" in trend_text(t, 100)
    v = trend(shipped(), "Vallentuna")
    assert [e.total for e in v.evaluations] == [555, 603, 648]
    assert trend(shipped(), "Motala").evaluations[0].total == 426.5
    assert "426.5" in trend_text(trend(shipped(), "Motala"), 80)


# ---------------------------------------------------------------- 4: top --improved


def test_top_improved_ranks_climbs_in_the_area_then_totals() -> None:
    r = most_improved(shipped(), "leadership", 50)
    first = r.rows[0]
    assert (first.municipality, first.before.year, first.after.year) == ("Kramfors", 2011, 2013)
    assert (first.score_before, first.score_after, first.basis) == (34, 53, "area")
    assert all(c.basis == "total" for c in r.rows[1:])
    roros = next(c for c in r.rows if c.municipality == "Røros")
    assert (roros.before.year, roros.score_before, roros.score_after) == (2017, 396, 593)
    assert any("with one evaluation not ranked" in x for x in r.left_out)
    assert any("stated total" in x for x in r.notes)
    text = improved_text(r)
    assert "Kramfors         2011→2013     34 → 53    +19.0 pp" in text and "left out:" in text
    assert json.loads(improved_json(r).splitlines()[0])["climb_points"] == 19.0
    assert improved_markdown(r).startswith("| # |")


def test_a_climb_across_a_template_change_is_compared_by_theme_and_marked() -> None:
    r = most_improved([*shipped(), *LILLBY], "leadership", 50)
    c = next(c for c in r.rows if c.municipality == "Lillbyhult")
    # Consecutive pairs only: 2014 -> 2017 (total only) has no area climb, so the one in the
    # area is 2011 -> 2014, and it ranks above any climb of the total.
    assert (c.before.year, c.after.year, c.basis) == (2011, 2014, "area")
    assert c.points == pytest.approx(10)
    two = [made_up("Lillbyhult", 2014, "skl-2010", {4: 40.0}, 420), LILLBY[3]]
    c2 = most_improved([*shipped(), *two], "leadership", 50).rows[0]
    assert (c2.municipality, c2.basis, c2.score_before, c2.score_after) == (
        "Lillbyhult",
        "theme",
        40,
        90,
    )
    assert "compared by theme*" in improved_text(most_improved(two, "leadership"))


# ---------------------------------------------------------------- 5: what compare/top leave out


def test_compare_and_top_say_what_they_left_out() -> None:
    evals = shipped()
    c = compare(by(evals, "Vännäs", 2016), by(evals, "Hareid", 2017))
    assert any("different templates (skl-2010 and ks-2010)" in n for n in c.notes)
    assert "Hareid 2017 has only a total score: its areas are not compared" in c.notes
    same = compare(by(evals, "Vännäs", 2016), by(evals, "Örebro", 2012))
    assert same.notes == ()
    total_only = sum(1 for e in evals if not any(a.score is not None for a in e.areas))
    assert unranked(evals, "2") == (
        f"{total_only} evaluations without area scores (total only) not ranked",
    )
    assert total_only == 33


# ---------------------------------------------------------------- 6: --rank improved


def test_rank_improved_lifts_practices_of_municipalities_that_climbed() -> None:
    climbed = [
        made_up("Lillbyhult", 2014, "skl-2010", {7: 40.0}, 420),
        replace(provby(), municipality="Lillbyhult", year=2018),  # area 7: 85
    ]
    flat = provby()  # one evaluation: no climb
    evals = [*shipped(), *climbed, flat]

    def h(ev: Evaluation, rank: float) -> Hit:
        p = Passage(
            1 if ev is flat else 2,
            ev.key,
            ev.municipality,
            "SE",
            ev.year,
            ev.template,
            "sv",
            7,
            "improvement",
            "Verksamhetsutveckling",
            85,
            "strength",
            "x",
        )
        return Hit(p, rank, 85, "area", rank, "c")

    hits = [h(flat, 0.80), h(climbed[1], 0.75)]
    out = rerank_improved(hits, evals, 2)
    assert [x.passage.municipality for x in out] == ["Lillbyhult", "Provby"]
    assert out[0].extra["climb"] == 45 and out[0].rank_score == pytest.approx(0.75 * 1.45)
    assert out[1].rank_score == 0.80 and "climb" not in out[1].extra  # nothing to measure
    assert "climb +45.0 pp (area)" in hits_text(out[:1])
