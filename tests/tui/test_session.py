"""The TUI's Textual-free parts: area labels, medians, Markdown export, the clipboard guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_search.config import Config, Ranking
from kompass_search.corpus import load_corpus
from kompass_search.model.fake import HashingEmbedder
from kompass_search.progress import Quiet
from kompass_search.search.filters import Filters
from kompass_search.tui.clipboard import osc52_supported
from kompass_search.tui.session import (
    Session,
    area_choices,
    describe_filters,
    export_name,
    medians,
)

from .conftest import SHIPPED


@pytest.fixture(scope="module")
def evals():  # type: ignore[no-untyped-def]
    return load_corpus(SHIPPED)


def test_area_choices_name_every_theme_as_the_corpus_templates_do(evals) -> None:  # type: ignore[no-untyped-def]
    choices = dict((theme, label) for label, theme in area_choices(evals))
    assert len(choices) == 8
    assert choices["user_focus"].startswith(
        "Tilgjengelighet, innbygger- og brukerorientering"
    )  # ks-2010 is most used
    assert "Tillgänglighet och brukarorientering" in choices["user_focus"]
    assert "Brukarens fokus" in choices["user_focus"]  # the 2020 template's name for it


def test_medians_are_per_theme_over_every_scored_area(evals) -> None:  # type: ignore[no-untyped-def]
    m = medians(evals)
    assert set(m) == {
        "democracy",
        "user_focus",
        "governance",
        "leadership",
        "efficiency",
        "employer",
        "improvement",
        "community",
    }
    assert all(0 < v < 100 for v in m.values())


def test_describe_filters_and_export_names() -> None:
    f = Filters.parse(area="user_focus", country="se", year="2010-2016", min_area_score=50)
    assert describe_filters(f) == "theme user_focus, country SE, min area score 50, years 2010-2016"
    assert describe_filters(Filters()) == "none"
    assert export_name("Hur får vi ordning på synpunkter?", 0).startswith(
        "kompass-hur-far-vi-ordning"
    )
    assert export_name("???", 0).startswith("kompass-results-")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"}, False),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, False),
        ({"TERM": "linux"}, False),
        ({}, False),
        ({"TERM": "linux", "KOMPASS_CLIPBOARD": "osc52"}, True),
        ({"TERM": "xterm-kitty", "KOMPASS_CLIPBOARD": "file"}, False),
    ],
)
def test_osc52_guess(env: dict[str, str], expected: bool) -> None:
    assert osc52_supported(env) is expected


def test_export_writes_into_the_out_dir(tmp_path: Path) -> None:
    from kompass_search.config import Config
    from kompass_search.tui.session import Results, Session

    session = Session(Config(corpus=SHIPPED, index=tmp_path / "i"), out_dir=tmp_path / "out")
    path = session.export_markdown(Results("q", Filters(), "dense"))
    assert path.parent == tmp_path / "out" and path.read_text(encoding="utf-8").startswith(
        "# kompass: q"
    )


@pytest.mark.parametrize(("weak_below", "shown"), [(0.0, True), (0.99, False)])
def test_weak_matches_are_left_out_and_counted(
    fake_index: Path, weak_below: float, shown: bool
) -> None:
    config = Config(corpus=SHIPPED, index=fake_index, ranking=Ranking(weak_below=weak_below))
    session = Session(config, embedder=HashingEmbedder(64))
    session.load_corpus()
    session.prepare(Quiet())
    results = session.search("synpunktshantering", Filters.parse(kind="strength,summary"), "dense")
    assert results.empty != shown
    assert (results.weak_hidden > 0) == (not shown)
    assert all(not h.weak for g in results.groups for h in g.hits)
