"""A deterministic synthetic corpus of fictional municipalities, indexed with cheap random vectors.

The texts are word salad drawn from the shipped corpus's own words (so BM25 posting lists have
natural lengths), the vectors are random unit vectors (so the dense scan costs what a real one
does), and the index is written by the production ``build_index``: the query path that runs over
it is the production one. Names look like "Fjärdmora 00042": no real municipality has a number
in its name.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..config import DEFAULT_MODEL
from ..corpus import load_corpus
from ..index.format import FORMAT
from ..index.passages import cut
from ..models import Area, Evaluation, Source, Subquestion
from ..progress import Advance
from ..taxonomy import templates

VERSION = 2  # bump when the generator changes: cached synthetic indexes are rebuilt
DIM = 384  # multilingual-e5-small
SEED = 20240501
_PREFIXES = (
    "Dim",
    "Fjärd",
    "Glimm",
    "Kvarn",
    "Lind",
    "Moss",
    "Rönn",
    "Sälg",
    "Tjärn",
    "Ugg",
    "Varg",
    "Ängs",
)
_SUFFIXES = ("mora", "vik", "by", "sund", "hamn", "åker", "ås", "dal", "fors", "berga")
# per area: (kind, how many, words min, words max); close to the Vännäs report's passages
_SHAPE = (("strength", 6, 3, 14), ("improvement", 5, 5, 22), ("summary", 4, 25, 80))
_PER_EVAL = 8 * sum(n for _, n, _, _ in _SHAPE)
_WORD = re.compile(r"\w+")


class RandomEmbedder:
    """Random unit vectors under the default model's id: what a dense scan costs, not what it finds."""

    model_id = DEFAULT_MODEL
    dim = DIM
    chunk = 65_536

    def __init__(self, seed: int = SEED) -> None:
        self._rng = np.random.default_rng(seed)
        self.passages: list[tuple[Sequence[str], np.ndarray]] = []

    def _vectors(self, n: int) -> np.ndarray:
        # int8 draws are ~10x faster than normal floats; direction is all that matters here
        x = self._rng.integers(-127, 128, size=(n, self.dim), dtype=np.int8).astype(np.float32)
        x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)
        return x

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(len(texts))

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dim), np.float32)
        self.passages.append((texts, out))  # kept: the fp32 originals of the index's fp16 vectors
        for start in range(0, len(texts), self.chunk):
            n = min(self.chunk, len(texts) - start)
            out[start : start + n] = self._vectors(n)
            if progress:
                progress(n)
        return out


def _source_words(corpus: Path) -> tuple[list[str], dict[int, list[str]]]:
    """Every word of the shipped corpus's passages (with repetition), and subquestion titles per area."""
    words: list[str] = []
    titles: dict[int, list[str]] = {}
    for ev in load_corpus(corpus):
        for d in cut(ev):
            words.extend(_WORD.findall(d.text))
        for s in ev.subquestions:
            titles.setdefault(s.area_number, []).append(s.title)
    if not words:
        raise ValueError(f"{corpus}: no passage text to draw synthetic words from")
    return words, titles


def municipality(i: int) -> str:
    """The fictional name of synthetic evaluation ``i``."""
    return f"{_PREFIXES[i % len(_PREFIXES)]}{_SUFFIXES[(i // len(_PREFIXES)) % len(_SUFFIXES)]} {i:05d}"


