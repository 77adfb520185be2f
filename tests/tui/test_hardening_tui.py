"""Issue #12, hardening round 2, the TUI points (P1, P20-P25), through the pilot with the fake embedder."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual import events
from textual.widgets import Input

from kompass_search.search.query import MAX_QUERY_CHARS
from kompass_search.tui.widgets.detail import DetailPane, detail_content
from kompass_search.tui.widgets.results import ResultList

from .conftest import MakeApp
from .helpers import ask, notices, screen_text, settled, started

pytestmark = pytest.mark.anyio


# ------------------------------------------------------------------ P1 text that is not UTF-8


async def test_p1_a_non_utf8_initial_query_is_said_and_ctrl_c_exits_cleanly(
    make_app: MakeApp,
) -> None:
    app = make_app(query="V\udce4nn\udce4s ledarskap")  # as argv passes Latin-1 bytes
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await settled(pilot)
        box = app.query_one("#query", Input)
        assert "\udce4" not in box.value and "\ufffd" in box.value  # drawable
        assert any("not valid UTF-8" in n for n in notices(app))
        assert not any("Unexpected error" in n for n in notices(app))
        assert app.results is None
        screen_text(app)  # the screen renders (a surrogate would not encode)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_p1_typed_or_pasted_non_utf8_text_is_said(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await started(pilot)
        await ask(pilot, "ledarskap")
        assert app.results is not None
        await ask(pilot, "led\udce4rskap")
        await settled(pilot)
        assert "\udce4" not in app.query_one("#query", Input).value
        assert app.results is None and any("not valid UTF-8" in n for n in notices(app))


# ------------------------------------------------------------------ P20 '/'


async def test_p20_slash_at_start_does_not_type_a_query(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await started(pilot)
        await pilot.press("slash")
        await settled(pilot)
        box = app.query_one("#query", Input)
        assert app.focused is box and box.value == ""
        assert not any("no words" in n for n in notices(app))
        await pilot.press(*"a/b")  # inside a query '/' is just a character
        assert box.value == "a/b"


# ------------------------------------------------------------------ P21 bad filter values


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("#f-years", "2020-2017", "backwards"), ("#f-min", "150", "0 to 100")],
)
async def test_p21_an_unusable_filter_is_said_and_no_results_pretend_to_be_filtered(
    make_app: MakeApp, field: str, value: str, says: str
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await ask(pilot, "ledarskap")
        assert app.results is not None and not app.results.empty
        app.query_one(field, Input).value = value
        await settled(pilot)
        assert app.results is None
        assert any(says in n and "not searched" in n for n in notices(app))
        assert app.query_one(ResultList).entries == []
        assert "not searched" in screen_text(app)
        app.query_one(field, Input).value = ""  # fixed: the search runs again
        await settled(pilot)
        assert app.results is not None and not app.results.empty


# ------------------------------------------------------------------ P22


async def test_p22_a_punctuation_query_clears_the_previous_results(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await started(pilot)
        await ask(pilot, "ledarskap")
        assert app.results is not None and app.query_one(ResultList).entries
        await ask(pilot, "?!")
        assert app.results is None and app.query_one(ResultList).entries == []
        assert any("no words" in n for n in notices(app))


async def test_p22_gaps_on_a_total_only_record_says_so(make_app: MakeApp) -> None:
    from kompass_search.tui.screens.gaps import GapsScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        results = app.query_one(ResultList)
        results.focus()
        i = next(k for k, e in enumerate(results.entries) if not e.evaluation.areas)
        results.highlighted = i
        await pilot.press("g")
        await pilot.pause()
        assert not isinstance(app.screen, GapsScreen)
        assert any("only a total score" in n for n in notices(app))


@pytest.mark.parametrize("field", ["#f-years", "#f-min"])
async def test_p22_esc_in_a_filter_field_returns_to_the_results(
    make_app: MakeApp, field: str
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        app.query_one(field, Input).focus()
        await pilot.press("escape")
        assert app.focused is app.query_one(ResultList)


# ------------------------------------------------------------------ P23 one query limit


async def test_p23_the_tui_has_the_cli_query_limit(make_app: MakeApp) -> None:
    long = "ledarskap " * 570  # 5,700 characters
    app = make_app(query=long)
    async with app.run_test() as pilot:
        await started(pilot)
        await settled(pilot)
        box = app.query_one("#query", Input)
        assert box.max_length == MAX_QUERY_CHARS
        assert app.results is None and any("characters long" in n for n in notices(app))
        box.value = ""
        await settled(pilot)
        box.focus()
        box.post_message(events.Paste(long))
        await pilot.pause()
        assert box.value == "" and any("Query too long" in n for n in notices(app))


# ------------------------------------------------------------------ P24 60 x 20


async def test_p24_at_60x20_the_mode_selector_shows_and_no_bar_wraps(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await started(pilot)
        await ask(pilot, "ledarskap")
        mode = app.query_one("#f-mode")
        assert mode.region.width > 0 and mode.region.right <= 60, mode.region
        detail = app.query_one(DetailPane)
        pane = detail.scrollable_content_region.width
        assert detail.evaluation is not None
        content = detail_content(detail.evaluation, detail.medians, pane - 1)
        rows = [line for line in content.plain.splitlines() if "┃" in line or "█" in line]
        assert rows and max(cell_len(r) for r in rows) <= pane, (pane, rows)


def test_p24_area_bars_fit_every_pane_width() -> None:
    from kompass_search.corpus import load_corpus

    from .conftest import SHIPPED

    vannas = next(e for e in load_corpus(SHIPPED) if e.municipality == "Vännäs")
    for lang, heading in (("sv", "Områden"), ("no", "Områder"), ("en", "Areas")):
        for w in range(20, 90):
            plain = detail_content(vannas, {"user_focus": 50.0}, w, lang=lang).plain
            bars = [line for line in plain.splitlines() if "█" in line or heading in line]
            assert len(bars) == 9 and max(cell_len(b) for b in bars) <= w, (lang, w, bars)


# ------------------------------------------------------------------ P25 citations file, grammar


# P25's citations file (the practice, then its citation) is checked in full by
# test_pilot.py::test_copy_citation_falls_back_to_a_file_where_osc52_is_unknown.


async def test_p25_one_evaluation_is_singular(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await ask(pilot, "synpunktshantering")  # one evaluation has practices: Vännäs 2016
        assert app.results is not None and len(app.results.groups) == 1
        title = str(app.query_one("#results").border_title)
        assert title == "Results · 1 evaluation", title
