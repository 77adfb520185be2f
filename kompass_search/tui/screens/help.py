"""The `?` help screen: the key map and what the numbers mean."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

KEYS: list[tuple[str, str]] = [
    ("/", "focus the query (type to search; results follow as you type)"),
    ("enter, ↓, esc", "from the query: go to the results"),
    ("↑ ↓ PgUp PgDn", "move through the results; the detail pane follows"),
    ("[ ]", "previous / next area in the detail pane"),
    ("f, tab", "go to the filters (enter opens a list, tab moves on)"),
    ("k / r", "cycle the kind filter / the retrieval mode"),
    ("c", "copy the selected practice's citation (OSC 52, else to a file)"),
    ("e", "export the current results as Markdown (to a file)"),
    ("g", "gaps: the selected municipality's weakest spots and their role models"),
    ("m, x", "mark an evaluation, then compare it with the selected one"),
    ("t", "dark / light theme"),
    ("?, F1", "this help"),
    ("q, ctrl+q", "quit"),
]

INTRO = (
    'Ask in Swedish, Norwegian or English ("hur får vi ordning på synpunktshanteringen?"). '
    "Results are one row per evaluation with its best matching practices beneath."
)
NUMBERS = (
    "relevance is a calibrated probability (0-1) that the practice answers the query; the same "
    "number means the same across queries, and weak matches are hidden. The score used is the "
    "linked subquestion's percent (marked inferred when the link was inferred from the text, "
    "reviewed when a person set it) or else the area score. rank combines the two with the "
    "weights in the config. Labels and citations follow each evaluation's language, or --lang. "
    "In the detail "
    "pane ┃ marks the corpus median of the area's theme; themes join the areas of different "
    "templates, and the 2010/2020 mapping is inferred from the area names, not an official "
    "crosswalk. Score-only evaluations carry published figures only: no report text is in the "
    "corpus for them."
)


def help_text() -> str:
    """The help as plain text (the README's key map is the same table)."""
    width = max(len(k) for k, _ in KEYS) + 2
    return "\n".join([INTRO, "", *(f"{k:<{width}}{v}" for k, v in KEYS), "", NUMBERS])


class HelpScreen(ModalScreen[None]):
    """A modal over the session; any of esc, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", key_display="esc"),
    ]

    def compose(self) -> Any:
        with VerticalScroll(id="help-box"):
            yield Static(Content.styled("kompass tui", "bold $text-accent"))
            yield Static(INTRO, classes="para")
            for key, does in KEYS:
                with Horizontal(classes="key-row"):
                    yield Label(key, classes="key")
                    yield Label(does, classes="does")
            yield Static(Content.styled("The numbers", "bold"), classes="para")
            yield Static(NUMBERS)
        yield Footer(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        self.dismiss(None)
