"""How good inferred links are against gold labels: precision and coverage, the threshold a labelled set supports, leave-one-area-out."""

from __future__ import annotations

from collections.abc import Sequence

from .linking import Link

Gold = dict[tuple[int, str], str | None]  # (area, strength text) -> subquestion id, None: area only


def precision_coverage(links: Sequence[Link], gold: Gold) -> tuple[float, float, int]:
    """(precision of the stated links, stated / all, stated) against gold labels keyed by (area, text).

    A stated link on a strength whose gold label is None (area only) counts as wrong.
    """
    stated = [lk for lk in links if lk.stated]
    right = sum(1 for lk in stated if gold.get((lk.area, lk.text)) == lk.subquestion)
    precision = right / len(stated) if stated else 1.0
    return precision, len(stated) / len(links) if links else 0.0, len(stated)


def fit_threshold(
    leads: Sequence[float], right: Sequence[bool], min_precision: float = 0.95
) -> float:
    """The threshold on the lead that states the most items at ``min_precision`` or better.

    It lies halfway between the last item stated and the next one down (ties are stated
    together); +inf when no threshold reaches the precision.
    """
    order = sorted(range(len(leads)), key=lambda i: -leads[i])
    best, threshold, hits = 0, float("inf"), 0
    for k, i in enumerate(order, 1):
        hits += right[i]
        below = leads[order[k]] if k < len(order) else None
        if below == leads[i] or hits < min_precision * k or k <= best:
            continue
        best = k
        threshold = (leads[i] + below) / 2 if below is not None else leads[i]
    return threshold


def leave_one_area_out(
    links: Sequence[Link], gold: Gold, min_precision: float = 0.95
) -> tuple[float, float, int, int]:
    """Fit the threshold on all areas but one, state that area's links with it, pool the areas.

    Returns (precision, coverage, stated, right): what the fitted threshold gives on strengths
    it was not fitted on. Each link is re-decided from its lead (``Link.margin``) and ``best``.
    """
    right = [gold.get((lk.area, lk.text)) == lk.best and lk.best is not None for lk in links]
    stated = hits = 0
    for area in dict.fromkeys(lk.area for lk in links):
        train = [i for i, lk in enumerate(links) if lk.area != area]
        threshold = fit_threshold(
            [links[i].margin for i in train], [right[i] for i in train], min_precision
        )
        held = [i for i, lk in enumerate(links) if lk.area == area and lk.margin >= threshold]
        stated += len(held)
        hits += sum(right[i] for i in held)
    return (hits / stated if stated else 1.0), stated / len(links) if links else 0.0, stated, hits
