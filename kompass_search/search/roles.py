"""Role models from the scores: an evaluation's gaps and who scored highest there, area comparisons, area rankings.

Across templates, areas meet through their theme (themes.yaml). The 2010 <-> 2020 correspondence
is inferred from the area names, not an official crosswalk; every result that relies on it says so
(basis "theme", and the ``THEME_NOTE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import QueryError
from ..index.format import KIND_CODE
from ..index.reader import Index
from ..models import Area, Evaluation, Subquestion, slugify
from ..taxonomy import theme_name, themes
from .filters import area_spec

THEME_NOTE = "areas of different templates are matched by theme; that mapping is inferred from the area names, not official"


@dataclass(frozen=True)
class Practice:
    """A strength credited to a role model, with its inferred subquestion link if any."""

    text: str
    area_number: int
    subquestion: str | None
    link_similarity: float | None
    linked: bool  # True: linked to the gap's subquestion; False: a strength of the area
    citation: str
    reviewed: bool = False  # the link was written into the corpus YAML by a person


@dataclass(frozen=True)
class RoleModel:
    evaluation: str
    municipality: str
    year: int
    template: str
    percent: float
    basis: str  # "subquestion" (same id, same template) | "area" (same template) | "theme" (other template)
    area_number: int
    area_name: str
    practices: tuple[Practice, ...] = ()


@dataclass(frozen=True)
class Gap:
    id: str  # a subquestion id ("7.4"), or an area number ("7") for score-only records
    title: str
    percent: float
    area_number: int
    theme: str
    role_models: tuple[RoleModel, ...]


@dataclass(frozen=True)
class GapReport:
    municipality: str
    year: int
    template: str
    level: str  # "subquestion" | "area"
    gaps: tuple[Gap, ...]


def _pct(score: float | None, top: float) -> float | None:
    return None if score is None or not top else 100.0 * score / top


def _sq_key(s: Subquestion) -> tuple[float, float, tuple[int, ...]]:
    # Printed percents tie often (2.6 and 7.2 are both 35 %); the finer achieved/max breaks the
    # tie (5/15 before 9/25), then the id.
    fine = s.achieved / s.max if s.max else 0.0
    return (s.share, fine, tuple(int(x) for x in s.id.split(".") if x.isdigit()))


def weakest(ev: Evaluation) -> list[Gap]:
    """All of ``ev``'s scored subquestions (else areas), weakest first, without role models yet."""
    if ev.subquestions:
        out = []
        for s in sorted(ev.subquestions, key=_sq_key):
            area = ev.area(s.area_number)
            out.append(Gap(s.id, s.title, s.share, s.area_number, area.theme if area else "", ()))
        return out
    scored = [(p, a) for a in ev.areas if (p := _pct(a.score, a.max)) is not None]
    if not scored:
        raise QueryError(
            f"{ev.municipality} {ev.year} has only a total score; gaps need area or subquestion scores "
            "(add them to its corpus file if the report states them)"
        )
    return [
        Gap(str(a.number), a.name, p, a.number, a.theme, ())
        for p, a in sorted(scored, key=lambda x: (x[0], x[1].number))
    ]


def _standing(
    ev: Evaluation, gap: Gap, template: str, subquestion: bool
) -> tuple[float, str, Area] | None:
    """How ``ev`` scored where ``gap`` is: its percent, the basis of the comparison, and its area."""
    if ev.template == template:
        area = ev.area(gap.area_number)
        sq = ev.subquestion(gap.id) if subquestion else None
        if sq is not None and area is not None:
            return sq.share, "subquestion", area
        basis = "area"
    else:
        area = ev.area_by_theme(gap.theme)
        basis = "theme"
    if area is None or (p := _pct(area.score, area.max)) is None:
        return None
    return p, basis, area


