"""Scores over time: a municipality's evaluations side by side, and how much each one climbed.

A trend lays a municipality's evaluations out oldest first, the stated total and each area's
score, areas of different templates meeting by theme (inferred from the names, not official:
``roles.THEME_NOTE``). A climb is the change between two consecutive evaluations of one
municipality in one area, in percentage points of the area's maximum; when either of the two has
no area scores, the change of the stated total in points of 800 (every template: 8 areas of 100),
marked as such. Totals are always the stated ones, never recomputed from the areas (they differ
for Kramfors 2011 and can be fractional, as Motala 2006's 426.5).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Area, Evaluation, slugify
from ..names import find_evaluation
from ..taxonomy import theme_name, themes
from .filters import area_spec
from .roles import THEME_NOTE

TOTAL_MAX = 800.0


def history(evals: Sequence[Evaluation], municipality: str) -> list[Evaluation]:
    """All evaluations of ``municipality``, oldest first (a one-line error for an unknown name)."""
    first = find_evaluation(list(evals), municipality)
    return sorted(
        (e for e in evals if slugify(e.municipality) == slugify(first.municipality)),
        key=lambda e: e.year,
    )


@dataclass(frozen=True)
class ThemeRow:
    """One theme across a municipality's evaluations: the area of each (None: no score)."""

    theme: str
    name: str
    areas: tuple[Area | None, ...]

    @property
    def mapped(self) -> bool:
        """True when the areas differ in number or name: matched through the theme."""
        found = {(a.number, a.name) for a in self.areas if a is not None}
        return len(found) > 1


@dataclass(frozen=True)
class Trend:
    municipality: str
    evaluations: tuple[Evaluation, ...]  # oldest first
    rows: tuple[ThemeRow, ...]  # themes with a score in at least one evaluation

    @property
    def templates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.template for e in self.evaluations))

    @property
    def climbs(self) -> tuple[Climb, ...]:
        """The change of the stated total between consecutive evaluations."""
        return tuple(
            c
            for a, b in zip(self.evaluations, self.evaluations[1:], strict=False)
            if (c := climb(a, b, None)) is not None
        )


def trend(evals: Sequence[Evaluation], municipality: str, language: str | None = None) -> Trend:
    """``municipality``'s evaluations with their totals and area scores, one row per theme."""
    evs = history(evals, municipality)
    lang = language or evs[-1].language
    rows = []
    for t in themes():
        cells = tuple(
            a if (a := e.area_by_theme(t)) is not None and a.score is not None else None
            for e in evs
        )
        if any(c is not None for c in cells):
            rows.append(ThemeRow(t, theme_name(t, lang), cells))
    return Trend(evs[-1].municipality, tuple(evs), tuple(rows))


@dataclass(frozen=True)
class Climb:
    """How much one municipality climbed between two consecutive evaluations."""

    before: Evaluation
    after: Evaluation
    basis: str  # "area" (same template) | "theme" (templates differ: matched by theme) | "total"
    score_before: float  # as stated
    score_after: float
    max_before: float
    max_after: float
    area_before: Area | None = None
    area_after: Area | None = None

    @property
    def points(self) -> float:
        """The climb in percentage points of the maximum (negative: it fell)."""
        return 100.0 * (self.score_after / self.max_after - self.score_before / self.max_before)

    @property
    def template_changed(self) -> bool:
        return self.before.template != self.after.template

    @property
    def municipality(self) -> str:
        return self.after.municipality


def _area_in(ev: Evaluation, number: int | None, theme: str | None) -> Area | None:
    return ev.area(number) if number is not None else ev.area_by_theme(theme or "")


def climb(before: Evaluation, after: Evaluation, spec: str | None) -> Climb | None:
    """The climb from ``before`` to ``after`` in the area ``spec`` (a number within the later
    evaluation's template, or a theme), else in total; None when neither can be measured."""
    if spec is not None:
        number, theme = area_spec(spec)
        later = _area_in(after, number, theme)
        if later is not None and later.score is not None:
            same = before.template == after.template
            earlier = before.area(later.number) if same else before.area_by_theme(later.theme)
            if earlier is not None and earlier.score is not None:
                return Climb(
                    before,
                    after,
                    "area" if same else "theme",
                    earlier.score,
                    later.score,
                    earlier.max,
                    later.max,
                    earlier,
                    later,
                )
    if before.total is None or after.total is None:
        return None
    return Climb(before, after, "total", before.total, after.total, TOTAL_MAX, TOTAL_MAX)


@dataclass(frozen=True)
class Improved:
    """Municipalities ranked by their largest climb, and what was left out and why."""

    rows: tuple[Climb, ...]
    left_out: tuple[str, ...]
    notes: tuple[str, ...]


def _pairs(evals: Sequence[Evaluation]) -> dict[str, list[tuple[Evaluation, Evaluation]]]:
    by: dict[str, list[Evaluation]] = {}
    for e in evals:
        by.setdefault(slugify(e.municipality), []).append(e)
    out = {}
    for key, evs in by.items():
        evs.sort(key=lambda e: e.year)
        out[key] = list(itertools.pairwise(evs))
    return out


def best_climbs(evals: Sequence[Evaluation], spec: str) -> dict[str, Climb]:
    """Each municipality's (by slug) largest climb in ``spec`` between consecutive evaluations:
    among climbs measured on the area if it has any, else on the total."""
    out = {}
    for key, pairs in _pairs(evals).items():
        found = [c for a, b in pairs if (c := climb(a, b, spec)) is not None]
        on_area = [c for c in found if c.basis != "total"]
        if on_area or found:
            out[key] = max(on_area or found, key=lambda c: (c.points, c.after.year))
    return out


def most_improved(evals: Sequence[Evaluation], spec: str, n: int = 10) -> Improved:
    """Municipalities ranked by how much they climbed in area ``spec`` (a number or a theme)
    between consecutive evaluations; by the total where area scores are missing."""
    area_spec(spec)  # a bad area fails here, once
    pairs = _pairs(evals)
    best = best_climbs(evals, spec)
    # Climbs in the area first: they measure what was asked. The total's climbs follow, for
    # the municipalities without area scores in both years, marked as such.
    rows = sorted(
        best.values(),
        key=lambda c: (c.basis == "total", -c.points, slugify(c.municipality), c.after.year),
    )
    single = sum(1 for p in pairs.values() if not p)
    unmeasured = sum(1 for k, p in pairs.items() if p and k not in best)
    left_out = []
    if single:
        left_out.append(
            f"{single} {'municipality' if single == 1 else 'municipalities'} with one evaluation "
            "not ranked (no earlier evaluation to climb from)"
        )
    if unmeasured:
        left_out.append(
            f"{unmeasured} {'municipality' if unmeasured == 1 else 'municipalities'} without "
            "scores in two consecutive evaluations not ranked"
        )
    notes = []
    on_total = sum(1 for c in rows if c.basis == "total")
    if on_total:
        notes.append(
            f"{on_total} of {len(rows)} climbs are of the stated total (no area scores in both "
            "years), as percentage points of 800, ranked after the climbs in the area"
        )
    if any(c.basis == "theme" for c in rows):
        notes.append(f"template changed between the two years: {THEME_NOTE}")
    if len({c.area_after.theme for c in rows if c.area_after is not None}) > 1:
        notes.append(
            f"area {spec} is a different theme in different templates; give a theme to compare like with like"
        )
    return Improved(tuple(rows[:n]), tuple(left_out), tuple(notes))
