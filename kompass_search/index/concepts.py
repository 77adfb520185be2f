"""Glossary concept vectors: each concept's sv/no/en terms embedded once, at index time, as a query.

A query that names a concept (glossary.py) is searched with its own vector plus ``WEIGHT`` times
the mean vector of the concepts it names (search/searcher.py ``query_vector``). This tells the
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

The vectors live in the index (CONCEPTS, rows in glossary order; meta ``concepts`` names the
glossary they were made from), so they belong to the index's model; a changed glossary makes the
index out of date, and its next build embeds them again (~50 short texts) and reuses the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..glossary import Concept, glossary_digest, load_glossary

if TYPE_CHECKING:
    from ..model.embed import Embedder

WEIGHT = 0.5  # the concepts' mean vector, added to the query's (tune split, see above)


def concept_text(c: Concept) -> str:
    """The text embedded for a concept: its terms in every language, once each."""
    return ", ".join(dict.fromkeys(c.all_terms()))


def concept_meta() -> dict[str, object]:
    """What meta.json records about the concept vectors: the glossary and the row order."""
    return {"glossary": glossary_digest(), "ids": [c.id for c in load_glossary()]}


def embed_concepts(
    embedder: Embedder, old: tuple[dict[str, object], np.ndarray] | None
) -> np.ndarray:
    """The concept vectors of the shipped glossary (L2-normalized float32, glossary order); those of
    ``old`` (its meta entry and vectors) when made from the same glossary with the same model."""
    if old is not None and old[0] == concept_meta():
        return np.asarray(old[1], np.float32)
    texts = [concept_text(c) for c in load_glossary()]
    v = np.ascontiguousarray(embedder.embed_queries(texts), np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def query_vector(qv: np.ndarray, concept_rows: Sequence[int], vectors: np.ndarray) -> np.ndarray:
    """The vector a query is searched with: its own (``qv``, normalized), plus WEIGHT times the mean of
    the concept vectors at ``concept_rows``, normalized again. No concept: ``qv`` itself."""
    if not len(concept_rows):
        return qv
    v = qv + WEIGHT * np.asarray(vectors[list(concept_rows)], np.float32).mean(axis=0)
    return np.ascontiguousarray(v / np.linalg.norm(v), np.float32)
