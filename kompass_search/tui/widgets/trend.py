"""The detail pane's "Over the years" section: stated totals as bars, area scores by theme per year."""

from __future__ import annotations

from textual.content import Content

from ...render.text import bar, fmt
from ...search.roles import THEME_NOTE
from ...search.trend import TOTAL_MAX, Trend


def trend_section(t: Trend, width: int, words: dict[str, str]) -> list[Content | str]:
    """Nothing for a single evaluation; else totals (bars) and a theme x year table of scores,
    labelled with ``words`` (the detail pane's, detail.ui)."""
    evs = t.evaluations
    if len(evs) < 2:
        return []
    bar_w = max(8, min(30, width - 20))
    out: list[Content | str] = [
        "",
        Content.assemble(
            (words["over_years"], "bold"), (f" {words['stated_totals']}", "$text-muted")
        ),
    ]
    prev = None
    for e in evs:
        step = "" if prev is None or e.total is None else f" {e.total - prev:+g}"
        out.append(
            Content.assemble(
                f"{e.year} {fmt(e.total):>5} ",
                (bar(e.total, TOTAL_MAX, bar_w), "$primary"),
                (step, "$text-muted"),
            )
        )
        prev = e.total
    if not t.rows:
        out.append(Content.styled(words["no_area_years"], "$text-muted"))
        return out
    name_w = max(8, min(26, width - 6 * len(evs) - 2))
    out.append(
        Content.styled(
            f"{words['areas_by_theme']:<{name_w}}" + "".join(f" {e.year:>5}" for e in evs), "bold"
        )
    )
    for r in t.rows:
        name = r.name if len(r.name) <= name_w else r.name[: name_w - 1] + "…"
        cells = "".join(f" {fmt(a.score) if a else '–':>5}" for a in r.areas)
        out.append(f"{name:<{name_w}}{cells}{' *' if r.mapped else ''}")
    if any(r.mapped for r in t.rows):
        out.append(Content.styled(f"* {THEME_NOTE}", "$text-muted"))
    return out
