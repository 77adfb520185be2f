"""Trends (a municipality's scores over the years, as bars) and climbs (`top --improved`) as text,
Markdown or JSON."""

from __future__ import annotations

import json
from typing import Any

from ..models import Area, Evaluation
from ..search.roles import THEME_NOTE
from ..search.trend import TOTAL_MAX, Climb, Improved, Trend
from .text import bar, fmt, json_lines, md_escape, width, wrap


def _area_sum(e: Evaluation) -> float | None:
    scores = [a.score for a in e.areas]
    return None if not scores or any(s is None for s in scores) else sum(s or 0 for s in scores)


def total_note(e: Evaluation) -> str:
    """'' or ' (stated; the areas sum to 363)' when the stated total is not the areas' sum."""
    s = _area_sum(e)
    return (
        "" if s is None or e.total is None or s == e.total else f" (stated; the areas sum to {s:g})"
    )


def _pct(a: Area) -> float:
    return 100.0 * (a.score or 0) / a.max if a.max else 0.0


def trend_text(t: Trend, w: int | None = None) -> str:
    w = w or width()
    evs = t.evaluations
    bar_w = max(10, w - 48)  # year, score, bar, then the stated-total note or the area number
    span = f"{evs[0].year}–{evs[-1].year}" if len(evs) > 1 else str(evs[0].year)
    lines = [
        f"{t.municipality} ({evs[-1].country}): {len(evs)} evaluation{'s' * (len(evs) != 1)}, "
        f"{span}, templates {', '.join(t.templates)}",
        "",
        f"Total (stated, of {TOTAL_MAX:g})",
    ]
    for e in evs:
        lines.append(
            f"  {e.year}  {fmt(e.total):>5}  {bar(e.total, TOTAL_MAX, bar_w)}{total_note(e)}".rstrip()
        )
    for c in t.climbs:
        lines.append(f"  {c.before.year}→{c.after.year}: {c.score_after - c.score_before:+g}")
    total_only = [e for e in evs if not any(a.score is not None for a in e.areas)]
    if total_only and t.rows:
        years = ", ".join(str(e.year) for e in total_only)
        lines += ["", f"{years}: only the total is published (no area scores)"]
    mapped = False
    for r in t.rows:
        lines += ["", f"{r.name} ({r.theme})"]
        for e, a in zip(evs, r.areas, strict=True):
            if e in total_only:
                continue
            if a is None:
                lines.append(f"  {e.year}      –  no score for this theme")
                continue
            star = " *" if r.mapped else ""
            mapped |= r.mapped
            lines.append(
                f"  {e.year}  {fmt(a.score):>5}  {bar(_pct(a), 100, bar_w)} area {a.number}{star}".rstrip()
            )
    if not t.rows:
        lines += ["", "no area scores in any evaluation: only totals are published"]
    if mapped:
        lines += ["", f"* another area name or number in another template: {THEME_NOTE}"]
    return "\n".join(lines)


def _area_dict(a: Area | None) -> dict[str, Any] | None:
    return (
        None if a is None else {"number": a.number, "name": a.name, "score": a.score, "max": a.max}
    )


def trend_json(t: Trend) -> str:
    out: dict[str, Any] = {
        "municipality": t.municipality,
        "evaluations": [
            {
                "year": e.year,
                "template": e.template,
                "total": e.total,
                "total_is_stated": True,
                "areas_sum": _area_sum(e),
                "score_only": e.score_only,
            }
            for e in t.evaluations
        ],
        "themes": [
            {
                "theme": r.theme,
                "name": r.name,
                "mapped": r.mapped,
                "areas": [_area_dict(a) for a in r.areas],
            }
            for r in t.rows
        ],
    }
    if any(r.mapped for r in t.rows):
        out["note"] = THEME_NOTE
    return json.dumps(out, ensure_ascii=False)


