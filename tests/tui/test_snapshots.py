"""Snapshots of stable screens (pytest-textual-snapshot); update with `pytest tests/tui --snapshot-update`."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Label

from .conftest import MakeApp
from .helpers import ask, started


async def _quiet(pilot: Pilot[None]) -> None:
    """Focus the results (no blinking cursor) and blank the timing, which varies run to run."""
    await pilot.press("escape")
    pilot.app.query_one("#status-right", Label).update("")
    await pilot.pause()


def test_results_and_detail_at_100x30(make_app: MakeApp, snap_compare: Any) -> None:
    """A query's results: Vännäs with its practices; the detail pane's eight bars and area 7's text."""

    async def run_before(pilot: Pilot[None]) -> None:
        await started(pilot)
        await ask(pilot, "synpunktshantering")
        await _quiet(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_corpus_view_light_theme_at_80x24(make_app: MakeApp, snap_compare: Any) -> None:
    """Idle: the corpus list; a score-only record's detail says no report text is in the corpus."""

    async def run_before(pilot: Pilot[None]) -> None:
        await started(pilot)
        await _quiet(pilot)
        await pilot.press("t")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_screen_at_80x24(make_app: MakeApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await started(pilot)
        await _quiet(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
