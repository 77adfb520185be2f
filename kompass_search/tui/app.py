"""The Textual app for search sessions, and ``create_app``, the factory the CLI and the tests share."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Footer, Input, Label

from ..config import Config, load_config
from ..errors import KompassError
from ..model.embed import Embedder
from ..models import Evaluation
from ..search.filters import Filters
from .actions import Actions
from .safety import guarded
from .session import Results, Session, area_choices
from .widgets.detail import DetailPane
from .widgets.filters import FilterBar
from .widgets.results import Entry, ResultList
from .widgets.status import AppReporter, StatusLine

DEBOUNCE = 0.15  # seconds of quiet typing before a search starts


class QueryInput(Input):
    """The query box: ↓, enter or esc hand the keys to the results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "app.focus_results", "Results", key_display="↓"),
        Binding("escape", "app.focus_results", "Results", show=False),
        Binding("tab", "app.focus_next", "Filters", key_display="tab"),
        Binding("f1", "app.help", "Help"),
    ]


class KompassApp(Actions):
    """Ask, narrow, compare, cite, ask again."""

    CSS_PATH = "app.tcss"
    TITLE = "kompass"
    SUB_TITLE = "role models in Kommunkompassen evaluations"

    def __init__(self, session: Session, query: str = "") -> None:
        super().__init__()
        self.session = session
        self.initial_query = query
        self.results: Results | None = None
        self.marked: Evaluation | None = None
        self.last_latency: float | None = None  # keystroke (or filter change) to results on screen
        self._debounce: Timer | None = None
        self._changed_at = 0.0
        self._was_empty = False

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="query-row"):
            yield Label("kompass ›", id="prompt")
            yield QueryInput(
                value=self.initial_query,
                placeholder="ask: synpunktshantering, lederutvikling, user surveys …",
                id="query",
                compact=True,
                max_length=1000,
            )
        yield FilterBar(mode=self.session.config.mode, id="filters")
        with Horizontal(id="main"):
            results = ResultList(id="results")
            results.border_title = "Results"
            yield results
            detail = DetailPane(id="detail")
            detail.border_title = "Evaluation"
            yield detail
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.query_one(DetailPane).medians = self.session.medians
        self._start()

    # ------------------------------------------------------------ start-up (worker)

    @work(thread=True, exclusive=True, group="start", exit_on_error=False)
    def _start(self) -> None:
        status = self.query_one(StatusLine)
        try:
            self.call_from_thread(status.say, f"loading the corpus {self.session.config.corpus} …")
            evals = self.session.load_corpus()
            self.call_from_thread(self._corpus_loaded, evals)
            self.session.prepare(AppReporter(self, status.apply))
        except KompassError as e:
            self.call_from_thread(self._failed, str(e))
            return
        except Exception as e:  # a bug must not take the session down; say what happened
            self.call_from_thread(
                self._failed, f"unexpected error while starting: {type(e).__name__}: {e}"
            )
            return
        self.call_from_thread(self._search_ready)

    @guarded
    def _corpus_loaded(self, evals: list[Evaluation]) -> None:
        self.query_one(FilterBar).set_areas(area_choices(evals))
        self.query_one(DetailPane).medians = self.session.medians
        if not self.query_one("#query", Input).value.strip():
            self._show_corpus()

    def _failed(self, message: str) -> None:
        self.query_one(StatusLine).say(f"not ready: {message}")
        self.notify(message, title="Cannot search", severity="error", timeout=15)

    @guarded
    def _search_ready(self) -> None:
        index = self.session.searcher.index
        text = f"ready · {index.count} passages · {self.session.model_name}"
        self.query_one(StatusLine).say(text)
        self.query_one(StatusLine).query_one("#status-progress").display = False
        self._start_search()

    # ------------------------------------------------------------ search as you type

    @on(Input.Changed, "#query")
    def _query_changed(self) -> None:
        self._schedule()

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        self.action_focus_results()

    @on(FilterBar.Changed)
    def _filters_changed(self, event: FilterBar.Changed) -> None:
        self._schedule(0.0 if not event.typing else DEBOUNCE)

    def _schedule(self, delay: float = DEBOUNCE) -> None:
        self._changed_at = time.perf_counter()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(delay, self._start_search) if delay else None
        if not delay:
            self._start_search()

    @guarded
    def _start_search(self) -> None:
        self._debounce = None
        query = " ".join(self.query_one("#query", Input).value.split())
        filters, mode, _problems = self.query_one(FilterBar).read()
        generation = self.session.next_generation()
        if not query:
            self.results = None
            self._show_corpus()
            return
        if not self.session.ready:
            self.query_one(StatusLine).right("the search starts when the index and model are ready")
            return
        self._search(query, filters, mode, generation)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, filters: Filters, mode: str, generation: int) -> None:
        try:
            results = self.session.search(query, filters, mode, generation)
        except KompassError as e:
            if self.session.is_current(generation):
                self.call_from_thread(self.notify, str(e), title="Search", severity="error")
            return
        except Exception as e:  # keep the session alive whatever the library does
            self.call_from_thread(
                self.notify, f"{type(e).__name__}: {e}", title="Unexpected error", severity="error"
            )
            return
        if self.session.is_current(generation):
            self.call_from_thread(self._show_results, results)

    @guarded
    def _show_results(self, results: Results) -> None:
        if not self.session.is_current(results.generation):
            return  # a newer query is on its way
        self.results = results
        self.query_one(ResultList).show_results(results)
        self.last_latency = time.perf_counter() - self._changed_at
        self.query_one("#results").border_title = f"Results · {len(results.groups)} evaluations"
        self.query_one(StatusLine).right(
            f"{results.hits} practices · search {results.seconds * 1000:.0f} ms"
        )
        if results.empty and results.weak_hidden and not self._was_empty:
            self.notify(
                f"No good match; {results.weak_hidden} weak matches hidden (they are below the "
                "calibrated relevance threshold). Ask in other words.",
                title="No good match",
                severity="warning",
            )
        elif results.empty and not self._was_empty:
            self.notify(
                "No practices match. Loosen the filters, or switch mode (r) if bm25 finds no shared word.",
                title="No results",
                severity="warning",
            )
        self._was_empty = results.empty

    @guarded
    def _show_corpus(self) -> None:
        evals = self.session.evaluations
        self.query_one(ResultList).show_corpus(evals)
        self.query_one("#results").border_title = f"Corpus · {len(evals)} evaluations"
        self.query_one(StatusLine).right("")
        self._was_empty = False

    # ------------------------------------------------------------ selection

    @on(ResultList.Picked)
    @guarded
    def _picked(self, event: ResultList.Picked) -> None:
        entry = event.entry
        detail = self.query_one(DetailPane)
        if entry is None:
            detail.show(None)
            return
        detail.show(entry.evaluation, self._area_for(entry), entry.hit)

    def _area_for(self, entry: Entry) -> int | None:
        if entry.area_number is not None:
            return entry.area_number
        theme = self.query_one(FilterBar).read()[0].theme
        area = entry.evaluation.area_by_theme(theme) if theme else None
        return area.number if area is not None else None

    @property
    def pending_search(self) -> Timer | None:
        """The debounce timer while typing has not paused long enough for a search."""
        return self._debounce


def create_app(
    config: Config | None = None,
    *,
    embedder: Embedder | None = None,
    out_dir: Path | None = None,
    query: str = "",
) -> KompassApp:
    """The app for ``config`` (default: the user's config). ``embedder`` replaces the configured
    model (tests pass the fake); exports and saved citations go to ``out_dir`` (default: cwd)."""
    session = Session(config or load_config(), embedder=embedder, out_dir=out_dir)
    return KompassApp(session, query=query)