def gaps(
    evals: Sequence[Evaluation],
    target: Evaluation,
    top: int = 3,
    models: int = 3,
    per_model: int = 3,
    index: Index | None = None,
) -> GapReport:
    """``target``'s ``top`` weakest subquestions (areas for score-only records), each with the
    ``models`` evaluations of other municipalities that scored highest there, and up to
    ``per_model`` practices each from ``index`` (strengths linked to that subquestion first)."""
    level = "subquestion" if target.subquestions else "area"
    out = []
    for gap in weakest(target)[:top]:
        found = []
        for ev in evals:
            if slugify(ev.municipality) == slugify(target.municipality):
                continue
            st = _standing(ev, gap, target.template, level == "subquestion")
            if st is not None and st[0] > gap.percent:
                found.append((ev, *st))
        rank = {"subquestion": 0, "area": 1, "theme": 2}
        found.sort(key=lambda f: (-f[1], rank[f[2]], slugify(f[0].municipality), f[0].year))
        rms = tuple(
            RoleModel(
                ev.key,
                ev.municipality,
                ev.year,
                ev.template,
                pct,
                basis,
                area.number,
                area.name,
                _practices(
                    index, ev, area.number, gap.id if basis == "subquestion" else None, per_model
                ),
            )
            for ev, pct, basis, area in found[:models]
        )
        out.append(Gap(gap.id, gap.title, gap.percent, gap.area_number, gap.theme, rms))
    return GapReport(target.municipality, target.year, target.template, level, tuple(out))


def _practices(
    index: Index | None, ev: Evaluation, area: int, subquestion: str | None, n: int
) -> tuple[Practice, ...]:
    """Strengths of ``ev`` in ``area``: those linked to ``subquestion`` first (by similarity), then the rest."""
    if index is None or n <= 0:
        return ()
    idx = index.position(ev.key)
    if idx is None:
        return ()
    rows = index.rows
    ids = np.flatnonzero(
        (rows["eval"] == idx) & (rows["area"] == area) & (rows["kind"] == KIND_CODE["strength"])
    )
    found = []
    for i in ids.tolist():
        p = index.passage(i)
        linked = subquestion is not None and p.subquestion == subquestion
        found.append((not linked, -(p.link_similarity or 0.0) if linked else 0.0, i, p, linked))
    found.sort(key=lambda f: f[:3])
    return tuple(
        Practice(
            p.text,
            p.area_number,
            p.subquestion,
            p.link_similarity,
            linked,
            index.citation(i, p),
            p.link_reviewed,
        )
        for _, _, i, p, linked in found[:n]
    )


@dataclass(frozen=True)
class CompareRow:
    theme: str
    theme_name: str
    a: Area | None
    b: Area | None
    mapped: bool  # matched through the theme: the areas' numbers or templates differ

    @property
    def difference(self) -> float | None:
        pa = _pct(self.a.score, self.a.max) if self.a else None
        pb = _pct(self.b.score, self.b.max) if self.b else None
        return None if pa is None or pb is None else pb - pa


@dataclass(frozen=True)
class Comparison:
    a: Evaluation
    b: Evaluation
    rows: tuple[CompareRow, ...]

    @property
    def same_template(self) -> bool:
        return self.a.template == self.b.template


def compare(a: Evaluation, b: Evaluation, language: str = "sv") -> Comparison:
    """Two evaluations' area profiles side by side, one row per theme (in ``a``'s area order)."""
    order = [x.theme for x in sorted(a.areas, key=lambda x: x.number)]
    order += [
        t
        for t in [x.theme for x in sorted(b.areas, key=lambda x: x.number)] + list(themes())
        if t not in order
    ]
    rows = []
    for t in order:
        x, y = a.area_by_theme(t), b.area_by_theme(t)
        if x is None and y is None:
            continue
        mapped = (
            x is not None and y is not None and (a.template != b.template or x.number != y.number)
        )
        rows.append(CompareRow(t, theme_name(t, language), x, y, mapped))
    return Comparison(a, b, tuple(rows))


@dataclass(frozen=True)
class TopRow:
    evaluation: Evaluation
    area: Area
    percent: float


def top_by_area(
    evals: Sequence[Evaluation], spec: str, n: int = 10
) -> tuple[list[TopRow], str | None]:
    """Evaluations ranked by one area's score (``spec``: a number within each template, or a theme),
    and a note when the ranking mixes areas of different themes or templates."""
    number, theme = area_spec(spec)
    rows = []
    for ev in evals:
        area = ev.area(number) if number is not None else ev.area_by_theme(theme or "")
        if area is not None and (p := _pct(area.score, area.max)) is not None:
            rows.append(TopRow(ev, area, p))
    rows.sort(key=lambda r: (-r.percent, slugify(r.evaluation.municipality), r.evaluation.year))
    note = None
    if number is not None and len({r.area.theme for r in rows}) > 1:
        note = f"area {number} is a different theme in different templates; give a theme (e.g. {rows[0].area.theme}) to compare like with like"
    elif len({r.evaluation.template for r in rows}) > 1:
        note = THEME_NOTE
    return rows[:n], note
