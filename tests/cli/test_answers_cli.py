"""`kompass links`, weak matches, --all and --lang through typer's CliRunner (fake embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.index.linking import THRESHOLD

runner = CliRunner()


@pytest.fixture
def env(env: dict[str, Path]) -> dict[str, Path]:
    """The shared set-up (conftest.py), plus a config under which every match is weak."""
    strict = (
        env["tmp"] / "strict.yaml"
    )  # every match is weak below 0.99 with the fake's calibration
    strict.write_text(env["config"].read_text() + "ranking: {weak_below: 0.99}\n", encoding="utf-8")
    return {**env, "strict": strict}


def run(env: dict[str, Path], *args: str, config: str = "config") -> object:
    return runner.invoke(app, [*args, "--config", str(env[config])])


def test_links_lists_every_strength_with_link_confidence_and_runner_up(
    env: dict[str, Path],
) -> None:
    r = run(env, "links", "Vännäs:2016", "--json")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 48
    assert {x["status"] for x in rows} <= {"inferred", "area only", "reviewed"}
    for x in rows:
        assert x["best"] and x["best"].split(".")[0] == str(x["area"])
        assert (x["subquestion"] is None) == (x["status"] == "area only")
        assert 0 <= x["confidence"] <= 1 and x["runner_up"] != x["best"]
        # an inferred link is stated by its lead over the runner-up, which every row shows
        assert x["lead"] == pytest.approx(x["confidence"] - x["runner_up_confidence"], abs=2e-4)
        assert (x["status"] == "inferred") == (x["lead"] >= THRESHOLD)
    text = run(env, "links", "Vännäs")
    assert text.exit_code == 0 and "of 48 strengths linked to a subquestion" in text.stdout
    assert f"lead of {round(THRESHOLD * 100)} points or more" in text.stdout
    md = run(env, "links", "Vännäs", "--markdown")
    assert md.stdout.startswith(
        "| area | strength | link | status | confidence | runner-up | lead |"
    )


def test_a_reviewed_link_in_the_yaml_shows_as_reviewed(env: dict[str, Path]) -> None:
    path = env["corpus"] / "vannas-2016.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - Synpunktshanteringssystem inom ex. skola och socialtjänst\n"
    assert old in text

    def review(sq: str) -> None:
        new = f"  - {{text: {old.strip()[2:]}, subquestion: '{sq}'}}\n"
        path.write_text(text.replace(old, new), encoding="utf-8")

    review("2.6")
    assert run(env, "check").exit_code == 0
    rows = [json.loads(x) for x in run(env, "links", "Vännäs", "--json").stdout.splitlines()]
    row = next(x for x in rows if x["text"].startswith("Synpunktshanteringssystem"))
    assert row["status"] == "reviewed" and row["subquestion"] == "2.6" and row["confidence"] == 1.0
    review("8.4")  # a subquestion of another area
    bad = run(env, "check")
    assert bad.exit_code == 1 and "belongs to area 8" in bad.stdout + bad.stderr


def test_links_of_an_unknown_municipality_is_one_line(env: dict[str, Path]) -> None:
    r = run(env, "links", "Atlantis")
    assert r.exit_code == 1 and r.stderr.startswith("error: ") and len(r.stderr.splitlines()) == 1


def test_weak_matches_are_hidden_with_a_note_and_shown_with_all(env: dict[str, Path]) -> None:
    r = run(env, "search", "synpunktshantering", "--top", "5", config="strict")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.strip().endswith(
        "no good match for 'synpunktshantering'; 5 weak matches hidden (--all shows them)"
    )
    j = run(env, "search", "synpunktshantering", "--top", "5", "--json", config="strict")
    assert j.exit_code == 0 and j.stdout.strip() == "[]"  # JSON even when empty (issue 12)
    every = run(
        env, "search", "synpunktshantering", "--top", "5", "--all", "--json", config="strict"
    )
    rows = [json.loads(line) for line in every.stdout.splitlines()]
    assert len(rows) == 5 and all(x["weak"] for x in rows)
    txt = run(env, "search", "synpunktshantering", "--top", "2", "--all", config="strict")
    assert txt.stdout.count("· svag träff") == 2  # labels in the evaluation's language
    en = run(
        env, "search", "synpunktshantering", "--top", "2", "--all", "--lang", "en", config="strict"
    )
    assert en.stdout.count("· weak match") == 2 and "relevance" in en.stdout


def test_lang_switches_citations_and_rejects_an_unknown_language(env: dict[str, Path]) -> None:
    def citation(lang: str) -> str:
        r = run(env, "search", "synpunktshantering", "--top", "1", "--json", "--lang", lang)
        assert r.exit_code == 0, r.output
        return str(json.loads(r.stdout)["citation"])

    assert citation("en").endswith("Source: SKL, Kommunkompassen, January 2016.")
    assert citation("NO").endswith("Kilde: SKL, Kommunkompassen, januar 2016.")
    assert citation("sv").endswith("Källa: SKL, Kommunkompassen, januari 2016.")
    bad = run(env, "search", "synpunktshantering", "--lang", "de")
    assert bad.exit_code == 1 and bad.stderr == "error: --lang 'de': use one of sv, no, en\n"


def test_a_lead_just_short_of_the_threshold_never_reads_as_reaching_it() -> None:
    from kompass_search.render.links import _points

    assert _points(THRESHOLD - 0.0004) == f"{round(THRESHOLD * 100) - 1} points"  # 0.2996: 29
    assert _points(THRESHOLD) == f"{round(THRESHOLD * 100)} points"
    assert _points(None) == "-"
