"""Search: dense (faiss), BM25 or hybrid retrieval under exact filters, role-model ranking, grouping.

    from kompass_search import Filters, Searcher, load_config, prepare_index

    config = load_config()
    searcher = Searcher.open(config, index=prepare_index(config))
    hits = searcher.search("synpunktshantering", Filters.parse(kind="strength"), top=5)
    groups = searcher.search_grouped("synpunktshantering", top=5)

Relevance is absolute (calibration.py): the calibrated probability that a passage is a right
answer, from its own evidence only, so a filter never raises it. Hits below ``ranking.weak_below``
are weak and left out unless ``include_weak``. A query naming glossary concepts has
their vectors added to its own (index/concepts.py).

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

from ..bokmal import named_concepts, swedish
from ..config import Config, Ranking
from ..errors import QueryError
from ..index import bm25
from ..index.concepts import ConceptVectors, query_vector
from ..index.dense import top_k
from ..index.reader import Index, open_index
from ..model.embed import Embedder
from ..models import Hit
from .calibration import Calibration, for_model
from .filters import Filters
from .groups import Group, group_hits
from .query import Mode, Query, dense_text
from .ranking import rank_score, score_factor, score_used


@dataclass(frozen=True)
class Evidence:
    """A query's candidates (passage ids) and, parallel to them, what their relevance is made of."""

    ids: np.ndarray
    cosine: np.ndarray | None  # to the query vector, concepts added (dense, hybrid)
    baseline: float  # the query's mean cosine to all passages
    bm25: np.ndarray | None  # (bm25, hybrid)
    concept: bool  # the query names a glossary concept


