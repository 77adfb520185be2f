"""Glossary concept vectors (index/concepts.py): made once per index, reused, added to a concept query."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from searchkit import FakeE5, config, fictional, write_corpus

from kompass_search import glossary
from kompass_search.index import build, concepts, plan
from kompass_search.index.build import build_index, prepare_index, up_to_date
from kompass_search.index.format import CONCEPTS, FORMAT, META
from kompass_search.index.reader import Index
from kompass_search.search.searcher import Searcher, dense_text


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


def test_an_index_holds_one_vector_per_concept_in_glossary_order(built: Path) -> None:
    ix = Index(built)
    entry, vectors = ix.concepts
    groups = glossary.load_glossary()
    assert entry == {"glossary": glossary.glossary_digest(), "ids": [c.id for c in groups]}
    expected = FakeE5().embed_queries([concepts.concept_text(c) for c in groups])
    np.testing.assert_allclose(vectors, expected, atol=1e-6)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


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
    assert {concepts.concept_text(c) for c in glossary.load_glossary()} <= set(e.queries)
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
    assert dense_text(query) == query  # the encoder sees the plain query
    fake = FakeE5()
    own = fake.embed_queries([query])[0]
    _, vectors = ix.concepts
    rows = ix.concept_rows([c.id for c in named])
    want = own + concepts.WEIGHT * vectors[rows].mean(axis=0)
    want /= np.linalg.norm(want)
    ev = Searcher.open(config(Path("."), built), fake, index=ix).evidence(query, "dense", None, 5)
    assert ev.concept
    assert ev.cosine is not None
    np.testing.assert_allclose(ev.cosine, ix.vectors[ev.ids] @ want, atol=2e-3)
    assert not np.allclose(ev.cosine, ix.vectors[ev.ids] @ own, atol=2e-3)


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
