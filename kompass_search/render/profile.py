"""One evaluation as a readable text profile (area bars, subquestions, text, source) and as JSON."""

from __future__ import annotations

import textwrap
from typing import Any

from ..citation import Origin, source_line
from ..corpus_write import to_mapping
from ..models import Evaluation
from ..taxonomy import get_template
from .text import bar, fmt, width


def profile_text(ev: Evaluation, w: int | None = None) -> str:
    """The profile laid out for ``w`` columns (default: the terminal's), so no bar row wraps."""
    w = w or width()
    bar_w = max(5, min(25, (w - 9) // 3))
    name_w = min(44, w - 10 - bar_w)
    title_w = max(20, min(60, w - 22))
    tmpl = get_template(ev.template)
    lines = [
        f"{ev.municipality} {ev.year}  ({ev.country}, {tmpl.tool}, template {ev.template})",
        f"Total {fmt(ev.total)} of {100 * len(tmpl.areas)}"
        + (f"   Evaluators: {'; '.join(ev.evaluators)}" if ev.evaluators else ""),
    ]
    if ev.score_only:
        lines.append("Score only: no report text in the corpus, only the published figures.")
    lines.append("")
    for a in ev.areas:
        name = a.name if len(a.name) <= name_w else a.name[: name_w - 1] + "…"
        lines.append(
            f"{a.number}. {name:<{name_w}} {fmt(a.score):>4} {bar(a.score, a.max, bar_w)}".rstrip()
        )
    for a in ev.areas:
        subs = ev.subquestions_of(a.number)
        if not (subs or a.has_text):
            continue
        lines += ["", f"── Area {a.number} {a.name} ({fmt(a.score)}/{fmt(a.max)}) " + "─" * 10]
        if a.overview is not None and a.overview.achieved != a.score:
            lines.append(f"   (the score overview prints {fmt(a.overview.achieved)})")
        for s in subs:
            pct = f"{s.percent} %" if s.percent is not None else ""
            title = textwrap.wrap(s.title, title_w) or [""]
            lines.append(
                f"   {s.id:<5} {title[0]:<{title_w}} {fmt(s.achieved):>3}/{fmt(s.max):<3} {pct:>6}"
            )
            lines += [f"         {t}" for t in title[1:]]
        if a.strengths:
            lines.append("   Strengths:")
            lines += [f"     + {'★ ' if t in a.gold_stars else ''}{t}" for t in a.strengths]
        if a.improvements:
            lines.append("   Improvements:")
            lines += [f"     - {t}" for t in a.improvements]
    lines += ["", f"Source: {source_line(Origin.of(ev))}"]
    if ev.source.file:
        lines.append(f"File: {ev.source.file}")
    if ev.source.url and ev.source.kind != "published":
        lines.append(f"URL: {ev.source.url}")
    return "\n".join(lines)


def profile_json(ev: Evaluation) -> dict[str, Any]:
    """The documented `show --json` object; lists are always present, possibly empty."""
    m = to_mapping(ev)
    m.pop("format", None)
    m["slug"] = ev.slug
    m.setdefault("total", None)
    for a in m["areas"]:
        for key in ("topics", "summary", "strengths", "improvements"):
            a.setdefault(key, [])
    m.setdefault("subquestions", [])
    m["citation"] = source_line(Origin.of(ev))
    return m
