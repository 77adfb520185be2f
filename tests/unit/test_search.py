"""Search with the fake embedder: exact filters before ranking, fusion, relevance, role-model ranking, groups."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from searchkit import config, fictional, provby, shipped

from kompass_search.citation import Origin, practice_citation
from kompass_search.config import Ranking
from kompass_search.errors import KompassError, NotFoundError, QueryError
from kompass_search.index import bm25, dense
from kompass_search.index.build import build_index
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Passage
from kompass_search.search.filters import Filters
from kompass_search.search.ranking import rank_score
from kompass_search.search.searcher import Searcher

MODES = ["dense", "bm25", "hybrid"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    tmp = tmp_path_factory.mktemp("search")
    build_index([*shipped(), *fictional(), provby()], tmp / "ix", HashingEmbedder())
    return Searcher.open(config(tmp, tmp / "ix"), HashingEmbedder())


def everything(s: Searcher) -> list[Passage]:
    return [s.index.passage(i) for i in range(s.index.count)]


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_area_2_strengths_are_all_returned_and_nothing_else(searcher: Searcher, mode: str) -> None:
    hits = searcher.search(
        "brukare", Filters.parse(area="2", kind="strength", municipality="Vännäs"), mode, top=50
    )
    assert sorted(h.passage.text for h in hits) == sorted(
        next(e for e in shipped() if e.municipality == "Vännäs").area(2).strengths  # type: ignore[union-attr]
    )
    assert len(hits) == 5
    every = [p for p in everything(searcher) if p.area_number == 2 and p.kind == "strength"]
    hits = searcher.search("brukare", Filters.parse(area="2", kind="strength"), mode, top=50)
    assert sorted(h.passage.id for h in hits) == sorted(p.id for p in every)
    assert {h.passage.municipality for h in hits} == {"Vännäs", "Ängsmora", "Grønnvik", "Provby"}


FILTERS = [
    ({"area": "user_focus"}, lambda p: p.theme == "user_focus"),
    ({"area": "7"}, lambda p: p.area_number == 7),
    ({"country": "no"}, lambda p: p.country == "NO"),
    ({"year": "2016-2018"}, lambda p: 2016 <= p.year <= 2018),
    ({"year": "2020-"}, lambda p: p.year >= 2020),
    ({"template": "skr-2020"}, lambda p: p.template == "skr-2020"),
    # summaries are sentences: only the practice ones are summary results
    ({"kind": "summaries"}, lambda p: p.kind == "summary" and p.label == "practice"),
    ({"min_area_score": 65}, lambda p: p.area_score is not None and p.area_score >= 65),
    (
        {"min_subquestion_score": 70},
        lambda p: p.subquestion_percent is not None and p.subquestion_percent >= 70,
    ),
    ({"municipality": "Grønnvik kommune"}, lambda p: p.municipality == "Grønnvik"),
    (
        {"area": "2", "country": "SE", "kind": "improvement"},
        # improvements and the deficit or advice sentences of summaries
        lambda p: (
            p.area_number == 2
            and p.country == "SE"
            and (p.kind == "improvement" or p.label == "deficit")
        ),
    ),
]


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
@pytest.mark.parametrize(("args", "keep"), FILTERS)
def test_filters_are_exact_and_complete(
    searcher: Searcher, args: dict, keep: object, mode: str
) -> None:
    want = sorted(p.id for p in everything(searcher) if keep(p))  # type: ignore[operator]
    assert want, "the test corpus must have passages of every filtered kind"
    hits = searcher.search("kommunen arbetar med kvalitet", Filters.parse(**args), mode, top=1000)
    assert sorted(h.passage.id for h in hits) == want


def test_filters_apply_before_ranking_not_to_a_top_k(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = replace(searcher.ranking, candidates=3)
    s = searcher.with_ranking(few)
    f = Filters.parse(municipality="Provby", kind="strength")
    assert len(s.search("dialog", f, "dense", top=20)) == 3  # Provby has three strengths
    monkeypatch.setattr(
        dense, "SUBSET_ROWS", 0
    )  # the faiss IDSelector path, not the subset product
    assert len(s.search("dialog", f, "dense", top=20)) == 3
    assert {h.passage.municipality for h in s.search("dialog", f, "hybrid", top=20)} == {"Provby"}


def test_the_selector_and_subset_paths_agree(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = Filters.parse(country="SE", kind="strength")
    subset = [
        (h.passage.id, round(h.relevance, 5))
        for h in searcher.search("ledarskap", f, "dense", top=30)
    ]
    monkeypatch.setattr(dense, "SUBSET_ROWS", 0)
    assert [
        (h.passage.id, round(h.relevance, 5))
        for h in searcher.search("ledarskap", f, "dense", top=30)
    ] == subset


def test_bm25_mode_returns_only_passages_sharing_a_stem(searcher: Searcher) -> None:
    hits = searcher.search("lönebildning", mode="bm25", top=50)
    assert hits and all("lönebildning" in h.passage.text.lower() for h in hits)
    assert searcher.search("zzzqqq", mode="bm25") == []


def test_norwegian_words_meet_swedish_text_in_bm25() -> None:
    assert set(bm25.query_tokens("det lokale næringslivet")) & set(
        bm25.tokens("det lokala näringslivet", "sv")
    )
    assert "för" not in bm25.query_tokens("för och og hur")  # a stopword in any language is dropped


def test_rank_score_uses_the_linked_subquestion_percent(searcher: Searcher) -> None:
    hits = searcher.search(
        "kreativitet och innovationer", Filters.parse(municipality="Provby"), "dense", top=20
    )
    for h in hits:
        p = h.passage
        if p.kind == "strength" and p.subquestion is not None:
            assert (h.score, h.score_source) == (p.subquestion_percent, "subquestion")
        else:
            assert (h.score, h.score_source) == (p.area_score, "area")
        assert h.rank_score == pytest.approx(rank_score(h.relevance, h.score, searcher.ranking))
        assert 0.0 <= h.relevance <= 1.0
    assert any(h.score_source == "subquestion" for h in hits)


def test_results_are_ordered_by_rank_score_and_weights_come_from_config(searcher: Searcher) -> None:
    hits = searcher.search("medborgardialog", top=30)
    assert [h.rank_score for h in hits] == sorted((h.rank_score for h in hits), reverse=True)
    # Relevance alone (score_weight 0) orders by relevance; the score only scales it.
    plain = searcher.with_ranking(Ranking(relevance_weight=1.0, score_weight=0.0))
    by_relevance = plain.search("medborgardialog", top=30)
    assert [h.relevance for h in by_relevance] == sorted(
        (h.relevance for h in by_relevance), reverse=True
    )
    assert all(h.rank_score == pytest.approx(h.relevance) for h in by_relevance)
    # All weight on the score: rank = relevance * score / 100.
    scored = searcher.with_ranking(Ranking(relevance_weight=0.0, score_weight=1.0))
    for h in scored.search("medborgardialog", top=30):
        assert h.rank_score == pytest.approx(h.relevance * (h.score or 0) / 100)


def test_a_high_score_does_not_lift_an_unrelated_practice(searcher: Searcher) -> None:
    hits = searcher.search("medborgardialog", top=50)
    for better, worse in pairwise(hits):
        # The score scales relevance by at most 1/relevance_weight.
        assert worse.relevance <= better.relevance / searcher.ranking.relevance_weight + 1e-9


def test_grouping_gives_one_row_per_evaluation(searcher: Searcher) -> None:
    groups = searcher.search_grouped("samverkan med näringslivet", top=3, per_group=2)
    assert len(groups) == 3 and len({g.evaluation for g in groups}) == 3
    assert [g.rank_score for g in groups] == sorted((g.rank_score for g in groups), reverse=True)
    for g in groups:
        assert 1 <= len(g.hits) <= 2 and {h.passage.evaluation for h in g.hits} == {g.evaluation}
        assert g.rank_score == g.hits[0].rank_score


def test_citation_line() -> None:
    p = Passage(
        0,
        "vannas-2016",
        "Vännäs",
        "SE",
        2016,
        "skl-2010",
        "sv",
        2,
        "user_focus",
        "Tillgänglighet och brukarorientering",
        49.0,
        "strength",
        "Synpunktshanteringssystem",
        "2.6",
        "Hur arbetar kommunen med ...",
        35.0,
        0.9,
    )
    origin = Origin("skl-2010", 2016, "2016-01", "SKL")
    numbers = {"area_score": 49, "area_max": 100, "subquestion_percent": 35}
    # an inferred link is marked as such; a reviewed one is not
    assert practice_citation(p, origin, **numbers) == (
        "Vännäs kommun 2016, område 2 Tillgänglighet och brukarorientering (49/100), delfråga 2.6 (35 %, härledd). "
        "Källa: SKL, Kommunkompassen, januari 2016."
    )
    assert practice_citation(replace(p, link_reviewed=True), origin, **numbers) == (
        "Vännäs kommun 2016, område 2 Tillgänglighet och brukarorientering (49/100), delfråga 2.6 (35 %). "
        "Källa: SKL, Kommunkompassen, januari 2016."
    )
    assert practice_citation(p, origin, **numbers, lang="en") == (
        "Vännäs municipality 2016, area 2 Tillgänglighet och brukarorientering (49/100), subquestion 2.6 (35 %, inferred). "
        "Source: SKL, Kommunkompassen, January 2016."
    )
    assert "delspørsmål 2.6 (35 %, utledet). Kilde: SKL, Kommunkompassen, januar 2016." in (
        practice_citation(p, origin, **numbers, lang="no")
    )
    no = replace(
        p,
        municipality="Grønnvik",
        country="NO",
        template="ks-2010",
        language="no",
        subquestion=None,
    )
    assert practice_citation(no, Origin("ks-2010", 2016, "2012-05", "KS"), **numbers) == (
        "Grønnvik kommune 2016, område 2 Tillgänglighet och brukarorientering (49/100). "
        "Kilde: KS, Kommunekompasset, mai 2012."
    )


@pytest.mark.parametrize(
    ("query", "kwargs", "message"),
    [
        ("", {}, "empty query"),
        (" \t\n ", {}, "empty query"),
        ("synpunkter " * 200, {}, "characters long"),
        ("dialog", {"mode": "semantic"}, "--mode"),
        ("dialog", {"top": 0}, "--top"),
    ],
)
def test_bad_queries_are_one_line_errors(
    searcher: Searcher, query: str, kwargs: dict, message: str
) -> None:
    with pytest.raises(QueryError, match=message) as e:
        searcher.search(query, **kwargs)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"area": "9"}, "1 to 8"),
        ({"area": "kvalitet"}, "not an area number"),  # area names resolve (#12): not this
        ({"area": "²"}, "not an area number"),
        ({"country": "DK"}, "SE, NO"),
        ({"year": "2016-2010"}, "backwards"),
        ({"year": "sixteen"}, "--year"),
        ({"template": "skl-1999"}, "known templates"),
        ({"kind": "weakness"}, "--kind"),
        ({"min_area_score": 101}, "0 to 100"),
        ({"min_subquestion_score": float("nan")}, "0 to 100"),
    ],
)
def test_bad_filters_are_one_line_errors(args: dict, message: str) -> None:
    with pytest.raises(KompassError, match=message):
        Filters.parse(**args)


def test_an_unknown_municipality_suggests_a_close_name(searcher: Searcher) -> None:
    with pytest.raises(NotFoundError, match="did you mean Vännäs"):
        searcher.search("dialog", Filters.parse(municipality="Vänäs"))


def test_the_query_path_does_not_load_bm25s_or_scipy(tmp_path: Path) -> None:
    import subprocess
    import sys

    build_index(
        [next(e for e in shipped() if e.municipality == "Vännäs")],
        tmp_path / "ix",
        HashingEmbedder(),
    )
    code = (
        "import sys; from pathlib import Path\n"
        "from kompass_search.config import Config\n"
        "from kompass_search.model.fake import HashingEmbedder\n"
        "from kompass_search.search.searcher import Searcher\n"
        f"s = Searcher.open(Config(index=Path({str(tmp_path / 'ix')!r})), HashingEmbedder())\n"
        "assert s.search('dialog', mode='hybrid')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('bm25s', 'scipy', 'torch', 'sentence_transformers')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_shipped_queries_are_the_test_copy() -> None:
    shipped_copy = Path(__file__).resolve().parents[2] / "kompass_search" / "eval_queries.yaml"
    test_copy = Path(__file__).resolve().parents[1] / "data" / "queries.yaml"
    assert shipped_copy.read_bytes() == test_copy.read_bytes()
