"""The Textual app for search sessions, and ``create_app``, the factory the CLI and the tests share."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
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
from ..search.query import MAX_QUERY_CHARS, Query
from ..words import count
from .actions import Actions
from .safety import guarded
from .session import Results, Session, area_choices
from .widgets.detail import DetailPane
from .widgets.filters import FilterBar
from .widgets.results import Entry, ResultList
from .widgets.status import AppReporter, StatusLine

DEBOUNCE = 0.15  # seconds of quiet typing before a search starts


class QueryInput(Input):
    """The query box: ↓, enter or esc hand the keys to the results. '/' (the "go to the query"
    key) on an empty box is that key, not a query; a paste over the query limit is refused aloud."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "app.focus_results", "Results", key_display="↓"),
        Binding("escape", "app.focus_results", "Results", show=False),
        Binding("tab", "app.focus_next", "Filters", key_display="tab"),
        Binding("f1", "app.help", "Help"),
    ]

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "/" and not self.value:
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        line = (event.text.splitlines() or [""])[0]
        if len(self.value) + len(line) > MAX_QUERY_CHARS:
            event.stop()
            self.app.notify(
                f"The pasted text is {len(line)} characters; a query is at most {MAX_QUERY_CHARS} "
                "(a question, not a document).",
                title="Query too long",
                severity="warning",
            )
            return
        super()._on_paste(event)


def displayable(text: str) -> str:
    """``text`` with bytes that were not UTF-8 (surrogate escapes from argv) shown as U+FFFD: the
    terminal cannot draw surrogates, and Query.parse refuses U+FFFD with a clear message."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


class KompassApp(Actions):
    """Ask, narrow, compare, cite, ask again."""

    CSS_PATH = "app.tcss"
    TITLE = "kompass"
    SUB_TITLE = "role models in Kommunkompassen evaluations"

    def __init__(self, session: Session, query: str = "") -> None:
        super().__init__()
        self.session = session
        self.initial_query = displayable(query)
        self.results: Results | None = None
        self.marked: Evaluation | None = None
        self.last_latency: float | None = None  # keystroke (or filter change) to results on screen
        self._debounce: Timer | None = None
        self._changed_at = 0.0
        self._was_empty = False
        self._last_problem = ""  # the last "not searched" reason shown, so typing doesn't repeat it

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="query-row"):
            yield Label("kompass ›", id="prompt")
            yield QueryInput(
                value=self.initial_query,
                placeholder="ask: synpunktshantering, lederutvikling, user surveys …",
                id="query",
                compact=True,
                max_length=MAX_QUERY_CHARS,
            )
        yield FilterBar(mode=self.session.config.mode, id="filters")
        with Horizontal(id="main"):
            results = ResultList(id="results")
            results.border_title = "Results"
            results.lang = self.session.lang
            yield results
            detail = DetailPane(id="detail")
            detail.border_title = "Evaluation"
            detail.lang = self.session.lang
            yield detail
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()  # type a query at once; '/' here is not a query
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
        self.query_one(DetailPane).corpus = evals
        if not self.query_one("#query", Input).value.strip():
            self._show_corpus()

    def _failed(self, message: str) -> None:
        self.query_one(StatusLine).say(f"not ready: {message}")
        self.notify(message, title="Cannot search", severity="error", timeout=15)

    @guarded
    def _search_ready(self) -> None:
        index = self.session.searcher.index
        text = f"ready · {count(index.count, 'passage')} · {self.session.model_name}"
        self.query_one(StatusLine).say(text)
        self.query_one(StatusLine).query_one("#status-progress").display = False
        self._start_search()

    # ------------------------------------------------------------ search as you type

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        clean = displayable(event.value)
        if clean != event.value:  # pasted bytes that are not UTF-8: the terminal can't draw them
            event.input.value = clean
            return
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
        filters, mode, problems = self.query_one(FilterBar).read()
        generation = self.session.next_generation()
        if not query:
            self.results = None
            self._show_corpus()
            return
        try:
            Query.parse(query)
        except KompassError as e:  # no words, too long, not UTF-8: say so, show nothing stale
            self._not_searched(str(e), "Query")
            return
        if problems:  # a filter that can't be used is never silently dropped
            self._not_searched(f"{problems[0]}; fix the field (esc: back to the results)", "Filter")
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
        self._last_problem = ""
        self.query_one(ResultList).show_results(results)
        self.last_latency = time.perf_counter() - self._changed_at
        self.query_one(
            "#results"
        ).border_title = f"Results · {count(len(results.groups), 'evaluation')}"
        self.query_one(StatusLine).right(
            f"{count(results.hits, 'practice')} · search {results.seconds * 1000:.0f} ms"
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

    def _not_searched(self, why: str, title: str) -> None:
        """Clear the results (none of them answers what is on screen now) and say why."""
        self.results = None
        self.query_one(ResultList).show_corpus([])
        self.query_one("#results").border_title = "Results · not searched"
        self.query_one(StatusLine).right(f"not searched: {why}")
        if why != self._last_problem:
            self.notify(why, title=f"{title}: not searched", severity="warning")
        self._last_problem = why

    @guarded
    def _show_corpus(self) -> None:
        evals = self.session.evaluations
        self.query_one(ResultList).show_corpus(evals)
        self.query_one("#results").border_title = f"Corpus · {count(len(evals), 'evaluation')}"
        self.query_one(StatusLine).right("")
        self._was_empty = False
        self._last_problem = ""

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
    lang: str | None = None,
) -> KompassApp:
    """The app for ``config`` (default: the user's config). ``embedder`` replaces the configured
    model (tests pass the fake); exports and saved citations go to ``out_dir`` (default: cwd);
    labels and citations are in ``lang`` (sv, no, en; default: each evaluation's language)."""
    session = Session(config or load_config(), embedder=embedder, out_dir=out_dir, lang=lang)
    return KompassApp(session, query=query)
