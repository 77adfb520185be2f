"""Property tests of the query path: any query, filters, mode and top give hits or a one-line error.

The index is built once per module with the fake HashingEmbedder from the shipped corpus plus the
two fictional test reports (so there are three evaluations with text and twenty score-only ones).
Every hit must satisfy the filters it was asked for, and its numbers must be finite.
"""

from __future__ import annotations

import math
import shutil
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kompass_search.config import Config
from kompass_search.corpus import load_corpus
from kompass_search.index.build import build_index
from kompass_search.ingest import ingest_path, write_result
from kompass_search.model.fake import HashingEmbedder
from kompass_search.search.filters import Filters
from kompass_search.search.searcher import Searcher

from ._support import ROOT, assert_kompass_error, count, examples

STOPWORDS = ["och", "att", "det", "som", "en", "på", "i", "og", "er", "the", "of", "and", "a", "är"]
WORDS = [
    "synpunktshantering", "medborgardialog", "ledarskap", "brukarundersökningar", "lönebildning",
    "innbyggerundersøkelser", "samarbeid", "næringslivet", "volunteers", "budget", "Vännäs",
    "Røros", "årshjul", "kvalitetsarbete", "2.6", "7 av 15", "100%", "Område 2",
]  # fmt: skip
SCRIPTS = ["Ελλάδα", "Москва", "東京", "دمشق", "עברית", "हिन्दी", "ᚠᚢᚦ", "𝔘𝔫𝔦", "ﬁ", "Å\u030a"]
ODD = ["😀", "👩‍👩‍👧", "🇸🇪", "\x00", "\x07", "\x1b[31m", "\u200b", "\u202e", "\ufeff", "\ud7ff",
       "\t", "\n", "\r\n", "  ", "\u2028", "*", "?", "\"", "'", "\\", "AND", "OR", "NOT", "(", ")",
       ":", "--", "-x", "~", "^2", "%s", "{0}", "<script>", "' OR 1=1 --"]  # fmt: skip

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(STOPWORDS),
    st.sampled_from(SCRIPTS),
    st.sampled_from(ODD),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
query = st.one_of(
    st.lists(token, max_size=12).map(" ".join),
    st.lists(token, min_size=1, max_size=12).map(" ".join),
    st.text(max_size=60),
    st.tuples(token, st.integers(1, 3000)).map(lambda t: (t[0] + " ") * t[1]),  # up to ~30 kB
)
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
fuzz = st.text(max_size=8)