class Searcher:
    """Queries one index. Opening is cheap; the query embedder loads on the first dense query."""

    def __init__(
        self,
        index: Index,
        embedder: Callable[[], Embedder],
        ranking: Ranking,
        mode: str,
        lang: str | None = None,
        calibration: Calibration | None = None,
        concepts: ConceptVectors | None = None,
    ) -> None:
        self.index = index
        # a query's glossary concept vectors; without a cache folder they are kept in memory only
        self.concepts = concepts or ConceptVectors(index, None)
        self.ranking = ranking
        self.mode = mode
        self.lang = lang  # of labels and citations; None: each evaluation's own language
        self.calibration = calibration or for_model(index.calibration_key)
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
        from ..paths import concept_cache

        concepts = ConceptVectors(index, concept_cache())
        if embedder is not None:
            index.check_model(embedder.model_id, embedder.dim)
            return cls(index, lambda: embedder, config.ranking, config.mode, concepts=concepts)
        from ..model.embed import configured_model_id

        index.check_model(configured_model_id(config))

        def make() -> Embedder:
            from ..model.embed import query_embedder

            e = query_embedder(config)
            index.check_model(e.model_id, e.dim)
            return e

        return cls(index, make, config.ranking, config.mode, concepts=concepts)

    def with_ranking(self, ranking: Ranking) -> Searcher:
        """The same index and embedder with other ranking weights."""
        return Searcher(
            self.index,
            lambda: self.embedder,
            ranking,
            self.mode,
            self.lang,
            self.calibration,
            self.concepts,
        )

    def with_lang(self, lang: str | None) -> Searcher:
        """The same searcher citing in ``lang`` (sv, no, en; None: each evaluation's language)."""
        return Searcher(
            self.index,
            lambda: self.embedder,
            self.ranking,
            self.mode,
            lang,
            self.calibration,
            self.concepts,
        )

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._make_embedder()
        return self._embedder

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        mode: str | None = None,
        top: int = 10,
        *,
        include_weak: bool = False,
    ) -> list[Hit]:
        """The ``top`` passages for ``query`` among those ``filters`` select, best rank_score first.

        Relevance is absolute (calibration.py): a hit below ``ranking.weak_below`` is weak and
        left out unless ``include_weak`` (then it comes marked ``Hit.weak``).
        """
        q = Query.parse(query)
        mode = Mode.parse(mode or self.mode)
        if top < 1:
            raise QueryError(f"--top {top}: give a positive number")
        mask = (filters or Filters()).mask(self.index)
        available = self.index.count if mask is None else int(mask.sum())
        k = min(max(self.ranking.candidates, top), available)
        if k == 0:
            return []
        ev = self.evidence(q, mode, mask, k)
        rel = self.calibration.relevance(
            mode,
            cosine=ev.cosine,
            baseline=ev.baseline,
            bm25=ev.bm25,
            concept=ev.concept,
        )
        extra: dict[str, np.ndarray] = {}
        if ev.cosine is not None:
            extra["cosine"] = ev.cosine
        if ev.bm25 is not None:
            extra["bm25"] = ev.bm25
        return self._rank(ev.ids, rel, extra, top, include_weak)

    def evidence(self, query: str, mode: str, mask: np.ndarray | None, k: int) -> Evidence:
        """The candidates of a query (the ``k`` best of each retrieval the mode uses) and the
        evidence calibration turns into relevance: cosines, baseline, BM25 scores, concept flag."""
        named = named_concepts(query)
        concept = bool(named)
        cosine = bm25_scores = None
        ids = np.zeros(0, np.int64)
        qv = None
        if mode in ("dense", "hybrid"):
            own = self.embedder.embed_queries([dense_text(query)])
            qv = np.ascontiguousarray(own, np.float32)[0]
            if named:
                qv = query_vector(qv, self.concepts.vectors(named, self.embedder.embed_queries))
            ids, _ = self.index.nearest(qv, mask, k)
        baseline = float(qv @ self.index.centroid) if qv is not None else 0.0
        if mode in ("bm25", "hybrid"):
            s = self.index.bm25.scores(bm25.query_tokens(f"{query} {swedish(query) or ''}"))
            if mask is not None:
                s = np.where(mask, s, 0.0)
            rows = np.flatnonzero(s > 0)
            b_ids, _ = top_k(s[rows], rows, k)
            ids = np.unique(np.concatenate([ids, b_ids])) if mode == "hybrid" else b_ids
            bm25_scores = s[ids].astype(np.float64)
        if qv is not None:
            cosine = (self.index.vectors[ids] @ qv).astype(np.float64)
        return Evidence(ids.astype(np.int64), cosine, baseline, bm25_scores, concept)

    def search_grouped(
        self,
        query: str,
        filters: Filters | None = None,
        mode: str | None = None,
        top: int = 10,
        per_group: int = 3,
        *,
        include_weak: bool = False,
    ) -> list[Group]:
        """One row per evaluation, ordered by its best hit, each with its ``per_group`` best hits."""
        if top < 1 or per_group < 1:
            raise QueryError(f"--top {top} / --per-group {per_group}: give positive numbers")
        hits = self.search(
            query,
            filters,
            mode,
            top=max(self.ranking.candidates, top * per_group),
            include_weak=include_weak,
        )
        return group_hits(hits, top, per_group)

    def _rank(
        self,
        ids: np.ndarray,
        rel: np.ndarray,
        extra: dict[str, np.ndarray],
        top: int,
        include_weak: bool,
    ) -> list[Hit]:
        w = self.ranking
        weak = rel < w.weak_below
        if not include_weak:
            keep = ~weak
            ids, rel, weak = ids[keep], rel[keep], weak[keep]
            extra = {name: vals[keep] for name, vals in extra.items()}
        rows = self.index.rows[ids]
        score = np.where(np.isnan(rows["sq_score"]), rows["area_score"], rows["sq_score"]).astype(
            np.float64
        )
        final = rel * score_factor(score, w)  # ranking.rank_score over all candidates at once
        # a gold-star practice goes first among otherwise equal ones
        order = np.lexsort((ids, -rel, -rows["gold"], -final))[:top]
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
                    citation=self.index.citation(pid, p, self.lang),
                    extra={name: float(vals[j]) for name, vals in extra.items()},
                    weak=bool(weak[j]),
                )
            )
        return hits
