"""The status line: what the session is doing (index build with progress, model load), and timings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class Progress:
    """From the worker thread: a note, or a progress bar starting, advancing or finishing."""

    def __init__(
        self,
        note: str | None = None,
        label: str | None = None,
        total: int | None = None,
        advance: int = 0,
        finished: bool = False,
    ) -> None:
        self.note, self.label, self.total = note, label, total
        self.advance, self.finished = advance, finished


class AppReporter:
    """An indexer Reporter for a worker thread: each report is shown before the worker goes on,
    so the status line never shows an older state after a newer one."""

    def __init__(self, app: App[Any], show: Callable[[Progress], None]) -> None:
        self.app = app
        self.show = show

    def _send(self, msg: Progress) -> None:
        self.app.call_from_thread(self.show, msg)

    def note(self, message: str) -> None:
        self._send(Progress(note=message))

    def start(self, label: str, total: int) -> None:
        self._send(Progress(label=label, total=total))

    def advance(self, n: int) -> None:
        self._send(Progress(advance=n))

    def finish(self) -> None:
        self._send(Progress(finished=True))


class StatusLine(Horizontal):
    """Left: the session's state; middle: a progress bar while indexing; right: the last search."""

    def compose(self) -> Any:
        yield Label("starting…", id="status-text")
        yield ProgressBar(id="status-progress", show_eta=False)
        yield Label("", id="status-right")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []  # everything said this session, for a look back (and tests)

    def say(self, text: str) -> None:
        self.history.append(text)
        self.query_one("#status-text", Label).update(text)

    def right(self, text: str) -> None:
        self.query_one("#status-right", Label).update(text)

    def apply(self, msg: Progress) -> None:
        bar = self.query_one(ProgressBar)
        if msg.note is not None:
            self.say(msg.note)
        if msg.total is not None:
            if msg.label:
                self.say(msg.label)
            bar.display = True
            bar.update(total=msg.total, progress=0)
        if msg.advance:
            bar.advance(msg.advance)
        if msg.finished:
            bar.display = False
            self.say("writing the index …")
