"""Search: dense (faiss), BM25 or hybrid retrieval under exact filters, role-model ranking, grouping.

    from kompass_search import Filters, Searcher, load_config, prepare_index

    config = load_config()
    searcher = Searcher.open(config, index=prepare_index(config))
    hits = searcher.search("synpunktshantering", Filters.parse(kind="strength"), top=5)
    groups = searcher.search_grouped("synpunktshantering", top=5)

Filters select rows before anything is ranked: dense retrieval searches only the selected rows
(a faiss IDSelector, or a direct product over the subset when it is small), BM25 scores every
row and keeps the selected ones. Each mode retrieves max(candidates, top) passages, so a filter
never makes a search return fewer results than exist. In bm25 mode only passages sharing a
stem with the query are returned; dense and hybrid return any selected passage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..config import Config, Ranking
from ..errors import QueryError
from ..index import bm25
from ..index.reader import Index, open_index, top_k
from ..model.embed import Embedder
from ..models import Hit
from .filters import Filters
from .ranking import (
    bm25_relevance,
    dense_relevance,
    hybrid_relevance,
    rank_score,
    rrf,
    score_factor,
    score_used,
)

MODES = ("dense", "bm25", "hybrid")
MAX_QUERY_CHARS = 1000  # e5 reads 512 tokens; a longer "query" is a pasted document, not a question


def is_utf8(text: str) -> bool:
    """False for text that came from bytes that were not UTF-8: surrogate escapes (how Python
    passes such command-line bytes on) or U+FFFD (where they were replaced)."""
    return "\ufffd" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


class Query(str):
    """A query that passed ``Query.parse``: whitespace collapsed, has words, not too long.

    The CLI parses the query before any index work; the searcher takes a ``Query`` as it is and
    parses a plain str itself, so each query is checked once on its way.
    """

    @classmethod
    def parse(cls, raw: str) -> Query:
        if isinstance(raw, Query):
            return raw
        if not is_utf8(raw):
            raise QueryError(
                "not valid UTF-8 (the terminal or script sent other bytes); "
                "set a UTF-8 locale (e.g. LANG=sv_SE.UTF-8) or type the query again",
                "query",
            )
        q = " ".join(raw.split())
        if not q:
            raise QueryError(
                'empty query; ask in a few words, e.g. kompass search "synpunktshantering"'
            )
        if not any(ch.isalnum() for ch in q):
            # Emoji or punctuation only: every passage would be an equally arbitrary "best match".
            raise QueryError(
                f'the query {q[:40]!r} has no words to search for; ask in words, e.g. "medborgardialog"'
            )
        if len(q) > MAX_QUERY_CHARS:
            raise QueryError(
                f"query is {len(q)} characters long; keep it under {MAX_QUERY_CHARS} (a question, not a document)"
            )
        return cls(q)


class Mode(str):
    """A retrieval mode that passed ``Mode.parse`` (one of MODES)."""

    @classmethod
    def parse(cls, raw: str) -> Mode:
        if isinstance(raw, Mode):
            return raw
        if raw not in MODES:
            raise QueryError(f"--mode {raw!r}: use one of {', '.join(MODES)}")
        return cls(raw)


@dataclass(frozen=True)
class Group:
    """One evaluation's best practices for a query (``search_grouped``), best first."""

    evaluation: str  # Evaluation.key
    municipality: str
    year: int
    rank_score: float  # of its best hit
    hits: tuple[Hit, ...]

    @property
    def best(self) -> Hit:
        return self.hits[0]


