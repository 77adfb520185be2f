"""Gaps, role models, comparisons and area rankings on the shipped corpus plus made-up evaluations."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from searchkit import fictional, provby, shipped, vannas

from kompass_search.config import Config
from kompass_search.errors import KompassError, QueryError
from kompass_search.index.build import build_index
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Evaluation, Source, Subquestion
from kompass_search.render.roles import compare_text, gaps_json, gaps_markdown, gaps_text, top_text
from kompass_search.search.practices import relevant_practices
from kompass_search.search.roles import compare, gaps, top_by_area, weakest
from kompass_search.search.searcher import Searcher


@pytest.fixture(scope="module")
def corpus() -> list[Evaluation]:
    return [*shipped(), *fictional(), provby()]


def test_vannas_gaps_start_from_7_4_then_2_6_then_7_2(corpus: list[Evaluation]) -> None:
    r = gaps(corpus, vannas(), top=3)
    assert [(g.id, g.percent) for g in r.gaps] == [("7.4", 32), ("2.6", 35), ("7.2", 35)]
    assert r.level == "subquestion"


def test_ties_are_broken_by_the_finer_figure_then_the_id() -> None:
    subs = (
        Subquestion("7.2", "b", 9, 25, 35),
        Subquestion("2.6", "a", 5, 15, 35),
        Subquestion("3.1", "c", 7, 20, 35),
        Subquestion("1.1", "d", 7, 20, 35),
    )
    ev = Evaluation("Provby", "SE", 2018, "skl-2010", "sv", Source("report"), subquestions=subs)
    # 5/15 = .333 < 7/20 = .35 (1.1 before 3.1 by id) < 9/25 = .36
    assert [g.id for g in weakest(ev)] == ["2.6", "1.1", "3.1", "7.2"]


def test_role_models_scored_higher_there_and_say_on_what_basis(corpus: list[Evaluation]) -> None:
    r = gaps(corpus, vannas(), top=3, models=10)
    g74 = r.gaps[0]
    assert g74.role_models[0].municipality == "Provby"  # same template, subquestion 7.4 at 90 %
    assert (g74.role_models[0].basis, g74.role_models[0].percent) == ("subquestion", 90)
    for g in r.gaps:
        assert all(m.municipality != "Vännäs" for m in g.role_models)
        # like with like: subquestion beside subquestion, else area beside area (46 % for 7.4)
        for m in g.role_models:
            assert m.target_percent == (g.percent if m.basis == "subquestion" else g.area_percent)
            assert m.target_percent is not None and m.percent > m.target_percent
        bases = [("subquestion", "area", "theme").index(m.basis) for m in g.role_models]
        assert bases == sorted(bases)
        for basis in ("subquestion", "area", "theme"):
            same = [m.percent for m in g.role_models if m.basis == basis]
            assert same == sorted(same, reverse=True)
        for m in g.role_models:
            assert m.basis == ("theme" if m.template != "skl-2010" else m.basis)
            if m.basis == "theme":  # another template: matched through the theme
                ev = next(e for e in corpus if e.key == m.evaluation)
                assert ev.area(m.area_number).theme == g.theme  # type: ignore[union-attr]


def test_practices_come_from_a_search_for_the_gap_linked_ones_marked(
    corpus: list[Evaluation], tmp_path: Path
) -> None:
    strengths = (
        "Idéslussen tar emot medarbetarnas förslag",
        "Innovationspris till medarbetare",
        "Kvalitetsråd",
    )
    ev = provby(strengths7=strengths)
    all_evals = [*shipped(), ev]
    build_index(all_evals, tmp_path / "ix", HashingEmbedder())
    searcher = Searcher.open(Config(index=tmp_path / "ix"), HashingEmbedder())
    searcher = searcher.with_ranking(replace(searcher.ranking, weak_below=0.0))  # keep all
    finder = partial(relevant_practices, searcher)
    r = gaps(all_evals, vannas(), top=1, models=1, per_model=5, practices=finder)
    m = r.gaps[0].role_models[0]
    assert m.municipality == "Provby" and {p.text for p in m.practices} <= set(strengths)
    rel = [p.relevance or 0.0 for p in m.practices]
    assert m.practices and rel == sorted(rel, reverse=True)  # by relevance to the gap
    assert all(p.linked == (p.subquestion == "7.4") for p in m.practices)
    assert all(
        p.citation.startswith("Provby kommun 2018, område 7 Verksamhetsutveckling (85/100)")
        for p in m.practices
    )


def test_a_score_only_record_gets_area_gaps_and_a_total_only_record_an_error(
    corpus: list[Evaluation],
) -> None:
    grastorp = next(e for e in corpus if e.municipality == "Grästorp")
    r = gaps(corpus, grastorp, top=2)
    assert r.level == "area" and [g.id for g in r.gaps] == ["4", "6"]  # 53 and 56 of 100
    helsingborg = next(e for e in corpus if e.municipality == "Helsingborg")
    with pytest.raises(QueryError, match="only a total score, and no evaluation of Helsingborg"):
        gaps(corpus, helsingborg)


def test_gaps_render_as_text_json_and_markdown(corpus: list[Evaluation]) -> None:
    r = gaps(corpus, vannas(), top=3, models=10)
    data = json.loads(gaps_json(r))
    assert (data["municipality"], data["year"]) == ("Vännäs", 2016)
    assert [g["id"] for g in data["gaps"]] == ["7.4", "2.6", "7.2"]
    rm = data["gaps"][0]["role_models"][0]
    assert {"municipality", "year", "percent", "practices"} <= set(rm)
    assert "note" in data and "not official" in data["note"]  # Ängsmora / Grønnvik via theme
    text = gaps_text(r)
    assert text.splitlines()[3].startswith("7.4  32 %  Hur arbetar")
    assert text.splitlines()[3].endswith("(area 7: 46 %)")
    assert "90 % vs 32 %" in text and "71 % vs 46 %" in text  # Provby 7.4; Örebro 2012 area 7
    assert "matched by theme" in text
    md = gaps_markdown(r, "sv")
    assert md.startswith("## Förebilder för Vännäs 2016") and "inte officiell" in md


def test_compare_by_theme_marks_other_templates(corpus: list[Evaluation]) -> None:
    angsmora = next(e for e in corpus if e.municipality == "Ängsmora")
    c = compare(vannas(), angsmora)
    assert len(c.rows) == 8 and all(r.mapped for r in c.rows)
    user = next(r for r in c.rows if r.theme == "user_focus")
    assert (user.a.number, user.b.number) == (2, 5)  # type: ignore[union-attr]
    assert user.difference == pytest.approx(71 - 49)
    assert "not official" in compare_text(c)
    same = compare(vannas(), provby())
    assert not any(r.mapped for r in same.rows)
    assert {r.theme for r in same.rows} == {a.theme for a in vannas().areas}


def test_top_by_number_and_by_theme(corpus: list[Evaluation]) -> None:
    rows, note = top_by_area(corpus, "user_focus", 3)
    assert [r.area.theme for r in rows] == ["user_focus"] * 3
    assert [r.percent for r in rows] == sorted((r.percent for r in rows), reverse=True)
    assert note and "not official" in note
    rows, note = top_by_area(corpus, "2", 50)
    assert {r.area.number for r in rows} == {2} and note and "different theme" in note
    assert "note:" in top_text(rows, note)
    with pytest.raises(KompassError, match="1 to 8"):
        top_by_area(corpus, "9")


def test_a_reviewed_link_in_a_gap_is_not_called_inferred(
    corpus: list[Evaluation], tmp_path: Path
) -> None:
    ev = provby(strengths7=("Kvalitetsråd", "Innovationspris till medarbetare"))
    area7 = replace(ev.area(7), reviewed_links=(("Kvalitetsråd", "7.4"),))  # type: ignore[type-var]
    ev = replace(ev, areas=tuple(area7 if a.number == 7 else a for a in ev.areas))
    all_evals = [*shipped(), ev]
    build_index(all_evals, tmp_path / "ix", HashingEmbedder())
    searcher = Searcher.open(Config(index=tmp_path / "ix"), HashingEmbedder())
    searcher = searcher.with_ranking(replace(searcher.ranking, weak_below=0.0))  # keep all
    finder = partial(relevant_practices, searcher)
    r = gaps(all_evals, vannas(), top=1, models=1, per_model=5, practices=finder)
    reviewed = next(p for p in r.gaps[0].role_models[0].practices if p.text == "Kvalitetsråd")
    assert reviewed.linked and reviewed.reviewed and "härledd" not in reviewed.citation
    row = next(
        p
        for g in json.loads(gaps_json(r))["gaps"]
        for m in g["role_models"]
        for p in m["practices"]
        if p["text"] == "Kvalitetsråd"
    )
    assert row["subquestion"] == "7.4" and row["subquestion_inferred"] is False
    assert "(subquestion 7.4, reviewed)" in gaps_text(r)
