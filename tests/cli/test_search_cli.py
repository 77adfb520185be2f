"""The index, search, gaps, compare, top and eval commands through typer's CliRunner (fake embedder)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from searchkit import FakeE5, provby, write_corpus
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.index.build import build_index
from kompass_search.index.folder import lock
from kompass_search.index.format import LINK_METHOD, META
from kompass_search.model import embed
from kompass_search.model.fake import HashingEmbedder

runner = CliRunner()


def run(env: dict[str, Path], *args: str) -> object:
    return runner.invoke(app, [*args, "--config", str(env["config"])])


def test_first_search_builds_the_index_and_answers(env: dict[str, Path]) -> None:
    r = run(env, "search", "synpunktshantering för brukare")
    assert r.exit_code == 0, r.output
    assert "no index at" in r.stderr and "building it" in r.stderr
    assert "Vännäs" in r.stdout and "Källa: SKL, Kommunkompassen, januari 2016." in r.stdout
    assert "relevans" in r.stdout and "rang" in r.stdout  # labels in the evaluation's language
    again = run(env, "search", "synpunktshantering för brukare")
    assert again.exit_code == 0 and again.stderr == ""


def test_a_cold_search_encodes_its_query_once(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The query encoded ahead, while the index opens, is the text the searcher embeds (the plain
    query: its glossary concepts are added as vectors), so a query naming a concept is not encoded
    a second time."""
    assert run(env, "index").exit_code == 0
    encoded: list[str] = []

    class Counting(FakeE5):
        def embed_queries(self, texts):  # type: ignore[no-untyped-def]
            encoded.extend(texts)
            return super().embed_queries(texts)

    monkeypatch.setattr(embed, "query_embedder", lambda config: Counting())
    r = run(env, "search", "klagehåndtering", "--all")
    assert r.exit_code == 0, r.output
    assert encoded == ["klagehåndtering"]  # once, and not expanded


def test_area_2_strengths_top_50_json(env: dict[str, Path]) -> None:
    r = run(env, "search", "brukare", "--area", "2", "--kind", "strength", "--top", "50", "--json")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 5 and {(x["area_number"], x["kind"]) for x in rows} == {(2, "strength")}
    required = {
        "municipality",
        "country",
        "year",
        "template",
        "area_number",
        "theme",
        "area_name",
        "kind",
        "text",
        "subquestion",
        "relevance",
        "score",
        "rank_score",
        "citation",
    }
    assert all(required <= set(x) for x in rows)


def test_default_kinds_are_the_practices(env: dict[str, Path]) -> None:
    def kinds(*extra: str) -> set[tuple[str, str | None]]:
        r = run(env, "search", "synpunktshantering", "--top", "400", "--json", *extra)
        assert r.exit_code == 0, r.output
        return {
            (row["kind"], row["sentence_label"]) for row in map(json.loads, r.stdout.splitlines())
        }

    # summaries are sentences: by default only the practice ones, never deficit or advice
    assert kinds() == {("strength", None), ("summary", "practice")}
    assert kinds("--kind", "all") >= {
        ("strength", None),
        ("summary", "practice"),
        ("summary", "deficit"),
        ("improvement", None),
    }
    assert kinds("--kind", "improvements") == {("improvement", None), ("summary", "deficit")}
    bad = run(env, "search", "x", "--kind", "strength,wishes")
    assert bad.exit_code == 1 and "--kind 'wishes'" in bad.stderr


