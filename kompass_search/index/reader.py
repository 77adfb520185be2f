"""Reading an index folder (format.py): the row table, texts, records, passages and citations; its vectors through dense.py."""

from __future__ import annotations

import json
import math
import mmap
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..citation import Origin, practice_citation
from ..errors import IndexStateError
from ..models import KINDS, Passage
from .bm25 import BM25
from .dense import Dense
from .folder import recover
from .format import (
    BM25_DIR,
    CENTROID,
    CODE_TABLES,
    CONCEPTS,
    EVALUATIONS,
    FORMAT,
    LABELS,
    META,
    QUERIES,
    ROW,
    ROWS,
    TEXTS,
    EvalRecord,
    rebuild_hint,
)


class Index:
    """A read-only index folder. Cheap to open; faiss and BM25 load on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        hint = rebuild_hint(path)
        meta_file = path / META
        if not meta_file.is_file():
            raise IndexStateError(
                f"no index here ({META} missing); build it with `kompass index --out {path}`",
                path,
            )
        try:
            self.meta: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
            raw = json.loads((path / EVALUATIONS).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise IndexStateError(f"index files unreadable ({e}); {hint}", path) from None
        hint = rebuild_hint(path, self.meta.get("corpus"))
        if self.meta.get("format") != FORMAT:
            raise IndexStateError(
                f"index format {self.meta.get('format')} is not the supported {FORMAT}; {hint}",
                path,
            )
        try:
            self.evaluations: list[EvalRecord] = [EvalRecord.from_json(m) for m in raw]
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise IndexStateError(f"{EVALUATIONS} malformed ({e}); {hint}", path) from None
        try:
            self.rows: np.ndarray = np.load(path / ROWS, mmap_mode="r")
        except (OSError, ValueError) as e:
            raise IndexStateError(f"{ROWS} unreadable ({e}); {hint}", path) from None
        if self.rows.dtype != ROW or len(self.rows) != self.count:
            raise IndexStateError(f"{ROWS} does not match {META}; {hint}", path)
        self._columns: dict[str, np.ndarray] = {}
        self._codes = {t: {v: i for i, v in enumerate(self.meta[t])} for t in CODE_TABLES}

    @property
    def count(self) -> int:
        return int(self.meta["count"])

    @property
    def model_id(self) -> str:
        return str(self.meta["model_id"])

    @property
    def calibration_key(self) -> str:
        """Which relevance calibration fits this index's vectors (search/calibration.py)."""
        return str(self.meta.get("calibration") or self.model_id)

    @property
    def dim(self) -> int:
        return int(self.meta["dim"])

    def column(self, name: str) -> np.ndarray:
        """One field of the row table as a contiguous array (copied once; filters scan these)."""
        col = self._columns.get(name)
        if col is None:
            col = self._columns[name] = np.ascontiguousarray(self.rows[name])
        return col

    def code(self, table: str, value: str) -> int:
        """The code of ``value`` in a code table (themes, countries, templates); -1 if absent."""
        return self._codes[table].get(value, -1)

    def check_model(self, model_id: str, dim: int | None = None) -> None:
        """Refuse an index built with another model: its vectors mean nothing to this one."""
        if model_id != self.model_id or (dim is not None and dim != self.dim):
            raise IndexStateError(
                f"built with model {self.model_id!r} ({self.dim}-d) but the configured model is "
                f"{model_id!r}; {rebuild_hint(self.path, self.meta.get('corpus'))} (or point --index at an index of that model)",
                self.path,
            )

    @cached_property
    def dense(self) -> Dense:
        """The vectors (dense.py): the faiss file, its fp16 view, nearest-neighbour search."""
        return Dense(
            self.path, self.count, self.dim, rebuild_hint(self.path, self.meta.get("corpus"))
        )

    @property
    def faiss(self) -> Any:
        return self.dense.faiss

    @property
    def vectors(self) -> np.ndarray:
        """(count, dim) float16 view of the stored vectors (read-only; ``Dense.vectors``)."""
        return self.dense.vectors

    def nearest(
        self, query: np.ndarray, mask: np.ndarray | None, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` passages nearest to ``query`` among those ``mask`` selects (``Dense.nearest``)."""
        return self.dense.nearest(query, mask, k)

    @cached_property
    def centroid(self) -> np.ndarray:
        """The mean of all passage vectors: its dot product with a query is the query's mean cosine."""
        try:
            return np.load(self.path / CENTROID)
        except (OSError, ValueError) as e:
            raise IndexStateError(
                f"{CENTROID} unreadable ({e}); {rebuild_hint(self.path, self.meta.get('corpus'))}",
                self.path,
            ) from None

    @cached_property
    def concepts(self) -> tuple[dict[str, Any], np.ndarray]:
        """The glossary concept vectors (index/concepts.py) and their meta entry (glossary, ids)."""
        entry = self.meta.get("concepts")
        try:
            vectors = np.load(self.path / CONCEPTS)
            if not isinstance(entry, dict) or vectors.shape != (len(entry["ids"]), self.dim):
                raise ValueError(f"does not match {META}")
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise IndexStateError(
                f"{CONCEPTS} unreadable ({e}); {rebuild_hint(self.path, self.meta.get('corpus'))}",
                self.path,
            ) from None
        return entry, vectors

    @cached_property
    def queries(self) -> dict[str, np.ndarray]:
        """The gap query vectors (index/queries.py) by their text: what `kompass gaps` searches with."""
        entry = self.meta.get("queries")
        try:
            vectors = np.load(self.path / QUERIES)
            texts = entry["texts"] if isinstance(entry, dict) else None
            if not isinstance(texts, list) or vectors.ndim != 2 or len(vectors) != len(texts):
                raise ValueError(f"does not match {META}")
            if vectors.dtype != np.float32:
                raise ValueError(f"{vectors.dtype} vectors, not float32")
            if texts and vectors.shape[1] != self.dim:
                raise ValueError(f"vectors of {vectors.shape[1]} dimensions, not {self.dim}")
        except (OSError, ValueError) as e:
            raise IndexStateError(
                f"{QUERIES} unreadable ({e}); {rebuild_hint(self.path, self.meta.get('corpus'))}",
                self.path,
            ) from None
        return dict(zip(texts, vectors, strict=True))

    @cached_property
    def bm25(self) -> BM25:
        try:
            return BM25(self.path / BM25_DIR)
        except (OSError, ValueError, KeyError) as e:
            raise IndexStateError(
                f"{BM25_DIR}/ unreadable ({e}); {rebuild_hint(self.path, self.meta.get('corpus'))}",
                self.path,
            ) from None

    @cached_property
    def _texts(self) -> mmap.mmap | bytes:
        with open(self.path / TEXTS, "rb") as f:
            if f.seek(0, 2) == 0:
                return b""
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def text(self, i: int) -> str:
        r = self.rows[i]
        off, n = int(r["text_off"]), int(r["text_len"])
        return bytes(self._texts[off : off + n]).decode("utf-8")

    def context(self, i: int) -> str | None:
        """The paragraph a summary sentence comes from (None for other passages)."""
        r = self.rows[i]
        off, n = int(r["ctx_off"]), int(r["ctx_len"])
        return bytes(self._texts[off : off + n]).decode("utf-8") if n else None

    def evaluation(self, i: int) -> EvalRecord:
        """The evaluation record of passage ``i``."""
        return self.evaluations[int(self.rows[i]["eval"])]

    def position(self, key: str) -> int | None:
        """The position of the evaluation ``key`` in ``evaluations`` (the rows' ``eval``), if indexed."""
        return next((i for i, e in enumerate(self.evaluations) if e.key == key), None)

    def citation(self, i: int, p: Passage | None = None, lang: str | None = None) -> str:
        """The citation of passage ``i`` (``p``: the passage, when already read), in ``lang``
        (default: the evaluation's language)."""
        ev = self.evaluation(i)
        p = p if p is not None else self.passage(i)
        area = ev.areas.get(p.area_number)
        sq = ev.subquestion(p.subquestion) if p.subquestion else None
        return practice_citation(
            p,
            Origin(ev.template, ev.year, ev.date, ev.publisher, url=ev.source_url),
            area_score=area.score if area else None,
            area_max=area.max if area else None,
            subquestion_percent=sq.percent if sq else None,
            lang=lang,
        )

    def passage(self, i: int) -> Passage:
        r = self.rows[i]
        ev = self.evaluations[int(r["eval"])]
        area = ev.areas[int(r["area"])]
        link, best, runner = int(r["link"]), int(r["best"]), int(r["runner"])
        sq = ev.subquestions[link] if link >= 0 else None
        label = int(r["label"])
        return Passage(
            id=int(i),
            evaluation=ev.key,
            municipality=ev.municipality,
            country=ev.country,
            year=ev.year,
            template=ev.template,
            language=ev.language,
            area_number=int(r["area"]),
            theme=area.theme,
            area_name=area.name,
            area_score=_opt(r["area_score"]),
            kind=KINDS[int(r["kind"])],
            text=self.text(i),
            subquestion=sq.id if sq else None,
            subquestion_title=sq.title if sq else None,
            subquestion_percent=_opt(r["sq_score"]),
            link_similarity=_opt(r["link_sim"]),
            link_confidence=_opt(r["link_conf"]),
            link_reviewed=bool(r["reviewed"]),
            link_best=ev.subquestions[best].id if best >= 0 else None,
            link_runner_up=ev.subquestions[runner].id if runner >= 0 else None,
            link_runner_up_confidence=_opt(r["runner_conf"]) if runner >= 0 else None,
            gold_star=bool(r["gold"]),
            label=LABELS[label] if label >= 0 else None,
            context=self.context(i),
        )


def _opt(x: Any) -> float | None:
    v = float(x)
    return None if math.isnan(v) else v


def open_index(path: Path) -> Index:
    """Open the index at ``path``; a folder left half-swapped by a crash is put back first."""
    recover(path)
    if not path.exists():
        raise IndexStateError(f"no index here; build it with `kompass index --out {path}`", path)
    return Index(path)
