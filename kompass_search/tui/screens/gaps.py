"""The gaps view: an evaluation's weakest subquestions (areas for score-only records) and their role models."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...citation import Origin, source_line
from ...models import Evaluation
from ...render.roles import BASIS, vs
from ...render.text import fmt
from ...search.practices import relevant_practices
from ...search.roles import THEME_NOTE, Gap, GapReport, Practice, RoleModel, gaps
from ..safety import guarded
from ..session import Session

GAPS, MODELS, PRACTICES = 5, 3, 2


@dataclass(frozen=True)
class GapRow:
    """What a row stands for, so `c` can cite it."""

    gap: Gap
    model: RoleModel | None = None
    practice: Practice | None = None


def _indented(
    mark: str, text: str, style: str = "", mark_style: str = "", indent: int = 4
) -> Table:
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=indent, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(mark, style=mark_style), Text(text, style=style))
    return grid


def gap_rows(report: GapReport, evals: dict[str, Evaluation]) -> list[tuple[GapRow, Any]]:
    rows: list[tuple[GapRow, Any]] = []
    for gap in report.gaps:
        what = "subquestion" if report.level == "subquestion" else "area"
        rows.append(
            (
                GapRow(gap),
                Content.assemble(
                    (f"{gap.id} {gap.title}", "bold $text-accent"),
                    (f"  {gap.percent:.0f} %", "bold"),
                    (f"  ({what}, area {gap.area_number})", "$text-muted"),
                ),
            )
        )
        if not gap.role_models:
            rows.append(
                (
                    GapRow(gap),
                    _indented("", "No evaluation in the corpus scored higher here.", "dim"),
                )
            )
        for rm in gap.role_models:
            line = f"{rm.municipality} {rm.year}  {vs(rm)}  ({BASIS.get(rm.basis, rm.basis)}, area {rm.area_number} {rm.area_name})"
            rows.append((GapRow(gap, rm), _indented("▸", line, "bold", indent=2)))
            ev = evals.get(rm.evaluation)
            if not rm.practices:
                note = (
                    "scores only: no report text is in the corpus for it"
                    if ev is None or ev.score_only
                    else "none of its strengths answers this gap"
                )
                rows.append((GapRow(gap, rm), _indented("", note, "dim")))
            for p in rm.practices:
                mark = "+" if not p.linked else "+✓" if p.reviewed else "+*"
                rows.append((GapRow(gap, rm, p), _indented(mark, p.text, mark_style="green")))
    return rows


class GapsScreen(Screen[None]):
    """Weakest first; `c` copies the highlighted practice's citation (or the role model's source)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,g", "close", "Back", key_display="esc"),
        Binding("c", "cite", "Cite"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session, evaluation: Evaluation) -> None:
        super().__init__()
        self.session = session
        self.evaluation = evaluation
        self.report: GapReport | None = None
        self.rows: list[GapRow] = []

    def compose(self) -> Any:
        ev = self.evaluation
        with Vertical(id="gaps-box"):
            yield Static(
                Content.assemble(
                    ("Gaps: ", "bold"),
                    (f"{ev.municipality} {ev.year}", "bold $text-accent"),
                    f" ({ev.template}) · weakest first, with the evaluations that scored higher there",
                ),
                id="gaps-title",
            )
            yield OptionList(id="gaps-list")
            yield Static("", id="gaps-note")
        yield Footer(compact=True, show_command_palette=False)

    @guarded
    def on_mount(self) -> None:
        ready = self.session.ready
        self.report = gaps(
            self.session.evaluations,
            self.evaluation,
            top=GAPS,
            models=MODELS,
            per_model=PRACTICES,
            practices=partial(relevant_practices, self.session.searcher) if ready else None,
        )
        rows = gap_rows(self.report, self.session.by_key)
        self.rows = [r for r, _ in rows]
        listing = self.query_one(OptionList)
        listing.add_options([Option(prompt) for _, prompt in rows])
        listing.focus()
        notes = []
        if any(rm.basis == "theme" for g in self.report.gaps for rm in g.role_models):
            notes.append(f"* {THEME_NOTE}.")
        linked = [p for g in self.report.gaps for rm in g.role_models for p in rm.practices]
        if any(p.linked and not p.reviewed for p in linked):
            notes.append(
                "+* a strength linked to this subquestion (the link is inferred from the text)."
            )
        if any(p.linked and p.reviewed for p in linked):
            notes.append("+✓ a strength linked to this subquestion by a reviewed link.")
        if not ready:
            notes.append("Practices appear once the index is ready.")
        self.query_one("#gaps-note", Static).update("\n".join(notes))

    def action_close(self) -> None:
        self.dismiss(None)

    @guarded
    def action_cite(self) -> None:
        i = self.query_one(OptionList).highlighted
        row = self.rows[i] if i is not None and 0 <= i < len(self.rows) else None
        if row is None or row.model is None:
            self.notify("Highlight a role model or one of its practices.", severity="warning")
            return
        if row.practice is not None:
            text = row.practice.citation
        else:
            ev = self.session.by_key.get(row.model.evaluation)
            source = source_line(Origin.of(ev)) if ev is not None else ""
            text = (
                f"{row.model.municipality} {row.model.year}, area {row.model.area_number} "
                f"{row.model.area_name} ({fmt(round(row.model.percent))} %). {source}".strip()
            )
        cite = getattr(self.app, "cite", None)
        if callable(cite):
            cite(text)
