"""The one progress protocol: what long work (conversion, indexing) tells its caller, who draws it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Advance = Callable[
    [int], None
]  # a Progress's ``advance``: called with the number of items just done


class Progress(Protocol):
    """Notes, and one progress bar at a time. The CLI draws it on stderr, the TUI in its status line."""

    def note(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class Quiet:
    """A Progress that says nothing."""

    def note(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class Notes:
    """A Progress that only passes its notes on (e.g. ``Notes(print)``); bars are dropped."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say

    def note(self, message: str) -> None:
        self._say(message)

    def start(self, label: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...