def trend_markdown(t: Trend) -> str:
    evs = t.evaluations
    head = " | ".join(f"{e.year} ({e.template})" for e in evs)
    lines = [
        f"## {md_escape(t.municipality)}: scores over the years",
        "",
        f"| | {head} |",
        "|---|" + "--:|" * len(evs),
        "| **total (stated)** | " + " | ".join(fmt(e.total) for e in evs) + " |",
    ]
    for r in t.rows:
        cells = " | ".join("–" if a is None else f"{fmt(a.score)} ({a.number})" for a in r.areas)
        star = " \\*" if r.mapped else ""
        lines.append(f"| {md_escape(r.name)}{star} | {cells} |")
    notes = [
        f"{e.year}: the stated total {fmt(e.total)} is shown; the areas sum to {fmt(_area_sum(e))}"
        for e in evs
        if total_note(e)
    ]
    if notes:
        lines += ["", *(f"_{md_escape(n)}_" for n in notes)]
    if any(r.mapped for r in t.rows):
        lines += ["", f"\\* {THEME_NOTE}"]
    return "\n".join(lines)


def _what(c: Climb) -> str:
    if c.basis == "total":
        return "total (of 800)"
    a = c.area_after
    assert a is not None
    return f"area {a.number} {a.name}"


def _climb_dict(i: int, c: Climb) -> dict[str, Any]:
    return {
        "rank": i,
        "municipality": c.municipality,
        "year_before": c.before.year,
        "year_after": c.after.year,
        "score_before": c.score_before,
        "score_after": c.score_after,
        "max_before": c.max_before,
        "max_after": c.max_after,
        "climb_points": round(c.points, 2),
        "basis": c.basis,
        "template_before": c.before.template,
        "template_after": c.after.template,
        "template_changed": c.template_changed,
        "area_before": _area_dict(c.area_before),
        "area_after": _area_dict(c.area_after),
    }


def improved_json(r: Improved) -> str:
    return json_lines(_climb_dict(i, c) for i, c in enumerate(r.rows, start=1))


def _mark(c: Climb) -> str:
    if c.basis == "theme":
        return f"  [template changed {c.before.template}→{c.after.template}: compared by theme*]"
    if c.template_changed:
        return f"  [template changed {c.before.template}→{c.after.template}]"
    return ""


def improved_text(r: Improved, w: int | None = None) -> str:
    head = [
        wrap(
            "each municipality's largest climb between consecutive evaluations, in percentage "
            "points of the maximum (area: of 100; total: of 800)",
            "",
            w or width(),
        )
    ]
    lines = head + [
        f"{i:>3}. {c.municipality:<16} {c.before.year}→{c.after.year}  "
        f"{fmt(c.score_before):>5} → {fmt(c.score_after):<5} {c.points:+5.1f} pp  {_what(c)}{_mark(c)}"
        for i, c in enumerate(r.rows, start=1)
    ] or ["no municipality has scores in two consecutive evaluations"]
    ww = w or width()
    lines += [""] + [wrap(f"left out: {x}", "", ww) for x in r.left_out]
    lines += [wrap(f"note: {x}", "", ww) for x in r.notes]
    if any(c.basis == "theme" for c in r.rows):
        lines.append(f"* {THEME_NOTE}")
    return "\n".join(lines).rstrip()


def improved_markdown(r: Improved) -> str:
    lines = [
        "| # | municipality | years | before | after | climb (pp) | measured on |",
        "|--:|---|---|--:|--:|--:|---|",
    ]
    for i, c in enumerate(r.rows, start=1):
        lines.append(
            f"| {i} | {md_escape(c.municipality)} | {c.before.year}→{c.after.year} | "
            f"{fmt(c.score_before)} | {fmt(c.score_after)} | {c.points:+.1f} | "
            f"{md_escape(_what(c))}{md_escape(_mark(c))} |"
        )
    extra = [f"_left out: {md_escape(x)}_" for x in r.left_out]
    extra += [f"_note: {md_escape(x)}_" for x in r.notes]
    return "\n".join(lines + (["", *extra] if extra else []))
