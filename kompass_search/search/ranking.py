"""The numbers behind a rank: relevance (calibrated, search/calibration.py) and the role-model score.

Relevance is absolute: the calibrated probability that a passage is a right answer, computed from
that passage's own evidence (cosine, the query's baseline, BM25, glossary concepts). The old
relative relevance (the best hit always 1.00, reciprocal rank fusion for hybrid) is gone: it made
"banana smoothie recipe" look as certain as a true match, and a filter could raise a hit's number.

Role-model score. rank_score = relevance * (relevance_weight + score_weight * score / 100)
/ (relevance_weight + score_weight), where score is the linked subquestion's percent for a
strength with a stated link (reviewed, or inferred above the link threshold), else the area score
(both 0..100); a passage without any score
counts as 0. The score scales relevance instead of adding to it: with the weights 0.7/0.3 a
perfect score lifts a practice by at most 1/0.7, so among close matches the municipality that
scored higher comes first, but a barely related practice (relevance 0.18) of a municipality that
scored 100 no longer outranks a good match (it did, third of ten, when the two were added).
Among practices with equal rank scores, a gold-star one comes first (search/searcher.py).
"""

from __future__ import annotations

import numpy as np

from ..config import Ranking
from ..models import Passage


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
