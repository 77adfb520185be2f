"""Glossary concept vectors: each concept's sv/no/en terms embedded as a query, when first needed.

A query that names a concept (glossary.py) is searched with its own vector plus ``WEIGHT`` times
the mean vector of the concepts it names (search/searcher.py ``Searcher.evidence``). This tells the
small model that "klagehåndtering" means "synpunktshantering" without encoding a query 2.5 times
as long: the query encoder sees the plain query.

Measured on the tune split of the labelled queries (dense, Vännäs strengths, glossary passages):
the expanded query text R@1/R@5/MRR 0.85/1.00/0.92, the plain query 0.92/0.96/0.95, the plain
query plus concept vectors at weight 0.25, 0.5 and 0.75 0.96/1.00/0.98 each, at 1.0 and above
0.92/1.00/0.96. The middle of that plateau is used. Re-checked on the grown tune split (56
queries, round tune2, glossary as shipped): weight 0.25, 0.5 and 1.0 0.82/0.95/0.87, 0.75
0.84/0.95/0.88 (one query more at rank 1): still a plateau within one query, so the weight stays.
Wave 6, on the 138 development queries (tune and the spent held-out splits), with its glossary
and the question recipe (passages.py): weight 0 0.83/0.96/0.90, 0.25 0.87/0.97/0.92, 0.5 and
0.75 0.89/0.97/0.93, 1.0 0.88/0.97/0.92: the plateau holds, 0.5 stays. Tried there and not kept:
the concepts' sum, or sum over the square root of their count, instead of their mean (no change);
the concepts' vectors added to the passages' too, instead of or beside their terms (lower:
R@1 0.74-0.82 against 0.83 with the wave-5 recipe).

Where the vectors come from (``ConceptVectors``), first found first:
1. the index (CONCEPTS, meta ``concepts``: the glossary and the ids of its rows). An index holds
   only the concepts its gap queries name (``held_at_build``), so that `kompass gaps` needs no
   engine. Until index format 5 it held all ~50, 12.5 % of the tokens a fresh install embedded
   before its first search (README Performance);
2. the user's cache (``paths.concept_cache``: one file per model, rows keyed by the concept's
   text), which a search fills;
3. the query engine, for the concepts of this query that are in neither: a few short texts, once
   per user and model. They are encoded by the engine that encodes queries, as the index's are
   (model/embed.query_side).
A changed glossary still makes an index out of date: passage texts and links use its terms.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..bokmal import named_concepts
from ..glossary import Concept, glossary_digest, load_glossary
from ..model.embed import normalize_rows

if TYPE_CHECKING:
    from ..model.embed import Embedder
    from .reader import Index

WEIGHT = 0.5  # the concepts' mean vector, added to the query's (tune split, see above)


def concept_text(c: Concept) -> str:
    """The text embedded for a concept: its terms in every language, once each."""
    return ", ".join(dict.fromkeys(c.all_terms()))


def held_at_build(gap_queries: Sequence[str]) -> list[Concept]:
    """The concepts an index holds vectors for: those its gap queries name, in glossary order."""
    named = {c.id for q in gap_queries for c in named_concepts(q)}
    return [c for c in load_glossary() if c.id in named]


def concept_meta(ids: Sequence[str]) -> dict[str, object]:
    """What meta.json records about the concept vectors: the glossary and the ids of the rows."""
    return {"glossary": glossary_digest(), "ids": list(ids)}


def embed_concepts(
    embedder: Callable[[], Embedder],
    wanted: Sequence[Concept],
    old: tuple[dict[str, Any], np.ndarray] | None,
    dim: int,
) -> tuple[list[str], np.ndarray]:
    """The ids and vectors (L2-normalized float32) of ``wanted``; those ``old`` (a previous index's
    meta entry and vectors, same model) holds from the same glossary are reused, the rest embedded
    as queries by ``embedder()``, made only when something is left to embed."""
    kept: dict[str, np.ndarray] = {}
    if old is not None and old[0].get("glossary") == glossary_digest():
        kept = {
            str(i): np.asarray(v, np.float32) for i, v in zip(old[0]["ids"], old[1], strict=True)
        }
    todo = [c for c in wanted if c.id not in kept]
    if todo:
        made = normalize_rows(embedder().embed_queries([concept_text(c) for c in todo]))
        kept.update({c.id: v for c, v in zip(todo, made, strict=True)})
    ids = [c.id for c in wanted]
    if not ids:
        return ids, np.zeros((0, dim), np.float32)
    return ids, np.ascontiguousarray(np.stack([kept[i] for i in ids]), np.float32)


class ConceptVectors:
    """The vectors of the concepts a query names: from the index, the user's cache, or the engine.

    ``index``'s own vectors are read when a query first names a concept. ``cache`` is the folder
    of the user's cache (None: kept in memory only, for this object's life). A cache that cannot be
    read is ignored and one that cannot be written is not written: either way the vectors are
    embedded again, never wrong (each row is keyed by its text).
    """

    def __init__(self, index: Index, cache: Path | None) -> None:
        self._index = index
        self._held: dict[str, np.ndarray] | None = None
        self.dim = index.dim
        safe = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in index.model_id)
        self.file = cache / f"{safe}-{self.dim}.npy" if cache is not None else None
        self._cached: dict[str, np.ndarray] | None = None  # read on first need

    def _dtype(self, chars: int) -> np.dtype:
        # keyed by the concept's whole text (concept_text), not a hash: no collision, no hashlib
        # import (~5 ms) on a search's way
        return np.dtype([("text", f"<U{chars}"), ("vector", "<f4", (self.dim,))])

    def _cache(self) -> dict[str, np.ndarray]:
        if self._cached is None:
            self._cached = {}
            if self.file is not None:
                try:
                    rows = np.load(self.file, allow_pickle=False)
                    names = rows.dtype.names if rows.ndim == 1 else None
                    if names == ("text", "vector") and rows.dtype["vector"].shape == (self.dim,):
                        self._cached = {
                            str(t): np.array(v, np.float32)
                            for t, v in zip(rows["text"], rows["vector"], strict=True)
                        }
                except (OSError, ValueError, EOFError, KeyError):
                    pass  # absent or unreadable: embedded again, and the file replaced
        return self._cached

    def _keep(self, new: dict[str, np.ndarray]) -> None:
        cached = self._cache()
        cached.update(new)
        if self.file is None:
            return
        rows = np.zeros(len(cached), self._dtype(max(len(t) for t in cached)))
        rows["text"] = list(cached)
        rows["vector"] = np.stack(list(cached.values()))
        tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                np.save(f, rows)
            os.replace(tmp, self.file)  # whole or absent, also for a concurrent reader
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def vectors(
        self, named: Sequence[Concept], embed: Callable[[list[str]], np.ndarray]
    ) -> np.ndarray:
        """(len(named), dim) vectors of ``named``; ``embed`` encodes the texts of those found
        neither in the index nor in the cache (as queries, by the query engine)."""
        if self._held is None:
            entry, rows = self._index.concepts
            self._held = dict(zip(entry["ids"], rows, strict=True)) if len(rows) else {}
        out = {c.id: self._held[c.id] for c in named if c.id in self._held}
        missing = {c.id: concept_text(c) for c in named if c.id not in out}
        if missing:
            cached = self._cache()
            todo = [t for t in missing.values() if t not in cached]
            if todo:
                self._keep(dict(zip(todo, normalize_rows(embed(todo)), strict=True)))
            out.update({i: cached[t] for i, t in missing.items()})
        if not named:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([out[c.id] for c in named]).astype(np.float32, copy=False)


def query_vector(qv: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """The vector a query is searched with: its own (``qv``, normalized), plus WEIGHT times the mean of
    ``vectors`` (those of the concepts it names), normalized again. No concept: ``qv`` itself."""
    if not len(vectors):
        return qv
    v = qv + WEIGHT * np.asarray(vectors, np.float32).mean(axis=0)
    return np.ascontiguousarray(v / np.linalg.norm(v), np.float32)
