"""Compare two evaluations side by side: one row per theme, both area scores as bars, the difference."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...models import Area, Evaluation
from ...render.text import bar, fmt
from ...search.roles import THEME_NOTE, Comparison, compare
from ..safety import guarded
from ..session import Session


def _cell(area: Area | None, width: int) -> Content:
    if area is None:
        return Content.styled("–".ljust(width + 4), "$text-muted")
    share = 100.0 * area.score / area.max if area.score is not None and area.max else None
    return Content.assemble(
        (f"{fmt(area.score):>3} ", "bold"),
        (bar(share, 100, width) if share is not None else " " * width, "$primary"),
    )


def compare_content(c: Comparison, width: int, medians: dict[str, float]) -> Content:
    """The comparison laid out for ``width`` cells."""
    name_w = max(12, min(28, width // 4))
    bar_w = max(6, (width - name_w - 24) // 2)  # name, two (score + bar) cells, B−A, median
    a, b = c.a, c.b
    lines: list[Content | str] = [
        Content.assemble(
            ("A ", "bold"),
            (f"{a.municipality} {a.year}", "bold $text-accent"),
            f" ({a.country}, {a.template}) total {fmt(a.total)}",
        ),
        Content.assemble(
            ("B ", "bold"),
            (f"{b.municipality} {b.year}", "bold $text-accent"),
            f" ({b.country}, {b.template}) total {fmt(b.total)}",
        ),
        "",
        Content.assemble(
            (f"{'Theme':<{name_w}} ", "bold"),
            (f"{'A':<{bar_w + 4}} ", "bold"),
            (f"{'B':<{bar_w + 4}} ", "bold"),
            ("B−A  median", "bold"),
        ),
    ]
    for row in c.rows:
        name = (
            row.theme_name
            if len(row.theme_name) <= name_w - 1
            else row.theme_name[: name_w - 2] + "…"
        )
        diff = row.difference
        diff_text = f"{diff:+4.0f}" if diff is not None else "   –"
        style = (
            "$text-success"
            if diff is not None and diff > 0
            else "$text-error"
            if diff is not None and diff < 0
            else ""
        )
        median = medians.get(row.theme)
        lines.append(
            Content.assemble(
                (f"{name + ('*' if row.mapped else ''):<{name_w}} ", ""),
                _cell(row.a, bar_w),
                " ",
                _cell(row.b, bar_w),
                " ",
                (diff_text, style),
                (f"  {median:5.0f}" if median is not None else "", "$text-muted"),
            )
        )
    for label, ev in (("A", a), ("B", b)):
        if ev.score_only:
            lines.append(
                Content.styled(
                    f"{label}: score only, no report text is in the corpus.", "$text-warning"
                )
            )
        elif not ev.areas:
            lines.append(Content.styled(f"{label}: only a total is published.", "$text-warning"))
    if any(r.mapped for r in c.rows):
        lines += ["", Content.styled(f"* matched by theme: {THEME_NOTE}.", "$text-muted")]
    lines += [Content.styled(f"Note: {n}.", "$text-muted") for n in c.notes]
    return Content("\n").join(lines)


class CompareScreen(Screen[None]):
    """Two evaluations' area profiles; `s` swaps A and B."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,x", "close", "Back", key_display="esc"),
        Binding("s", "swap", "Swap"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session, a: Evaluation, b: Evaluation) -> None:
        super().__init__()
        self.session = session
        self.pair = (a, b)

    def compose(self) -> Any:
        with VerticalScroll(id="compare-box"):
            yield Static("", id="compare-body")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    @guarded
    def _draw(self) -> None:
        box = self.query_one("#compare-box")
        box.border_title = "Compare"
        width = (box.scrollable_content_region.width or self.size.width) - 1
        comparison = compare(*self.pair, language=self.pair[0].language)
        self.query_one("#compare-body", Static).update(
            compare_content(comparison, width, self.session.medians)
        )

    def action_close(self) -> None:
        self.dismiss(None)

    def action_swap(self) -> None:
        self.pair = (self.pair[1], self.pair[0])
        self._draw()