def test_markdown_and_group(env: dict[str, Path]) -> None:
    r = run(env, "search", "ledarskap", "--markdown", "--top", "3")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("- **") and "Vännäs kommun 2016, område" in r.stdout
    g = run(env, "search", "ledarskap", "--group", "--json", "--top", "2", "--per-group", "2")
    assert g.exit_code == 0, g.output
    rows = [json.loads(line) for line in g.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["municipality"] == "Vännäs" and len(rows[0]["practices"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "empty query"),
        (["search", "   "], "empty query"),
        (["search", "x" * 10_000], "characters long"),
        (["search", "dialog", "--area", "9"], "area numbers run from 1 to 8"),
        (["search", "dialog", "--area", "kvalitet"], "not an area number"),
        (["search", "dialog", "--country", "DK"], "--country"),
        (["search", "dialog", "--year", "2016-2010"], "backwards"),
        (["search", "dialog", "--template", "skl-1999"], "known templates"),
        (["search", "dialog", "--kind", "weakness"], "--kind"),
        (["search", "dialog", "--min-area-score", "120"], "0 to 100"),
        (["search", "dialog", "--municipality", "Vänäs"], "did you mean Vännäs"),
        (["search", "dialog", "--mode", "semantic"], "--mode"),
        (["gaps", "Atlantis"], "no evaluation of 'Atlantis'"),
        (["gaps", "Vännäs", "--year", "2001"], "no evaluation of Vännäs in 2001"),
        (["gaps", "Helsingborg"], "only a total score"),
        (["compare", "Vännäs", "Vännäs"], "compare two evaluations"),
        (["compare", "Vännäs", "Atlantis"], "no evaluation of 'Atlantis'"),
        (["top", "9"], "1 to 8"),
        (["top", "²"], "not an area number"),
        (["top", "2", "--country", "DK"], "--country"),
        (["search", "🙂🙂 ?!"], "has no words to search for"),
        (["eval", "--queries", "/nonexistent/queries.yaml"], "cannot read the queries"),
    ],
)
def test_errors_are_one_line_and_exit_1(
    env: dict[str, Path], args: list[str], message: str
) -> None:
    r = run(env, *args)
    assert r.exit_code == 1, r.output
    errors = [line for line in r.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], r.stderr
    assert r.stderr.strip().splitlines()[-1] == errors[0] and "Traceback" not in r.output


def test_an_index_of_another_model_is_refused(env: dict[str, Path]) -> None:
    from kompass_search.corpus import load_corpus

    build_index(load_corpus(env["corpus"]), env["index"], HashingEmbedder(32), corpus=env["corpus"])
    r = run(env, "search", "dialog")
    assert r.exit_code == 1 and "kompass index --rebuild" in r.stderr
    r = run(env, "index")
    assert r.exit_code == 1 and "kompass index --rebuild" in r.stderr
    r = run(env, "index", "--rebuild")
    assert r.exit_code == 0, r.output
    assert run(env, "search", "dialog").exit_code == 0


def test_missing_corpus_config_and_not_an_index(env: dict[str, Path]) -> None:
    r = runner.invoke(
        app,
        [
            "search",
            "dialog",
            "--corpus",
            str(env["tmp"] / "nowhere"),
            "--config",
            str(env["config"]),
        ],
    )
    assert r.exit_code == 1 and "corpus not found" in r.stderr
    r = runner.invoke(app, ["search", "dialog", "--config", str(env["tmp"] / "missing.yaml")])
    assert r.exit_code == 1 and "config file not found" in r.stderr
    (env["tmp"] / "docs").mkdir()
    (env["tmp"] / "docs" / "notes.txt").write_text("mine")
    r = run(env, "search", "dialog", "--index", str(env["tmp"] / "docs"))
    assert r.exit_code == 1 and "not a kompass index" in r.stderr


def test_index_reports_reuse_and_a_held_lock_stops_it(env: dict[str, Path]) -> None:
    first = run(env, "index")
    assert first.exit_code == 0, first.output
    assert "198 embedded" in first.stdout and "0 reused" in first.stdout
    write_corpus(env["corpus"], [provby()])
    second = run(env, "index")
    assert second.exit_code == 0 and "198 reused" in second.stdout and "9 embedded" in second.stdout
    held = lock(env["index"])
    try:
        r = run(env, "index")
    finally:
        held.release()
    assert r.exit_code == 1 and "another `kompass index` run is writing this index" in r.stderr


