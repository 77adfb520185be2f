"""What the first half of parsing found: every figure and text, before it becomes an Evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Overview, Subquestion


@dataclass
class AreaText:
    """What one area section holds, as found."""

    heading: str = ""
    heading_score: float | None = None  # "Område 1 ... 49 poäng"
    section_score: float | None = None  # the topics row ("Rubriker ... Poäng")
    topics: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    gold_stars: list[str] = field(default_factory=list)
    dash_inline: str | None = None  # the dash a list was split on inside a line, if any


@dataclass
class Parsed:
    """The first half of parsing: every figure and text the report's tables and sections gave."""

    table1: dict[int, tuple[str, float]] = field(default_factory=dict)
    total: float | None = None
    results_year: int | None = None
    sections: dict[int, AreaText] = field(default_factory=dict)
    overview_names: dict[int, str] = field(default_factory=dict)
    overview_totals: dict[int, Overview] = field(default_factory=dict)
    subquestions: list[Subquestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
