"""A deterministic fake embedder for tests and benchmarks: hashed words and character trigrams."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from ..progress import Advance
from .embed import normalize_rows

_TOKEN = re.compile(r"\w+")


class HashingEmbedder:
    """Deterministic fake for tests and benchmarks: hashed words and character trigrams."""

    calibration_key = "default"  # no fitted relevance calibration (search/calibration.py)

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.model_id = f"fake-hashing-{dim}"
        self.engine = "hashing"

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
        return normalize_rows(np.stack([self._one(t) for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        out = self._encode(texts)
        if progress and len(texts):
            progress(len(texts))
        return out
