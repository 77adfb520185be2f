"""Role models from the scores: an evaluation's gaps and who scored highest there, area comparisons, area rankings.

Across templates, areas meet through their theme (themes.yaml). The 2010 <-> 2020 correspondence
is inferred from the area names, not an official crosswalk; every result that relies on it says so
(basis "theme", and the ``THEME_NOTE``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..errors import QueryError
from ..models import Area, Evaluation, slugify
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
    relevance: float | None = None  # to the gap's subquestion or area (search relevance, 0..1)
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
    # the target's own figure on the same basis (its subquestion, else its area): like with like
    target_percent: float | None = None
    score_only: bool = False  # no report text in the corpus: it can have no practices


@dataclass(frozen=True)
class Gap:
    id: str  # a subquestion id ("7.4"), or an area number ("7") for score-only records
    title: str
    percent: float
    area_number: int
    theme: str
    role_models: tuple[RoleModel, ...]
    area_percent: float | None = None  # the target's area score in percent (for area comparisons)


@dataclass(frozen=True)
class GapReport:
    municipality: str
    year: int
    template: str
    level: str  # "subquestion" | "area"
    gaps: tuple[Gap, ...]
    practices_searched: bool = False  # False: practices were not asked for (or no index)


def _pct(score: float | None, top: float) -> float | None:
    return None if score is None or not top else 100.0 * score / top


def weakest(ev: Evaluation) -> list[Gap]:
    """All of ``ev``'s scored subquestions (else areas), weakest first, without role models yet."""
    if ev.subquestions:
        out = []
        for s in ev.weakest_subquestions():
            area = ev.area(s.area_number)
            ap = _pct(area.score, area.max) if area else None
            out.append(
                Gap(s.id, s.title, s.share, s.area_number, area.theme if area else "", (), ap)
            )
        return out
    scored = ev.weakest_areas()
    if not scored:
        raise QueryError(
            f"{ev.municipality} {ev.year} has only a total score; gaps need area or subquestion scores "
            "(add them to its corpus file if the report states them)"
        )
    return [Gap(str(a.number), a.name, p, a.number, a.theme, (), p) for p, a in scored]


def require_area_scores(evals: Sequence[Evaluation], target: Evaluation) -> None:
    """A one-line error for a total-only ``target``, naming the years of it that have area scores."""
    if target.subquestions or any(a.score is not None for a in target.areas):
        return
    m = target.municipality
    scored = sorted(
        e.year
        for e in evals
        if slugify(e.municipality) == slugify(m) and any(a.score is not None for a in e.areas)
    )
    if not scored:
        raise QueryError(
            f"{m} {target.year} has only a total score, and no evaluation of {m} in the corpus has "
            "area scores; gaps need them (add them to its corpus file if the report states them)"
        )
    years = " and ".join(str(y) for y in scored)
    raise QueryError(
        f"{m} {target.year} has only a total score; {m} {years} "
        f"{'has' if len(scored) == 1 else 'have'} area scores: kompass gaps {m}:{scored[-1]}"
    )


def _standing(ev: Evaluation, gap: Gap, template: str) -> tuple[float, str, Area, float] | None:
    """How ``ev`` scored where ``gap`` is, like with like: (its percent, the basis, its area, the
    target's percent on that basis). Subquestion against subquestion where both have it (same
    template), else area against area (by theme across templates)."""
    if ev.template == template:
        area = ev.area(gap.area_number)
        sq = ev.subquestion(gap.id) if "." in gap.id else None
        if sq is not None and area is not None:
            return sq.share, "subquestion", area, gap.percent
        basis = "area"
    else:
        area = ev.area_by_theme(gap.theme)
        basis = "theme"
    if area is None or gap.area_percent is None or (p := _pct(area.score, area.max)) is None:
        return None
    return p, basis, area, gap.area_percent


# (gap, its role models, practices per model) -> practices by RoleModel.evaluation
PracticeFinder = Callable[[Gap, Sequence[RoleModel], int], dict[str, tuple[Practice, ...]]]

_BASIS_RANK = {"subquestion": 0, "area": 1, "theme": 2}


def gaps(
    evals: Sequence[Evaluation],
    target: Evaluation,
    top: int = 3,
    models: int = 3,
    per_model: int = 3,
    practices: PracticeFinder | None = None,
) -> GapReport:
    """``target``'s ``top`` weakest subquestions (areas for score-only records), each with the
    ``models`` evaluations of other municipalities that scored higher there on the same basis
    (subquestion beside subquestion first, then area beside area), and up to ``per_model`` of
    each one's practices that answer the gap, chosen by ``practices`` (see search/practices.py:
    a semantic match to the gap, none rather than unrelated ones)."""
    require_area_scores(evals, target)
    level = "subquestion" if target.subquestions else "area"
    out = []
    for gap in weakest(target)[:top]:
        found = []
        for ev in evals:
            if slugify(ev.municipality) == slugify(target.municipality):
                continue
            st = _standing(ev, gap, target.template)
            if st is not None and st[0] > st[3]:
                found.append((ev, *st))
        found.sort(key=lambda f: (_BASIS_RANK[f[2]], -f[1], slugify(f[0].municipality), f[0].year))
        rms = [
            RoleModel(
                ev.key,
                ev.municipality,
                ev.year,
                ev.template,
                pct,
                basis,
                area.number,
                area.name,
                (),
                target_pct,
                ev.score_only,
            )
            for ev, pct, basis, area, target_pct in found[:models]
        ]
        if practices is not None and per_model > 0 and rms:
            chosen = practices(gap, rms, per_model)
            rms = [replace(m, practices=chosen.get(m.evaluation, ())) for m in rms]
        out.append(replace(gap, role_models=tuple(rms)))
    searched = practices is not None and per_model > 0
    return GapReport(target.municipality, target.year, target.template, level, tuple(out), searched)


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

    @property
    def notes(self) -> tuple[str, ...]:
        """What the comparison could not compare, and why; and a template difference."""
        out = []
        if not self.same_template:
            out.append(
                f"different templates ({self.a.template} and {self.b.template}): areas are "
                "compared by theme (inferred from the area names, not official)"
            )
        for e in (self.a, self.b):
            if not any(x.score is not None for x in e.areas):
                out.append(
                    f"{e.municipality} {e.year} has only a total score: its areas are not compared"
                )
        scored = [e for e in (self.a, self.b) if any(x.score is not None for x in e.areas)]
        if len(scored) == 2:
            one_sided = sum(1 for r in self.rows if r.difference is None)
            if one_sided:
                out.append(f"{one_sided} themes without a score on both sides not compared")
        return tuple(out)


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


def unranked(evals: Sequence[Evaluation], spec: str) -> tuple[str, ...]:
    """What ``top_by_area(evals, spec)`` leaves out, and why, as counted lines."""
    number, theme = area_spec(spec)
    no_areas = sum(1 for e in evals if not any(a.score is not None for a in e.areas))
    missing = 0
    for e in evals:
        if any(a.score is not None for a in e.areas):
            area = e.area(number) if number is not None else e.area_by_theme(theme or "")
            missing += area is None or area.score is None
    out = []
    if no_areas:
        out.append(
            f"{no_areas} evaluation{'s' * (no_areas != 1)} without area scores (total only) not ranked"
        )
    if missing:
        out.append(
            f"{missing} evaluation{'s' * (missing != 1)} without a score for area {spec} not ranked"
        )
    return tuple(out)


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