def usually(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """Mostly valid values, sometimes near misses, now and then random text."""
    return st.integers(0, 9).flatmap(
        lambda k: st.sampled_from(good) if k < 7 else st.sampled_from(bad) if k < 9 else fuzz
    )


score = st.integers(0, 3).flatmap(lambda k: st.integers(0, 100).map(float) if k else st.floats())
# fmt: off
filter_args = st.fixed_dictionaries(
    {},
    optional={
        "area": usually(["1", "2", "8", " 3 ", "user_focus", "democracy", "Tillgänglighet"],
                        ["0", "9", "-1", "02", "Offentlighet och demokrati", "²", "٣", "", " "]),
        "country": usually(["SE", "se", " no ", "NO"], ["DK", "", "Sverige"]),
        "year": usually(["2016", "2010-2016", "-2016", "2014-", "2010..2016", "2016-2016", "2022"],
                        ["2016-2010", "1900", "9999", "..", "-", "", "２０１６"]),
        "template": usually(["skl-2010", "skr-2020", "ks-2010"], ["x", "", "SKL-2010"]),
        "kind": usually(["strength", "strengths", "improvement", "Summary", "strength,summary",
                         "all", " Improvements , strengths "], ["x", "", ",", "strength,,x"]),
        "min_area_score": score,
        "min_subquestion_score": score,
        "municipality": usually(["Vännäs", "vannas", "VÄNNÄS kommun", "Ängsmora", "Grønnvik kommune"],
                                ["Røros", "Roros", "Vänäs", "Stockholm", "", " "]),
    },
)
# fmt: on
mode = st.sampled_from(["dense", "bm25", "hybrid"] * 3 + ["", "semantic", "BM25"])
# fmt: on
top = st.integers(0, 9).flatmap(
    lambda k: st.integers(1, 20) if k else st.one_of(st.integers(-3, 0), st.integers(100, 10**6))
)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    tmp = tmp_path_factory.mktemp("query")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for report in sorted((ROOT / "tests" / "data" / "reports").glob("*.txt")):
        write_result(ingest_path(report), corpus)
    build_index(load_corpus(corpus), tmp / "index", HashingEmbedder(), corpus=corpus)
    return Searcher.open(Config(corpus=corpus, index=tmp / "index"), HashingEmbedder())


def _kind_ok(p: Any, kinds: list[str]) -> bool:
    """Summaries are sentences: "summary" selects practice sentences, "improvement" also the
    deficit ones; neutral sentences are never results."""
    if p.kind == "summary":
        return ("summary" in kinds and p.label == "practice") or (
            "improvement" in kinds and p.label == "deficit"
        )
    return p.kind in kinds


def _satisfies(hit: Any, f: Filters) -> bool:
    p = hit.passage
    checks = [
        f.area is None or p.area_number == f.area,
        f.theme is None or p.theme == f.theme,
        f.country is None or p.country == f.country,
        f.year_from is None or p.year >= f.year_from,
        f.year_to is None or p.year <= f.year_to,
        f.template is None or p.template == f.template,
        f.kind is None or _kind_ok(p, f.kind.split(",")),
        f.min_area_score is None or (p.area_score is not None and p.area_score >= f.min_area_score),
        f.min_subquestion_score is None
        or (p.subquestion_percent is not None and p.subquestion_percent >= f.min_subquestion_score),
    ]
    return all(checks)


def _run(searcher: Searcher, q: str, args: dict[str, Any], m: str, n: int, name: str) -> None:
    try:
        filters = Filters.parse(**args)
        hits = searcher.search(q, filters, mode=m or None, top=n)
    except Exception as e:
        assert_kompass_error(e, name)
        return
    assert len(hits) <= n
    ranks = [h.rank_score for h in hits]
    assert ranks == sorted(ranks, reverse=True), ranks
    for h in hits:
        assert _satisfies(h, filters), (filters, h.passage)
        assert math.isfinite(h.rank_score) and math.isfinite(h.relevance)
        assert h.citation.strip() and "\n" not in h.citation


@examples(1500)
@given(query, filter_args, mode, top)
@example("", {}, "hybrid", 5)
@example(" \t\n ", {}, "hybrid", 5)
@example("synpunktshantering " * 600, {}, "hybrid", 5)  # ~11 kB
@example("😀👩‍👩‍👧🇸🇪", {}, "hybrid", 5)
@example("och att det som en på", {}, "bm25", 5)
@example("Ελλάδα Москва 東京 synpunktshantering", {}, "dense", 5)
@example("synpunktshantering", {"country": "NO", "year": "1990-1991"}, "hybrid", 5)
@example("synpunktshantering", {"min_area_score": float("nan")}, "hybrid", 5)
@example("synpunktshantering", {"municipality": "Vänäs"}, "hybrid", 5)
def test_search_never_fails_outside_the_error_family(
    searcher: Searcher, q: str, args: dict[str, Any], m: str, n: int
) -> None:
    count("search: random query, filters, mode, top")
    _run(searcher, q, args, m, n, "search: random query, filters, mode, top")


@examples(400)
@given(query, filter_args, st.integers(-1, 12), st.integers(-1, 5))
def test_grouped_search(searcher: Searcher, q: str, args: dict[str, Any], n: int, per: int) -> None:
    count("search: grouped by municipality")
    try:
        groups = searcher.search_grouped(q, Filters.parse(**args), top=n, per_group=per)
    except Exception as e:
        assert_kompass_error(e, "search: grouped by municipality")
        return
    assert len(groups) <= max(n, 0)
    assert len({g.evaluation for g in groups}) == len(groups)
    assert all(len(g.hits) <= max(per, 0) for g in groups)
