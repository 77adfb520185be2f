"""What the keys do on the main screen: cite, export, gaps, mark and compare, help, theme, focus."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import Input

from ..citation import evaluation_citation
from ..models import Evaluation
from .clipboard import osc52_supported
from .safety import guarded
from .screens.help import HelpScreen
from .session import Results, Session
from .widgets.detail import DetailPane
from .widgets.filters import FilterBar
from .widgets.results import Entry, ResultList

THEMES = ("textual-dark", "textual-light")
# Actions on the main screen's results; off while the gaps, compare or help screen is up.
MAIN_ACTIONS = {
    "focus_query",
    "focus_filters",
    "copy_citation",
    "export",
    "gaps",
    "mark",
    "compare",
    "area",
    "cycle",
}
# Actions that are single letters: hidden from the footer while a text field has the keys.
LETTER_ACTIONS = {"quit", "toggle_theme", *MAIN_ACTIONS}


class Actions(App[None]):
    """The key map and its actions; KompassApp adds the layout, start-up and the search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("slash", "focus_query", "Query", key_display="/"),
        Binding("c", "copy_citation", "Cite"),
        Binding("e", "export", "Export"),
        Binding("g", "gaps", "Gaps"),
        Binding("m", "mark", "Mark"),
        Binding("x", "compare", "Compare"),
        Binding("t", "toggle_theme", "Theme", show=False),
        Binding("f", "focus_filters", "Filters", show=False),
        Binding("left_square_bracket", "area(-1)", "Prev area", show=False),
        Binding("right_square_bracket", "area(1)", "Next area", show=False),
        Binding("k", "cycle('f-kind')", "Kind", show=False),
        Binding("r", "cycle('f-mode')", "Mode", show=False),
    ]

    session: Session
    results: Results | None
    marked: Evaluation | None

    @property
    def current(self) -> Entry | None:
        return self.query_one(ResultList).current

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_ACTIONS and self.screen is not self.screen_stack[0]:
            return False
        # letter keys type into a text field: hide them from the footer while one has focus
        return not (action in LETTER_ACTIONS and isinstance(self.focused, Input))

    @guarded
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one(ResultList).focus()

    @guarded
    def action_focus_filters(self) -> None:
        self.query_one("#f-area").focus()

    @guarded
    def action_area(self, delta: int) -> None:
        self.query_one(DetailPane).step_area(delta)

    @guarded
    def action_cycle(self, select_id: str) -> None:
        self.query_one(FilterBar).cycle(select_id)

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    @guarded
    def action_copy_citation(self) -> None:
        entry = self.current
        if entry is None:
            self.notify("Select a result first.", severity="warning")
            return
        ev = entry.evaluation
        if entry.hit is not None:
            self.cite(entry.hit.citation, entry.hit.passage.text)
        else:
            self.cite(evaluation_citation(ev))

    def cite(self, text: str, practice: str | None = None) -> None:
        """Copy ``text`` by OSC 52 where the terminal takes it, else append it (under the
        ``practice`` it cites, if any) to the citations file."""
        if osc52_supported() and not self.is_headless:
            self.copy_to_clipboard(text)
            self.notify(text, title="Citation copied to the clipboard (OSC 52)")
            return
        path = self.session.save_citation(text, practice)
        self.copy_to_clipboard(text)  # harmless where ignored; paste inside the app still works
        self.notify(
            f"{text}\n\nThis terminal may not take OSC 52 (clipboard), so it was added to {path}",
            title="Citation saved to a file",
            timeout=10,
        )

    @guarded
    def action_export(self) -> None:
        if self.results is None or self.results.empty:
            self.notify("Nothing to export yet: type a query first.", severity="warning")
            return
        path = self.session.export_markdown(self.results)
        self.notify(str(path), title="Results exported as Markdown", timeout=8)

    @guarded
    def action_gaps(self) -> None:
        entry = self.current
        if entry is None:
            self.notify("Select an evaluation first.", severity="warning")
            return
        from ..search.roles import weakest
        from .screens.gaps import GapsScreen

        weakest(
            entry.evaluation
        )  # a total-only record says so (a notification), not an empty screen
        self.push_screen(GapsScreen(self.session, entry.evaluation))

    @guarded
    def action_mark(self) -> None:
        entry = self.current
        if entry is None:
            self.notify("Select an evaluation to mark.", severity="warning")
            return
        self.marked = entry.evaluation
        self.notify(
            f"Marked {entry.evaluation.municipality} {entry.evaluation.year}: select another, press x.",
            title="Compare",
        )

    @guarded
    def action_compare(self) -> None:
        entry = self.current
        if self.marked is None or entry is None:
            self.notify(
                "Mark one evaluation with m, select another, then press x.", severity="warning"
            )
            return
        if entry.evaluation.key == self.marked.key:
            self.notify("Select a different evaluation from the marked one.", severity="warning")
            return
        from .screens.compare import CompareScreen

        self.push_screen(CompareScreen(self.session, self.marked, entry.evaluation))