class Searcher:
    """Queries one index. Opening is cheap; the query embedder loads on the first dense query."""

    def __init__(
        self, index: Index, embedder: Callable[[], Embedder], ranking: Ranking, mode: str
    ) -> None:
        self.index = index
        self.ranking = ranking
        self.mode = mode
        self._make_embedder = embedder
        self._embedder: Embedder | None = None

    @classmethod
    def open(
        cls, config: Config, embedder: Embedder | None = None, *, index: Index | None = None
    ) -> Searcher:
        """A searcher over ``index`` (default: the index at config.index) for config's model and weights.

        An index built with another model is refused here, before any query.
        """
        index = index if index is not None else open_index(config.index)
        if embedder is not None:
            index.check_model(embedder.model_id, embedder.dim)
            return cls(index, lambda: embedder, config.ranking, config.mode)
        from ..model.embed import configured_model_id

        index.check_model(configured_model_id(config))

        def make() -> Embedder:
            from ..model.embed import query_embedder

            e = query_embedder(config)
            index.check_model(e.model_id, e.dim)
            return e

        return cls(index, make, config.ranking, config.mode)

    def with_ranking(self, ranking: Ranking) -> Searcher:
        """The same index and embedder with other ranking weights."""
        return Searcher(self.index, lambda: self.embedder, ranking, self.mode)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._make_embedder()
        return self._embedder

    def search(
        self, query: str, filters: Filters | None = None, mode: str | None = None, top: int = 10
    ) -> list[Hit]:
        """The ``top`` passages for ``query`` among those ``filters`` select, best rank_score first."""
        q = Query.parse(query)
        mode = Mode.parse(mode or self.mode)
        if top < 1:
            raise QueryError(f"--top {top}: give a positive number")
        mask = (filters or Filters()).mask(self.index)
        available = self.index.count if mask is None else int(mask.sum())
        k = min(max(self.ranking.candidates, top), available)
        if k == 0:
            return []
        extra: dict[str, dict[int, float]] = {}
        parts: list[dict[int, float]] = []
        lists: list[list[int]] = []
        if mode in ("dense", "hybrid"):
            ids, cos, baseline = self._dense(q, mask, k)
            lists.append(ids.tolist())
            parts.append(dict(zip(lists[-1], dense_relevance(cos, baseline).tolist(), strict=True)))
            extra["cosine"] = dict(zip(lists[-1], cos.tolist(), strict=True))
        if mode in ("bm25", "hybrid"):
            ids, s = self._bm25(q, mask, k)
            lists.append(ids.tolist())
            parts.append(dict(zip(lists[-1], bm25_relevance(s).tolist(), strict=True)))
            extra["bm25"] = dict(zip(lists[-1], s.tolist(), strict=True))
        relevance = (
            parts[0] if len(parts) == 1 else hybrid_relevance(rrf(lists, self.ranking.rrf_k), parts)
        )
        return self._rank(relevance, extra, top)

    def search_grouped(
        self,
        query: str,
        filters: Filters | None = None,
        mode: str | None = None,
        top: int = 10,
        per_group: int = 3,
    ) -> list[Group]:
        """One row per evaluation, ordered by its best hit, each with its ``per_group`` best hits."""
        if top < 1 or per_group < 1:
            raise QueryError(f"--top {top} / --per-group {per_group}: give positive numbers")
        hits = self.search(query, filters, mode, top=max(self.ranking.candidates, top * per_group))
        groups: dict[str, list[Hit]] = {}
        for h in hits:
            groups.setdefault(h.passage.evaluation, []).append(h)
        out = []
        for key, hs in list(groups.items())[:top]:
            p = hs[0].passage
            out.append(Group(key, p.municipality, p.year, hs[0].rank_score, tuple(hs[:per_group])))
        return out

    def _dense(
        self, query: str, mask: np.ndarray | None, k: int
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Ids and cosines of the ``k`` nearest passages, and the query's mean cosine to all passages."""
        qv = np.ascontiguousarray(self.embedder.embed_queries([query]), dtype=np.float32)[0]
        baseline = float(qv @ self.index.centroid)
        return (*self.index.nearest(qv, mask, k), baseline)

    def _bm25(self, query: str, mask: np.ndarray | None, k: int) -> tuple[np.ndarray, np.ndarray]:
        s = self.index.bm25.scores(bm25.query_tokens(query))
        if mask is not None:
            s = np.where(mask, s, 0.0)
        rows = np.flatnonzero(s > 0)
        return top_k(s[rows], rows, k)

    def _rank(
        self, relevance: dict[int, float], extra: dict[str, dict[int, float]], top: int
    ) -> list[Hit]:
        ids = np.fromiter(relevance, dtype=np.int64, count=len(relevance))
        rel = np.fromiter(relevance.values(), dtype=np.float64, count=len(relevance))
        rows = self.index.rows[ids]
        score = np.where(np.isnan(rows["sq_score"]), rows["area_score"], rows["sq_score"]).astype(
            np.float64
        )
        w = self.ranking
        final = rel * score_factor(score, w)  # ranking.rank_score over all candidates at once
        order = np.lexsort((ids, -rel, -final))[:top]
        hits = []
        for j in order:
            pid = int(ids[j])
            p = self.index.passage(pid)
            used, source = score_used(p)
            hits.append(
                Hit(
                    passage=p,
                    relevance=float(rel[j]),
                    score=used,
                    score_source=source,
                    rank_score=rank_score(float(rel[j]), used, w),
                    citation=self.index.citation(pid, p),
                    extra={name: vals[pid] for name, vals in extra.items() if pid in vals},
                )
            )
        return hits