def evaluations(n_passages: int, corpus: Path, seed: int = SEED) -> list[Evaluation]:
    """Enough fictional evaluations for about ``n_passages`` passages (a multiple of one evaluation's)."""
    rng = np.random.default_rng(seed)
    words, titles = _source_words(corpus)
    vocab = np.array(words, dtype=object)
    tmpls = sorted(templates().values(), key=lambda t: t.id)
    out = []
    for i in range(max(1, round(n_passages / _PER_EVAL))):
        t = tmpls[int(rng.integers(len(tmpls)))]
        year = int(rng.integers(2004, 2025))
        areas, sqs = [], []
        for a in t.areas:
            texts: dict[str, tuple[str, ...]] = {}
            for kind, count, lo, hi in _SHAPE:
                lengths = rng.integers(lo, hi + 1, size=count)
                idx = rng.integers(len(vocab), size=int(lengths.sum()))
                bounds = np.concatenate([[0], np.cumsum(lengths)])
                texts[kind] = tuple(
                    " ".join(vocab[idx[b:e]]) for b, e in itertools.pairwise(bounds)
                )
            score = float(rng.integers(20, 96))
            areas.append(
                Area(
                    a.number,
                    a.theme,
                    a.name,
                    score,
                    100,
                    (),
                    texts["summary"],
                    texts["strength"],
                    texts["improvement"],
                )
            )
            for j, title in enumerate(titles.get(a.number, [])[:5], start=1):
                mx = float(rng.choice([10, 15, 20, 25]))
                sqs.append(
                    Subquestion(f"{a.number}.{j}", title, float(rng.integers(0, int(mx) + 1)), mx)
                )
        out.append(
            Evaluation(
                municipality=municipality(i),
                country=t.country,
                year=year,
                template=t.id,
                language=t.language,
                source=Source(
                    "report", "Synthetic benchmark evaluation (fictional)", "kompass-search bench"
                ),
                total=sum(a.score or 0 for a in areas),
                date=f"{year}-{int(rng.integers(1, 13)):02d}",
                areas=tuple(areas),
                subquestions=tuple(sqs),
            )
        )
    return out


def _build_key() -> str:
    """Changes whenever the generator or the code that writes an index changes: a cached index is
    then rebuilt rather than measured in an outdated format."""
    pkg = Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(f"{VERSION}/{FORMAT}".encode(), digest_size=8)
    for name in (
        "index/format.py",
        "index/writer.py",
        "index/bm25.py",
        "index/passages.py",
        "bench/synth.py",
    ):
        if (pkg / name).is_file():
            h.update((pkg / name).read_bytes())
    return h.hexdigest()


def synthetic_index(
    n_passages: int, workdir: Path, corpus: Path, fresh: bool = False
) -> tuple[Path, dict[str, Any]]:
    """A production index over ~``n_passages`` synthetic passages, cached in ``workdir``.

    Returns the index folder and how it was built (seconds, passages, whether it was cached).
    """
    from ..index.build import build_index

    out = workdir / f"synth-{n_passages}"
    info_file = workdir / f"synth-{n_passages}.json"
    key = _build_key()
    if (
        not fresh
        and (out / "meta.json").is_file()
        and info_file.is_file()
        and fp32_vectors(workdir, n_passages).is_file()
    ):
        info = json.loads(info_file.read_text(encoding="utf-8"))
        if info.get("key") == key:
            return out, {**info, "cached": True}
    t = time.perf_counter()
    evals = evaluations(n_passages, corpus)
    gen_s = time.perf_counter() - t
    embedder = RandomEmbedder()
    report = build_index(evals, out, embedder, rebuild=True)
    _save_fp32(embedder, out, fp32_vectors(workdir, n_passages))
    info = {
        "key": key,
        "passages": report.passages,
        "evaluations": report.evaluations,
        "generate_s": round(gen_s, 2),
        "build_s": round(report.seconds, 2),
        # everything but the embedding: passages cut, BM25, rows, faiss written per second
        "build_other_passages_per_s": round(
            report.passages / max(report.seconds - report.embed_seconds, 1e-9)
        ),
    }
    info_file.write_text(json.dumps(info), encoding="utf-8")
    return out, {**info, "cached": False}


def fp32_vectors(workdir: Path, n_passages: int) -> Path:
    """Where the fp32 vectors of a synthetic index are kept, row by row (the fp16 index's originals:
    the baseline of the fp32 scan and of recall)."""
    return workdir / f"synth-{n_passages}.fp32.npy"


def _save_fp32(embedder: RandomEmbedder, index: Path, out: Path) -> None:
    from ..index.passages import text_hash
    from ..index.reader import Index

    ix = Index(index)
    where = {}
    for texts, vecs in embedder.passages:
        for j, t in enumerate(texts):
            where[text_hash(t)] = vecs[j]
    rows = np.lib.format.open_memmap(out, mode="w+", dtype=np.float32, shape=(ix.count, ix.dim))
    for i, h in enumerate(ix.rows["hash"]):
        rows[i] = where[int(h)]
    rows.flush()
    embedder.passages.clear()
