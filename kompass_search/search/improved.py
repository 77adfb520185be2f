"""`search --rank improved`: favour practices of municipalities that climbed in the practice's area.

Each hit's rank score is multiplied by 1 + climb / 100, where climb is the municipality's
largest climb in the hit's theme between consecutive evaluations (percentage points, see
search/trend.py; the stated total where area scores are missing); a fall or no second
evaluation counts as 0, so such hits keep their score. The multiplier is applied to the
searcher's candidates before they are cut to the requested number, and is shown in each hit's
``extra`` (``climb``, and ``climb_on_total`` = 1 when the climb is of the total; neither when the
municipality has no two consecutive evaluations to measure a climb between).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..models import Evaluation, Hit, slugify

if TYPE_CHECKING:  # trend (and roles) load with --rank improved only: every search checks RANKS
    from .trend import Climb

RANKS = ("role-model", "improved")


def climbs_by_theme(evals: Sequence[Evaluation], themes: set[str]) -> dict[tuple[str, str], Climb]:
    """(municipality slug, theme) -> that municipality's largest climb in the theme."""
    from .trend import best_climbs

    return {(key, t): c for t in sorted(themes) for key, c in best_climbs(evals, t).items()}


def rerank_improved(hits: Sequence[Hit], evals: Sequence[Evaluation], top: int) -> list[Hit]:
    """``hits`` re-ranked by rank score x (1 + climb / 100), best first, the first ``top``."""
    climbs = climbs_by_theme(evals, {h.passage.theme for h in hits})
    out = []
    for h in hits:
        c = climbs.get((slugify(h.passage.municipality), h.passage.theme))
        gain = max(0.0, c.points) if c is not None else 0.0
        extra = dict(h.extra)
        if c is not None:  # no key when no climb could be measured (a single evaluation)
            extra["climb"] = round(c.points, 2)
            if c.basis == "total":
                extra["climb_on_total"] = 1.0
        out.append(replace(h, rank_score=h.rank_score * (1 + gain / 100), extra=extra))
    out.sort(key=lambda h: (-h.rank_score, -h.relevance, h.passage.id))
    return out[:top]
