"""Hits grouped by evaluation: one row per evaluation, its best practices beneath (``search --group``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Hit


@dataclass(frozen=True)
class Group:
    """One evaluation's best practices for a query (``search_grouped``), best first."""

    evaluation: str  # Evaluation.key
    municipality: str
    year: int
    rank_score: float  # of its best hit
    hits: tuple[Hit, ...]

    @property
    def best(self) -> Hit:
        return self.hits[0]


def group_hits(hits: Sequence[Hit], top: int, per_group: int) -> list[Group]:
    """Ranked hits one row per evaluation, ordered by its best hit, each with its ``per_group`` best."""
    groups: dict[str, list[Hit]] = {}
    for h in hits:
        groups.setdefault(h.passage.evaluation, []).append(h)
    out = []
    for key, hs in list(groups.items())[:top]:
        p = hs[0].passage
        out.append(Group(key, p.municipality, p.year, hs[0].rank_score, tuple(hs[:per_group])))
    return out
