"""The numbers behind a rank: retrieval fusion, relevance on 0..1, the role-model score.

Relevance (0..1) says how close a passage is to the query compared with the best match:
- dense: (cos - baseline) / (best cos - baseline), clipped to 0..1, where the baseline is the
  query's mean cosine to all indexed passages (its dot product with their centroid). Raw e5
  cosines sit in a narrow band (0.78-0.88), so only the distance above the average is telling.
- bm25: score / best score (0 for a passage sharing no stem with the query).
- hybrid: the order is reciprocal rank fusion (RRF, k = ranking.rrf_k) of the dense and BM25
  lists. Relevance keeps that order and takes its gaps from the similarities: the passage at
  fused rank r gets the r-th largest of the combined relevances (mean of dense and bm25
  relevance; dense alone when BM25 matched nothing).
A rank-only relevance (RRF normalized to 1.0 for first place) was measured and rejected: it
falls so slowly with rank (k=60: rank 10 -> 0.87) that the score term overrode relevance. On the
labelled queries, adding the score term dropped dense MRR from 0.90 to 0.48 with it, and left it
at 0.90 with the relevance above: a clearly better match stays first, near-equals go to the
municipality that scored higher.

Role-model score. rank_score = relevance * (relevance_weight + score_weight * score / 100)
/ (relevance_weight + score_weight), where score is the linked subquestion's percent for a
strength with an inferred link, else the area score (both 0..100); a passage without any score
counts as 0. The score scales relevance instead of adding to it: with the weights 0.7/0.3 a
perfect score lifts a practice by at most 1/0.7, so among close matches the municipality that
scored higher comes first, but a barely related practice (relevance 0.18) of a municipality that
scored 100 no longer outranks a good match (it did, third of ten, when the two were added).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import Ranking
from ..models import Passage


def rrf(lists: Sequence[Sequence[int]], k: int) -> list[int]:
    """Reciprocal rank fusion of ranked id lists: the fused order (ties by id)."""
    fused: dict[int, float] = {}
    for lst in lists:
        for rank, pid in enumerate(lst, start=1):
            fused[pid] = fused.get(pid, 0.0) + 1.0 / (k + rank)
    return sorted(fused, key=lambda pid: (-fused[pid], pid))


def dense_relevance(cos: np.ndarray, baseline: float) -> np.ndarray:
    """Cosines (best first) -> 0..1: the distance above the query's average cosine, best = 1."""
    if not len(cos):
        return np.zeros(0, np.float64)
    span = max(float(cos[0]) - baseline, 1e-6)
    return np.clip((cos.astype(np.float64) - baseline) / span, 0.0, 1.0)


def bm25_relevance(scores: np.ndarray) -> np.ndarray:
    """BM25 scores (best first) -> 0..1 as a fraction of the best."""
    if not len(scores) or scores[0] <= 0:
        return np.zeros(len(scores), np.float64)
    return scores.astype(np.float64) / float(scores[0])


def hybrid_relevance(order: Sequence[int], parts: Sequence[dict[int, float]]) -> dict[int, float]:
    """Relevance along a fused ``order``: the r-th passage gets the r-th largest combined relevance."""
    used = [p for p in parts if p]
    if not used:
        return dict.fromkeys(order, 0.0)
    combined = sorted(
        (sum(p.get(pid, 0.0) for p in used) / len(used) for pid in order), reverse=True
    )
    return dict(zip(order, combined, strict=True))


def score_used(p: Passage) -> tuple[float | None, str]:
    """The score a practice is credited with: its linked subquestion's percent, else its area's."""
    if p.subquestion_percent is not None:
        return p.subquestion_percent, "subquestion"
    if p.area_score is not None:
        return p.area_score, "area"
    return None, "none"


def score_factor(score: float | np.ndarray | None, weights: Ranking) -> float | np.ndarray:
    """How much the score where the practice belongs scales its relevance (at most 1).

    ``score`` may be one score or an array of them; a missing score (None, NaN) counts as 0.
    """
    total = weights.relevance_weight + weights.score_weight
    if total <= 0:
        return 1.0
    s = np.nan_to_num(np.asarray(0.0 if score is None else score, dtype=np.float64), nan=0.0)
    return (weights.relevance_weight + weights.score_weight * s / 100.0) / total


def rank_score(relevance: float, score: float | None, weights: Ranking) -> float:
    return float(relevance * score_factor(score, weights))
