"""Issue #12, hardening round 2: every traceback, hang and broken contract a new user met, per point.

Each test names the point it covers (P1..P19, P24, P25); the TUI points are in tests/tui/test_hardening_tui.py
and the file-system ones (FIFO, umask, ingest) in tests/reliability/test_hardening_files.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from searchkit import ROOT, FakeE5, provby, write_corpus
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.corpus import load_corpus
from kompass_search.index.build import BuildReport, build_index, describe_build
from kompass_search.model import embed
from kompass_search.model.fake import HashingEmbedder
from kompass_search.search.query import Query

runner = CliRunner()
DRIVER = ROOT / "tests" / "reliability" / "fake_kompass.py"


def run(env: dict[str, Path], *args: str | Path, environ: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, [*map(str, args), "--config", str(env["config"])], env=environ)


def one_error(r: Any, code: int = 1) -> str:
    """The run failed with ``code`` and said so in exactly one `error:` line, no traceback."""
    assert r.exit_code == code, (r.exit_code, r.output)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.output and "Usage:" not in r.output
    return str(lines[0])


def build(env: dict[str, Path]) -> None:
    build_index(load_corpus(env["corpus"]), env["index"], FakeE5(), corpus=env["corpus"])


# ------------------------------------------------------------------ P1 query not UTF-8


@pytest.mark.parametrize(
    "extra", [[], ["--json"], ["--markdown"], ["--group"], ["--mode", "hybrid"]]
)
def test_p1_a_query_that_is_not_utf8_is_one_line(extra: list[str], tmp_path: Path) -> None:
    # the bytes a Latin-1 terminal sends for "Vännäs ledarskap": Python passes them as surrogates
    argv = [
        sys.executable,
        str(DRIVER),
        b"search",
        b"V\xe4nn\xe4s ledarskap",
        *map(str.encode, extra),
    ]
    envv = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    envv |= {"KOMPASS_CONFIG": str(tmp_path / "none.yaml"), "PYTHONPATH": str(ROOT)}
    envv.pop("KOMPASS_CONFIG")  # defaults; the error comes before any index work
    r = subprocess.run(argv, capture_output=True, timeout=60, env=envv, cwd=tmp_path)
    err = r.stderr.decode("utf-8", "replace").strip().splitlines()
    assert r.returncode == 1 and len(err) == 1, r.stderr
    assert err[0].startswith("error: query: not valid UTF-8"), err
    assert r.stdout == b""


def test_p1_query_parse_refuses_surrogates_and_replacement_characters() -> None:
    for bad in ("V\udce4nn\udce4s", "V\ufffdnn\ufffds ledarskap"):
        with pytest.raises(Exception, match="query: not valid UTF-8"):
            Query.parse(bad)
    assert Query.parse("Vännäs  ledarskap") == "Vännäs ledarskap"


# ------------------------------------------------------------------ P2-P4 index paths


def test_p2_an_index_or_out_that_is_a_file_is_named_and_no_lock_is_left(
    env: dict[str, Path],
) -> None:
    file = env["tmp"] / "afile"
    file.write_text("not an index", encoding="utf-8")
    assert "is a file" in one_error(run(env, "search", "ledarskap", "--index", file))
    assert "is a file" in one_error(run(env, "index", "--out", file))
    assert sorted(p.name for p in env["tmp"].iterdir() if "afile" in p.name) == ["afile"]


def test_p3_an_out_inside_a_file_is_named(env: dict[str, Path]) -> None:
    file = env["tmp"] / "afile"
    file.write_text("x", encoding="utf-8")
    line = one_error(run(env, "index", "--out", file / "sub"))
    assert f"{file} is a file" in line
    assert sorted(p.name for p in env["tmp"].iterdir() if "afile" in p.name) == ["afile"]


def _refuse_writes_in(monkeypatch: pytest.MonkeyPatch, where: Path) -> None:
    """As a non-root user sees a folder without write permission (tests run as root, too)."""
    real = tempfile.NamedTemporaryFile

    def probe(*args: Any, **kw: Any) -> Any:
        if Path(kw.get("dir", "")).resolve() == where.resolve():
            raise PermissionError(13, "Permission denied")
        return real(*args, **kw)

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", probe)  # folder.py imports it when probing


def test_p4_an_unwritable_out_fails_before_the_model_loads(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = env["tmp"] / "locked"
    parent.mkdir()
    _refuse_writes_in(monkeypatch, parent)

    def no_model(*a: Any, **k: Any) -> Any:
        raise AssertionError("the model was loaded before the path was checked")

    monkeypatch.setattr(embed, "index_embedder", no_model)
    line = one_error(run(env, "index", "--out", parent / "idx"))
    assert "cannot write in" in line and "Permission denied" in line
    assert list(parent.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_p4_out_in_proc_is_not_called_a_running_build(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embed, "index_embedder", lambda *a, **k: pytest.fail("model loaded"))
    t0 = time.monotonic()
    line = one_error(run(env, "index", "--out", "/proc/kompass-idx"))
    assert "cannot write in /proc" in line and "another" not in line
    assert time.monotonic() - t0 < 5  # no lock wait


# ------------------------------------------------------------------ P5 read-only stale index


def test_p5_a_read_only_stale_index_answers_with_one_warning(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(env)
    meta = (env["index"] / "meta.json").read_bytes()
    write_corpus(env["corpus"], [provby()])  # the corpus changed since the build
    _refuse_writes_in(monkeypatch, env["index"])
    r = run(env, "search", "synpunktshantering", "--json")
    assert r.exit_code == 0, r.output
    warnings = r.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("warning: "), r.stderr
    assert (
        "stale (the corpus changed" in warnings[0]
        and f"kompass index {env['corpus']} --out {env['index']}" in warnings[0]
    )
    assert "embedding" not in r.stderr and "updating" not in r.stderr
    assert [json.loads(x)["municipality"] for x in r.stdout.splitlines()]  # answered
    assert (env["index"] / "meta.json").read_bytes() == meta  # not touched


def test_p5_the_stale_warning_names_what_changed_gap_queries_of_a_new_version(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(env)
    path = env["index"] / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["queries"]["recipe"] = "an-older-recipe"  # as an index of an earlier version records it
    path.write_text(json.dumps(meta), encoding="utf-8")
    _refuse_writes_in(monkeypatch, env["index"])
    r = run(env, "search", "synpunktshantering", "--json")
    assert r.exit_code == 0, r.output
    (warning,) = r.stderr.strip().splitlines()
    assert "stale (the gap queries of this version changed" in warning, warning


# ------------------------------------------------------------------ P6 config


def test_p6_config_folder_and_missing_env_config_are_errors(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder_ = env["tmp"]
    assert "is a folder" in one_error(runner.invoke(app, ["top", "2", "--config", str(folder_)]))
    monkeypatch.setenv("KOMPASS_CONFIG", str(folder_))
    assert "is a folder" in one_error(runner.invoke(app, ["top", "2"]))
    monkeypatch.setenv("KOMPASS_CONFIG", str(folder_ / "missing.yaml"))
    line = one_error(runner.invoke(app, ["top", "2"]))
    assert "not found" in line and "KOMPASS_CONFIG" in line
    monkeypatch.delenv("KOMPASS_CONFIG")
    line = one_error(runner.invoke(app, ["top", "2", "--config", str(folder_ / "missing.yaml")]))
    assert "not found" in line and "--config" in line


# ------------------------------------------------------------------ P7 eval queries


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("queries:\n  - lang: sv\n    question: x\n", "queries[0]: missing q, expect"),
        ("foo: 1\n", "no `queries:` list"),
        ("queries: [\n", "not valid YAML"),
    ],
)
def test_p7_a_bad_queries_file_names_the_entry_not_a_test_file(
    env: dict[str, Path], text: str, says: str
) -> None:
    bad = env["tmp"] / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    line = one_error(run(env, "eval", "--queries", bad))
    assert says in line and "tests/data" not in line and "expect:" in line
    assert not env["index"].exists()  # refused before any index work


# ------------------------------------------------------------------ P11 usage errors


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["search", "x", "--top", "0"], "--top"),
        (["search", "x", "--top", "-1"], "--top"),
        (["search", "x", "--min-area-score", "abc"], "--min-area-score"),
        (["show", "Midtre", "Gauldal"], "quotes"),
        (["search"], "QUERY"),
        (["top"], "AREA"),
        (["search", "x", "--bogus"], "--bogus"),
        (["bogus"], "bogus"),
        (["show", "--year", "abc", "Vännäs"], "--year"),
        (["search", "x", "--json", "--markdown"], "--json, --markdown"),
        (["show"], "MUNICIPALITY"),
    ],
)
def test_p11_usage_errors_are_one_line_and_exit_2(
    env: dict[str, Path], args: list[str], names: str
) -> None:
    line = one_error(run(env, *args), code=2)
    assert names in line, line


def test_p11_no_arguments_still_prints_the_help() -> None:
    r = runner.invoke(app, [])
    assert "Commands:" in r.output and "error:" not in r.output


# ------------------------------------------------------------------ P12 JSON always


def test_p12_every_json_is_json_and_empty_is_a_list(env: dict[str, Path]) -> None:
    r = run(env, "show", "--list", "--json")
    rows = json.loads(r.stdout)
    assert r.exit_code == 0 and isinstance(rows, list) and {"municipality", "year"} <= set(rows[0])
    se_only = write_corpus(env["tmp"] / "se", [provby()])
    r = run(env, "top", "user_focus", "--country", "NO", "--json", "--corpus", se_only)
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = run(env, "search", "zzqxv", "--mode", "bm25", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = run(env, "search", "zzqxv", "--mode", "bm25", "--json", "--group")
    assert r.exit_code == 0 and json.loads(r.stdout) == []


# ------------------------------------------------------------------ P13 empty corpus


def test_p13_an_empty_corpus_is_one_clear_line_everywhere(env: dict[str, Path]) -> None:
    empty = env["tmp"] / "empty"
    empty.mkdir()
    for args in (
        ["search", "ledarskap", "--corpus", empty],
        ["index", empty, "--out", env["tmp"] / "idx2"],
        ["eval", "--corpus", empty],
        ["show", "--list", "--corpus", empty],
        ["top", "2", "--corpus", empty],
    ):
        line = one_error(run(env, *args))
        assert "corpus is empty" in line and "kompass ingest" in line, args
        assert "--municipality" not in line
    assert not env["index"].exists() and not (env["tmp"] / "idx2").exists()


# ------------------------------------------------------------------ P14 ranking weights


@pytest.mark.parametrize(
    ("ranking", "says"),
    [
        ("{relevance_weight: 0, score_weight: 0}", "both 0"),
        ("{relevance_weight: -1}", "ranking.relevance_weight: -1"),
        ("{score_weight: -0.5}", "ranking.score_weight: -0.5"),
        ("{score_weight: .nan}", "ranking.score_weight: nan"),
    ],
)
def test_p14_ranking_weights_are_validated(env: dict[str, Path], ranking: str, says: str) -> None:
    env["config"].write_text(
        env["config"].read_text(encoding="utf-8") + f"ranking: {ranking}\n", encoding="utf-8"
    )
    assert says in one_error(run(env, "search", "ledarskap"))


# ------------------------------------------------------------------ P15 names


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("VÄNNÄS KOMMUN", "Vännäs 2016"),
        ("Vännäs Kommun", "Vännäs 2016"),
        ("vännäs kommun", "Vännäs 2016"),
        ("RØROS KOMMUNE", "Røros 2021"),
        ("Vännäs:2016", "Vännäs 2016"),
        ("Røros:2017", "Røros 2017"),
    ],
)
def test_p15_names_match_whatever_the_case_kommun_and_year(
    env: dict[str, Path], name: str, found: str
) -> None:
    r = run(env, "show", name)
    assert r.exit_code == 0 and r.stdout.startswith(found), r.output


def test_p15_municipality_takes_name_and_year(env: dict[str, Path]) -> None:
    r = run(env, "search", "ledarskap", "--municipality", "VÄNNÄS KOMMUN:2016", "--json")
    assert r.exit_code == 0, r.output
    assert {json.loads(x)["municipality"] for x in r.stdout.splitlines()} == {"Vännäs"}
    assert "no passages" in one_error(run(env, "search", "x", "--municipality", "Vännäs:2015"))


def test_p15_top_takes_area_names_and_its_errors_say_area(env: dict[str, Path]) -> None:
    r = run(env, "top", "Tillgänglighet", "--json")
    assert r.exit_code == 0, r.output
    assert {json.loads(x)["theme"] for x in r.stdout.splitlines()} == {"user_focus"}
    for bad in ("9", "kvalitet"):
        line = one_error(run(env, "top", bad))
        assert line.startswith("error: AREA") and "--area" not in line


# ------------------------------------------------------------------ P16 check and show


def test_p16_check_refuses_a_country_its_template_is_not_for(env: dict[str, Path]) -> None:
    f = env["corpus"] / "vannas-2016.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("country: SE", "country: NO"), "utf-8")
    r = run(env, "check", f)
    assert r.exit_code == 1 and "template skl-2010 is for SE" in r.stderr


def test_p16_show_says_a_file_fails_check_and_lists_a_duplicate_once(
    env: dict[str, Path],
) -> None:
    f = env["corpus"] / "vannas-2016.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("total: 460", "total: 999"), encoding="utf-8")
    r = run(env, "show", "Vännäs")
    assert r.exit_code == 0 and "fails `kompass check" in r.stderr and "999" in r.stderr
    assert r.stdout.startswith("FAILS CHECK")
    assert json.loads(run(env, "show", "Vännäs", "--json").stdout)["check_errors"]
    (env["corpus"] / "vannas-copy.yaml").write_text(text, encoding="utf-8")
    r = run(env, "show", "--list")
    assert r.exit_code == 0 and r.stdout.count("Vännäs") == 1
    assert "in the corpus twice" in r.stderr


# ------------------------------------------------------------------ P17 no hits


def test_p17_bm25_without_hits_says_why_in_every_format(env: dict[str, Path]) -> None:
    r = run(env, "search", "zzqxv", "--mode", "bm25")
    assert r.exit_code == 0 and "check the filters" not in r.stdout
    assert "shares a word" in r.stdout and "--mode dense" in r.stdout
    r = run(env, "search", "zzqxv", "--mode", "bm25", "--markdown")
    assert r.exit_code == 0 and "shares a word" in r.stdout
    r = run(env, "search", "zzqxv", "--mode", "bm25", "--country", "NO")
    assert "filters (country)" in r.stdout


# ------------------------------------------------------------------ P18 rebuild hint


def test_p18_the_rebuild_hint_rebuilds_that_index_from_its_corpus(env: dict[str, Path]) -> None:
    build_index(load_corpus(env["corpus"]), env["index"], HashingEmbedder(32), corpus=env["corpus"])
    line = one_error(run(env, "search", "dialog"))
    assert f"`kompass index --rebuild --out {env['index']} {env['corpus'].resolve()}`" in line


# ------------------------------------------------------------------ P19 wall time


def test_p19_index_reports_the_wall_time_model_loading_included(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(env)

    def slow_model(*a: Any, **k: Any) -> FakeE5:
        time.sleep(1.2)  # what loading torch and the model costs, shortened
        return FakeE5()

    monkeypatch.setattr(embed, "index_embedder", slow_model)
    r = run(env, "index", "--rebuild")  # a no-op index loads no model at all (issue 13)
    assert r.exit_code == 0, r.output
    seconds = float(r.stdout.split(" in ")[1].split(" s")[0])
    assert seconds >= 1.2, r.stdout
    noop = run(env, "index")
    assert noop.exit_code == 0 and "up to date" in noop.stdout, noop.output
    assert float(noop.stdout.rsplit(" in ", 1)[1].split(" s")[0]) < seconds, noop.stdout


# ------------------------------------------------------------------ P24 show's bars, P25 grammar


def test_p24_show_fits_its_bars_in_60_columns(env: dict[str, Path]) -> None:
    r = run(env, "show", "Vännäs", environ={"COLUMNS": "60"})
    assert r.exit_code == 0
    bars = [line for line in r.stdout.splitlines() if "█" in line]
    assert len(bars) == 8 and max(len(b) for b in bars) <= 60, bars
    wide = run(env, "show", "Vännäs", environ={"COLUMNS": "100"}).stdout
    assert max(len(b) for b in wide.splitlines() if "█" in b) > 60  # uses the room it has


def test_p25_one_is_singular() -> None:
    r = BuildReport(1, 1, 0, 1, 0, 0.5, 0.1)
    assert describe_build(r).startswith("indexed 1 passage from 1 evaluation in 0.5 s")
    many = BuildReport(2, 0, 2, 3, 3, 0.5, 0.0)
    assert describe_build(many).startswith("indexed 2 passages from 3 evaluations")


def test_p25_counted_nouns() -> None:
    from kompass_search.words import count

    assert count(1, "strength") == "1 strength" and count(2, "strength") == "2 strengths"
    assert count(0, "evaluation") == "0 evaluations"
    assert count(1, "summary paragraph", "summary paragraphs") == "1 summary paragraph"
