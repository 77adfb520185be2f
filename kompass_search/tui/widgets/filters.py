"""The filter bar: area (theme), country, years, minimum area score, kind and retrieval mode."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select

from ...errors import KompassError
from ...search.filters import Filters
from ...search.query import MODES as SEARCH_MODES

# The searcher's modes, hybrid first: the TUI's default (exact terms matter while typing).
MODES = ("hybrid", *(m for m in SEARCH_MODES if m != "hybrid"))
# As in the CLI, the default is the practices: improvement areas say what a municipality lacks.
PRACTICES = "strength,summary"
KIND_CHOICES = [
    ("practices", PRACTICES),
    ("strengths", "strength"),
    ("improvements", "improvement"),
    ("summaries", "summary"),
]


class FilterBar(Horizontal):
    """Every control sends ``FilterBar.Changed``; ``read`` turns them into library filters.
    Esc in any of them goes back to the results; below NARROW cells the controls shrink."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.focus_results", "Results", show=False),
    ]
    NARROW = 76

    class Changed(Message):
        """A filter changed; ``typing`` is true for text fields (the app debounces those)."""

        def __init__(self, typing: bool) -> None:
            super().__init__()
            self.typing = typing

    def __init__(self, mode: str = "hybrid", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._mode = mode if mode in MODES else "hybrid"
        self._values: dict[str, list[Any]] = {
            "f-area": [Select.NULL],
            "f-country": [Select.NULL, "SE", "NO"],
            "f-kind": [Select.NULL, *(v for _, v in KIND_CHOICES)],
            "f-mode": list(MODES),
        }

    def compose(self) -> Any:
        area: Select[str] = Select([], prompt="all areas", id="f-area", compact=True)
        area.tooltip = "Area (theme): the names the corpus's templates use for it"
        yield area
        country: Select[str] = Select(
            [("SE", "SE"), ("NO", "NO")], prompt="SE+NO", id="f-country", compact=True
        )
        country.tooltip = "Country: Sweden (SE) or Norway (NO)"
        yield country
        years = Input(placeholder="years", id="f-years", compact=True, max_length=12)
        years.tooltip = "Years: 2016, 2010-2016, 2014- or -2016"
        yield years
        minimum = Input(placeholder="min", id="f-min", compact=True, type="integer", max_length=3)
        minimum.tooltip = "Minimum area score, 0-100"
        yield minimum
        kind: Select[str] = Select(
            KIND_CHOICES, prompt="all kinds", value=PRACTICES, id="f-kind", compact=True
        )
        kind.tooltip = "Kind of passage: practices (strengths + summaries), strengths, improvements, summaries, or all"
        yield kind
        mode: Select[str] = Select(
            [(m, m) for m in MODES], allow_blank=False, value=self._mode, id="f-mode", compact=True
        )
        mode.tooltip = "Retrieval: hybrid (dense + BM25), dense (meaning) or bm25 (exact words)"
        yield mode

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")

    def set_areas(self, choices: Sequence[tuple[str, str]]) -> None:
        self.query_one("#f-area", Select).set_options(choices)
        self._values["f-area"] = [Select.NULL, *(v for _, v in choices)]

    def read(self) -> tuple[Filters, str, list[str]]:
        """The filters on screen, the mode, and one message per field that cannot be used (left out)."""
        problems: list[str] = []
        area = self.query_one("#f-area", Select).value
        country = self.query_one("#f-country", Select).value
        kind = self.query_one("#f-kind", Select).value
        mode = self.query_one("#f-mode", Select).value
        kw: dict[str, Any] = {
            "area": area if isinstance(area, str) else None,
            "country": country if isinstance(country, str) else None,
            "kind": kind if isinstance(kind, str) else None,
        }
        for wid, key in (("#f-years", "year"), ("#f-min", "min_area_score")):
            field = self.query_one(wid, Input)
            raw = field.value.strip()
            ok = True
            if raw:
                try:
                    value: Any = raw if key == "year" else float(raw)
                    Filters.parse(**{key: value})
                    kw[key] = value
                except (KompassError, ValueError) as e:
                    ok = False
                    problems.append(
                        str(e) if isinstance(e, KompassError) else f"{raw!r} is not a number"
                    )
            field.set_class(not ok, "-invalid")
        try:
            filters = Filters.parse(**kw)
        except KompassError as e:  # only reachable with a corpus theme the taxonomy lacks
            problems.append(str(e))
            filters = Filters()
        return filters, str(mode) if isinstance(mode, str) else "hybrid", problems

    def cycle(self, select_id: str) -> None:
        """Move a select to its next value (blank counts as one): quick keys for kind and mode."""
        sel: Select[str] = self.query_one(f"#{select_id}", Select)
        values = self._values.get(select_id, [])
        if values:
            i = values.index(sel.value) if sel.value in values else -1
            sel.value = values[(i + 1) % len(values)]

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(typing=False))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(typing=True))

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        _, _, problems = self.read()
        for p in problems:
            self.app.notify(p, title="Filter left out", severity="warning")
