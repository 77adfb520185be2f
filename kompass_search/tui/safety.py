"""Turn errors inside key and mouse handlers into notifications, so no input ends the session."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.widget import Widget

from ..errors import KompassError

F = TypeVar("F", bound=Callable[..., Any])


def report(node: Widget | App[Any], error: Exception, title: str = "") -> None:
    """Show ``error`` as a notification: the project's own errors as they are, others with their type."""
    if isinstance(error, KompassError):
        node.notify(str(error), title=title or "Error", severity="error", timeout=10)
    else:
        node.log.error(error)
        node.notify(
            f"{type(error).__name__}: {error}",
            title="Unexpected error",
            severity="error",
            timeout=10,
        )


def guarded(func: F) -> F:
    """Decorate a handler on a widget, screen or app: errors become notifications, not an exit."""

    @functools.wraps(func)
    def wrapper(self: Widget | App[Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return func(self, *args, **kwargs)
        except Exception as e:  # the session outlives any one action
            report(self, e)
            return None

    return wrapper  # type: ignore[return-value]
