"""The fidelity report: per area what ingest found and where from, and one warning per anomaly."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..models import Evaluation
from ..taxonomy import get_template
from .parsed import Parsed

_AREA = re.compile(r"\barea (\d{1,2})\b")


@dataclass(frozen=True)
class AreaFidelity:
    number: int
    name: str
    score: float | None
    score_from: str  # "Table 1", "heading", "topics row", "overview"
    subquestions: int
    expected_subquestions: int | None  # the template's count, where known
    strengths: int
    improvements: int
    summary: int
    gold_stars: list[str]  # the practices given a gold star (★)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Fidelity:
    file: str
    evaluation: str  # the slug, e.g. vannas-2016
    total: float | None
    total_from: str  # "stated" or "sum of areas"
    areas: list[AreaFidelity]
    warnings: list[str]  # those that concern no single area

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + sum(len(a.warnings) for a in self.areas)

    def text(self, *, warnings: bool = True) -> str:
        """A table: one row per area (its warnings under it), then the totals row."""
        head = (
            f"{'area':<4} {'score':>5} {'from':<10} {'rows':>5} {'str':>4} {'impr':>4} {'summ':>4}"
            "  name (! = warnings)"
        )
        out = [head]
        for a in self.areas:
            rows = f"{a.subquestions}" + (
                f"/{a.expected_subquestions}"
                if a.expected_subquestions not in (None, a.subquestions)
                else ""
            )
            score = f"{a.score:g}" if a.score is not None else "-"
            star = f"  ★ {len(a.gold_stars)}" if a.gold_stars else ""
            star += f"  ! {len(a.warnings)}" if a.warnings and not warnings else ""
            out.append(
                f"{a.number:<4} {score:>5} {a.score_from:<10} {rows:>5} {a.strengths:>4} "
                f"{a.improvements:>4} {a.summary:>4}  {a.name}{star}"
            )
            out += [f"     ! {w}" for w in a.warnings] if warnings else []
        total = f"{self.total:g}" if self.total is not None else "-"
        subs = sum(a.subquestions for a in self.areas)
        strengths = sum(a.strengths for a in self.areas)
        improvements = sum(a.improvements for a in self.areas)
        summary = sum(a.summary for a in self.areas)
        out.append(
            f"{'all':<4} {total:>5} {self.total_from:<10} {subs:>5} {strengths:>4} "
            f"{improvements:>4} {summary:>4}"
        )
        out += [f"     ! {w}" for w in self.warnings] if warnings else []
        return "\n".join(out)


def fidelity(
    ev: Evaluation, parsed: Parsed, score_from: dict[int, str], warnings: list[str], file: str
) -> Fidelity:
    tmpl = get_template(ev.template)
    by_area: dict[int, list[str]] = {}
    general: list[str] = []
    for w in warnings:
        m = _AREA.search(w)
        if m and 1 <= int(m.group(1)) <= len(tmpl.areas):
            by_area.setdefault(int(m.group(1)), []).append(w)
        else:
            general.append(w)
    areas = [
        AreaFidelity(
            number=a.number,
            name=a.name,
            score=a.score,
            score_from=score_from.get(a.number, "-"),
            subquestions=len(ev.subquestions_of(a.number)),
            expected_subquestions=tmpl.area(a.number).subquestions,
            strengths=len(a.strengths),
            improvements=len(a.improvements),
            summary=len(a.summary),
            gold_stars=list(a.gold_stars),
            warnings=by_area.get(a.number, []),
        )
        for a in ev.areas
    ]
    return Fidelity(
        file=file,
        evaluation=ev.slug,
        total=ev.total,
        total_from="stated" if parsed.total is not None else "sum of areas",
        areas=areas,
        warnings=general,
    )
