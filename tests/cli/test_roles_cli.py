"""trend, top --improved, gaps for total-only records and search --rank improved through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompass_search.cli import app

runner = CliRunner()


@pytest.fixture
def env(env: dict[str, Path]) -> Path:
    """The shared set-up (conftest.py); these tests need only its config file."""
    return env["config"]


def run(cfg: Path, *args: str) -> object:
    return runner.invoke(app, [*args, "--config", str(cfg)])


def test_trend_text_json_markdown(env: Path) -> None:
    r = run(env, "trend", "Ulstein")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Ulstein (NO): 4 evaluations, 2013–2019")
    assert "  2019    534  " in r.stdout and "2017→2019: +67" in r.stdout
    data = json.loads(run(env, "trend", "Kramfors", "--json").stdout)
    assert [e["total"] for e in data["evaluations"]] == [359, 448]
    assert run(env, "trend", "Örebro", "--markdown").stdout.startswith("## Örebro")
    bad = run(env, "trend", "Atlantis")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: no evaluation of 'Atlantis'")


def test_top_improved_and_what_top_leaves_out(env: Path) -> None:
    r = run(env, "top", "leadership", "--improved")
    assert r.exit_code == 0, r.output
    assert "1. Kramfors         2011→2013     34 → 53" in r.stdout and "left out: 13" in r.stdout
    rows = [json.loads(x) for x in run(env, "top", "4", "--improved", "--json").stdout.splitlines()]
    assert rows[0]["municipality"] == "Kramfors" and rows[1]["basis"] == "total"
    t = run(env, "top", "user_focus")
    assert "left out: 33 evaluations without area scores (total only) not ranked" in t.stdout


def test_gaps_total_only_names_the_scored_year_and_compare_notes(env: Path) -> None:
    r = run(env, "gaps", "Örebro")
    assert r.exit_code == 1
    assert r.stderr == (
        "error: Örebro 2015 has only a total score; Örebro 2012 has area scores: "
        "kompass gaps Örebro:2012\n"
    )
    ok = run(env, "gaps", "Örebro:2012", "--practices", "0")
    assert ok.exit_code == 0 and "vs 68 %" in ok.stdout  # area 1 beside area 1
    c = run(env, "compare", "Vännäs", "Hareid:2017")
    assert "note: Hareid 2017 has only a total score" in c.stdout
    assert "different templates (skl-2010 and ks-2010)" in c.stdout


def test_search_rank_improved(env: Path) -> None:
    r = run(env, "search", "ledarskap", "--rank", "improved", "--json", "--top", "3")
    assert r.exit_code == 0, r.output
    hits = [json.loads(x) for x in r.stdout.splitlines()]
    # only Vännäs 2016 has report text, and it has no second evaluation: no climb, no lift
    assert len(hits) == 3 and all("climb" not in h for h in hits)
    assert [h["rank_score"] for h in hits] == sorted((h["rank_score"] for h in hits), reverse=True)
    bad = run(env, "search", "ledarskap", "--rank", "fastest")
    assert bad.exit_code == 1 and "--rank 'fastest': use one of" in bad.stderr
