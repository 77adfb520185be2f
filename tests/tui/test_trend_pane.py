"""The detail pane's "Over the years" section (issue 14, point 3) on the shipped corpus and a made-up record."""

from __future__ import annotations

from dataclasses import replace

from searchkit import provby, shipped

from kompass_search.models import Area
from kompass_search.search.trend import trend
from kompass_search.taxonomy import get_template
from kompass_search.tui.widgets.detail import detail_content, ui
from kompass_search.tui.widgets.trend import trend_section


def test_the_pane_shows_stated_totals_and_areas_over_the_years() -> None:
    evals = shipped()
    kramfors = [e for e in evals if e.municipality == "Kramfors"]
    history = trend(evals, "Kramfors")
    text = detail_content(kramfors[-1], {}, 60, history=history, lang="en").plain
    over = text[text.index("Over the years") :]
    assert "2011   359 " in over and "2013   448 " in over and "+89" in over
    assert "Areas by theme" in over and "  2011  2013" in over
    lead = next(line for line in over.splitlines() if line.startswith("Ledarskap"))
    assert lead.split()[-2:] == ["34", "53"]
    # by default in the evaluation's language (Kramfors: Swedish)
    sv = detail_content(kramfors[-1], {}, 60, history=history).plain
    assert "Över åren" in sv and "Områden per tema" in sv and "Over the years" not in sv


def test_one_evaluation_has_no_section_and_other_templates_are_marked() -> None:
    evals = shipped()
    vannas = next(e for e in evals if e.municipality == "Vännäs")
    assert "Över åren" not in detail_content(vannas, {}, 60, history=trend(evals, "Vännäs")).plain
    skr = get_template("skr-2020")  # made up: Provby again in 2022, on the 2020 template
    areas = tuple(Area(a.number, a.theme, a.name, 75.0) for a in skr.areas)
    later = replace(provby(), year=2022, template="skr-2020", areas=areas, subquestions=())
    lines = [str(x) for x in trend_section(trend([provby(), later], "Provby"), 60, ui("en"))]
    assert any(line.endswith(" *") for line in lines) and "not official" in lines[-1]