def test_an_index_whose_links_were_inferred_another_way_is_relinked(env: dict[str, Path]) -> None:
    assert run(env, "index").exit_code == 0
    assert "up to date" in run(env, "index").stdout
    meta_file = env["index"] / META
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta_file.write_text(json.dumps({**meta, "link_method": "e5-query-posterior-2"}), "utf-8")
    r = run(env, "index")  # the texts are unchanged: nothing embedded again, the links redone
    assert r.exit_code == 0 and "up to date" not in r.stdout and "198 reused" in r.stdout, r.output
    assert json.loads(meta_file.read_text(encoding="utf-8"))["link_method"] == LINK_METHOD


def test_gaps_text_json_markdown(env: dict[str, Path]) -> None:
    r = run(env, "gaps", "Vännäs")
    assert r.exit_code == 0, r.output
    assert [line.split()[0] for line in r.stdout.splitlines() if line[:1].isdigit()][:3] == [
        "7.4",
        "2.6",
        "7.2",
    ]
    data = json.loads(run(env, "gaps", "Vännäs:2016", "--json").stdout)
    assert [g["id"] for g in data["gaps"]] == ["7.4", "2.6", "7.2"]
    assert [g["percent"] for g in data["gaps"]] == [32, 35, 35]
    # same template first, area beside area: Örebro 2012 area 2 at 85 % vs Vännäs's 49 %
    first = data["gaps"][1]["role_models"][0]
    assert (first["municipality"], first["percent"], first["target_percent"]) == ("Örebro", 85, 49)
    md = run(env, "gaps", "Vännäs", "--markdown").stdout
    assert md.startswith("## Förebilder för Vännäs 2016")


def test_compare_and_top(env: dict[str, Path]) -> None:
    r = run(env, "compare", "Vännäs", "Vallentuna:2021")
    assert r.exit_code == 0, r.output
    assert "Brukarorientering" in r.stdout and "+37 *" in r.stdout and "not official" in r.stdout
    data = json.loads(run(env, "compare", "Vännäs", "Örebro:2012", "--json").stdout)
    assert len(data["rows"]) == 8 and not any(row["mapped"] for row in data["rows"])
    t = run(env, "top", "user_focus", "--json")
    assert t.exit_code == 0, t.output
    first = json.loads(t.stdout.splitlines()[0])
    assert (first["municipality"], first["percent"]) == ("Vallentuna", 86)
    assert run(env, "top", "2", "--markdown").stdout.startswith("| # |")


def test_eval_prints_the_three_modes(env: dict[str, Path]) -> None:
    r = run(env, "eval", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [(m["split"], m["mode"]) for m in out["results"]] == [
        (split, mode)
        for split in ("heldout", "heldout2", "heldout3", "heldout4", "heldout5", "tune")
        for mode in ("dense", "bm25", "hybrid")
    ]
    assert set(out["off_topic_false_positive_rate"]) == {"dense", "bm25", "hybrid"}
    # never the tuning list
    assert set(out["off_topic"]) == {"heldout", "heldout2", "heldout3", "heldout4", "heldout5"}
    assert out["off_topic"]["heldout2"]["queries"] == 6
    assert out["off_topic"]["heldout3"]["queries"] == 10
    assert out["off_topic"]["heldout4"]["queries"] == 10
    assert out["off_topic"]["heldout5"]["queries"] == 10
    for split in ("heldout2", "heldout3", "heldout4", "heldout5"):
        assert set(out["off_topic"][split]["false_positive_rate"]) == {"dense", "bm25", "hybrid"}
    assert 0 < out["weak_below"] < 1
    text = run(env, "eval").stdout
    assert "R@1" in text and re.search(r"^heldout2 +hybrid", text, re.M)
    assert re.search(r"^  heldout2 n=6 ", text, re.M)
    for split in ("heldout3", "heldout4", "heldout5"):
        assert re.search(rf"^{split} +hybrid +30 ", text, re.M)
        assert re.search(rf"^  {split} n=10 ", text, re.M)
