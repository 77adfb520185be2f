"""The practices shown under a role model: its strengths that answer the gap, by semantic match.

One search per gap: the gap's subquestion title (or area name) as the query, over the strengths
of the gap's theme in every evaluation (so relevance compares a role model's strengths with the
best answers in the corpus, not only with each other). A role model keeps its hits in relevance
order, never a weak one (``Hit.weak``, or relevance under ``Ranking.weak_below``: the contract of
the answers issue), so a role model with no relevant strength shows none rather than unrelated
ones. A strength linked to a subquestion where the role model scored no higher than the target
did is left out: it would cite a figure that is no role-model figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..config import Ranking
from ..errors import KompassError
from ..index.reader import Index
from ..models import Hit
from .filters import Filters
from .roles import Gap, Practice, RoleModel


class PracticeSearch(Protocol):
    """What is needed of a searcher (``search.searcher.Searcher`` fits)."""

    index: Index
    ranking: Ranking

    def search(
        self, query: str, filters: Filters | None = None, mode: str | None = None, top: int = 10
    ) -> list[Hit]: ...


def is_weak(hit: Hit, ranking: Ranking) -> bool:
    """A weak match by the #11/#14 contract (also before the searcher sets ``Hit.weak`` itself)."""
    return hit.weak or hit.relevance < ranking.weak_below


def overclaims(hit: Hit, gap: Gap, model: RoleModel) -> bool:
    """True when the hit would be credited with a subquestion score no higher than the target's
    own figure (the Grästorp area 4 case: a strength linked to 4.2 at 45 % under a gap of 53 %)."""
    target = model.target_percent if model.target_percent is not None else gap.percent
    return hit.score_source == "subquestion" and hit.score is not None and hit.score <= target


def relevant_practices(
    searcher: PracticeSearch, gap: Gap, models: Sequence[RoleModel], per_model: int
) -> dict[str, tuple[Practice, ...]]:
    """Up to ``per_model`` practices for each role model (by ``RoleModel.evaluation``), best first."""
    keys = {m.evaluation for m in models}
    if per_model <= 0 or not keys or not gap.theme:
        return {}
    filters = Filters(theme=gap.theme, kind="strength")
    try:
        hits = searcher.search(gap.title, filters, top=max(searcher.ranking.candidates, 50))
    except KompassError:  # a gap title that is no query (e.g. empty) has no practices
        return {}
    by_model = {m.evaluation: m for m in models}
    out: dict[str, list[Practice]] = {}
    for h in hits:
        p = h.passage
        m = by_model.get(p.evaluation)
        if m is None or is_weak(h, searcher.ranking) or overclaims(h, gap, m):
            continue
        chosen = out.setdefault(p.evaluation, [])
        if len(chosen) < per_model:
            linked = m.basis == "subquestion" and p.subquestion == gap.id
            chosen.append(
                Practice(
                    p.text,
                    p.area_number,
                    p.subquestion,
                    p.link_similarity,
                    linked,
                    h.citation,
                    h.relevance,
                    p.link_reviewed,
                )
            )
    return {k: tuple(v) for k, v in out.items()}
