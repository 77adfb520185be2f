"""Waiting for the app's workers the way a user waits for the screen, without fixed sleeps."""

from __future__ import annotations

import time

from textual.pilot import Pilot
from textual.widgets import Input

from kompass_search.tui.app import KompassApp


async def started(pilot: Pilot[None], timeout: float = 20.0) -> KompassApp:
    """Wait until start-up finished (ready to search, or failed with a notification)."""
    app = pilot.app
    assert isinstance(app, KompassApp)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if not any(w.group == "start" and not w.is_finished for w in app.workers):
            break
    await pilot.pause()
    return app


async def settled(pilot: Pilot[None], timeout: float = 10.0) -> KompassApp:
    """Wait until the debounce ran out and the search it started is on screen."""
    app = pilot.app
    assert isinstance(app, KompassApp)
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while time.monotonic() < deadline:
        if app.pending_search is None and not any(
            w.group == "search" and not w.is_finished for w in app.workers
        ):
            break
        await pilot.pause(0.01)
    await pilot.pause()
    return app


async def ask(pilot: Pilot[None], text: str) -> KompassApp:
    """Put ``text`` in the query box (as a paste would) and wait for the results.

    Typing key by key costs ~80 ms a key under the pilot; the tests that are about typing press keys.
    """
    pilot.app.query_one("#query", Input).value = text
    return await settled(pilot)


def screen_text(app: KompassApp) -> str:
    """The screen as plain text (what a user reads), for assertions."""
    import io

    from rich.console import Console

    console = Console(
        width=app.size.width,
        height=app.size.height,
        record=True,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def notices(app: KompassApp) -> list[str]:
    """The app's notifications as 'title: message' lines."""
    return [f"{n.title}: {n.message}" for n in app._notifications]
