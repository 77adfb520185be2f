"""The index folder on disk (faiss vectors, BM25 arrays, a row table, texts, meta.json) and reading it.

Layout of an index folder (all plain files; loading memory-maps them, nothing is parsed per row):

    meta.json          format, model id, dimension, passage count, text recipe, corpus stamp,
                       content hash per evaluation, the code tables of the row table
    evaluations.json   the indexed evaluations: names, years, templates, area and subquestion scores
    rows.npy           one structured row per passage (ROW): numeric fields for exact filtering
    texts.bin          the passages' texts, UTF-8, one after another (rows give offset and length)
    vectors.faiss      IndexIDMap(IndexFlatIP) over L2-normalized vectors; id = row number
    centroid.npy       the mean passage vector (a query's baseline cosine, see ranking.py)
    bm25/              BM25 arrays (see bm25.py)

A passage's id is its row number. Rows are ordered by evaluation key, area, kind and position,
so an unchanged corpus gives the same ids.
"""

from __future__ import annotations

import json
import math
import mmap
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .bm25 import BM25
from .errors import IndexStateError
from .models import KINDS, Passage

FORMAT = 1
REBUILD_HINT = "rebuild it with `kompass index --rebuild`"

ROW = np.dtype(
    [
        ("eval", "<i4"),  # position in evaluations.json
        ("area", "i1"),  # area number within the evaluation's template
        ("theme", "i1"),  # code in meta["themes"]
        ("kind", "i1"),  # code in models.KINDS
        ("country", "i1"),  # code in meta["countries"]
        ("template", "i1"),  # code in meta["templates"]
        ("ordinal", "<i2"),  # position within its area and kind
        ("year", "<i2"),
        ("link", "<i2"),  # index into the evaluation's subquestions, -1 when not linked
        ("area_score", "<f4"),  # 0..100, NaN when the area has no score
        ("sq_score", "<f4"),  # linked subquestion percent, NaN when not linked
        ("link_sim", "<f4"),  # cosine of the strength to the linked subquestion title
        ("text_off", "<i8"),
        ("text_len", "<i4"),
        ("hash", "<i8"),  # passages.text_hash of the embedding text: reuse key for its vector
    ]
)


class Index:
    """A read-only index folder. Cheap to open; faiss and BM25 load on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        meta_file = path / "meta.json"
        if not meta_file.is_file():
            raise IndexStateError(
                f"no index here (meta.json missing); build it with `kompass index --out {path}`",
                path,
            )
        try:
            self.meta: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
            self.evaluations: list[dict[str, Any]] = json.loads(
                (path / "evaluations.json").read_text(encoding="utf-8")
            )
        except (OSError, ValueError) as e:
            raise IndexStateError(f"index files unreadable ({e}); {REBUILD_HINT}", path) from None
        if self.meta.get("format") != FORMAT:
            raise IndexStateError(
                f"index format {self.meta.get('format')} is not the supported {FORMAT}; {REBUILD_HINT}",
                path,
            )
        try:
            self.rows: np.ndarray = np.load(path / "rows.npy", mmap_mode="r")
        except (OSError, ValueError) as e:
            raise IndexStateError(f"rows.npy unreadable ({e}); {REBUILD_HINT}", path) from None
        if self.rows.dtype != ROW or len(self.rows) != self.count:
            raise IndexStateError(f"rows.npy does not match meta.json; {REBUILD_HINT}", path)
        self._columns: dict[str, np.ndarray] = {}
        self._codes = {
            t: {v: i for i, v in enumerate(self.meta[t])}
            for t in ("themes", "countries", "templates")
        }

    @property
    def count(self) -> int:
        return int(self.meta["count"])

    @property
    def model_id(self) -> str:
        return str(self.meta["model_id"])

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
                f"{model_id!r}; {REBUILD_HINT} (or point --index at an index of that model)",
                self.path,
            )

    @cached_property
    def faiss(self) -> Any:
        import faiss

        flag = getattr(
            faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP
        )  # zero-copy where faiss allows it
        try:
            index = faiss.read_index(str(self.path / "vectors.faiss"), flag)
        except RuntimeError as e:
            raise IndexStateError(
                f"vectors.faiss unreadable ({str(e)[:80]}); {REBUILD_HINT}", self.path
            ) from None
        if index.ntotal != self.count or index.d != self.dim:
            raise IndexStateError(
                f"vectors.faiss does not match meta.json; {REBUILD_HINT}", self.path
            )
        return index

    @cached_property
    def vectors(self) -> np.ndarray:
        """(count, dim) float32 view of the stored vectors (read-only, shares faiss's memory)."""
        import faiss

        if self.count == 0:
            return np.zeros((0, self.dim), np.float32)
        flat: Any = faiss.downcast_index(self.faiss.index)
        v = faiss.rev_swig_ptr(flat.get_xb(), self.count * self.dim).reshape(self.count, self.dim)
        v.flags.writeable = False
        return v

    @cached_property
    def centroid(self) -> np.ndarray:
        """The mean of all passage vectors: its dot product with a query is the query's mean cosine."""
        try:
            return np.load(self.path / "centroid.npy")
        except (OSError, ValueError) as e:
            raise IndexStateError(
                f"centroid.npy unreadable ({e}); {REBUILD_HINT}", self.path
            ) from None

    @cached_property
    def bm25(self) -> BM25:
        try:
            return BM25(self.path / "bm25")
        except (OSError, ValueError, KeyError) as e:
            raise IndexStateError(f"bm25/ unreadable ({e}); {REBUILD_HINT}", self.path) from None

    @cached_property
    def _texts(self) -> mmap.mmap | bytes:
        with open(self.path / "texts.bin", "rb") as f:
            if f.seek(0, 2) == 0:
                return b""
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def text(self, i: int) -> str:
        r = self.rows[i]
        off, n = int(r["text_off"]), int(r["text_len"])
        return bytes(self._texts[off : off + n]).decode("utf-8")

    def evaluation(self, i: int) -> dict[str, Any]:
        """The evaluation record of passage ``i``."""
        return self.evaluations[int(self.rows[i]["eval"])]

    def passage(self, i: int) -> Passage:
        r = self.rows[i]
        ev = self.evaluations[int(r["eval"])]
        area = ev["areas"][str(int(r["area"]))]
        link = int(r["link"])
        sq = ev["subquestions"][link] if link >= 0 else None
        return Passage(
            id=int(i),
            evaluation=ev["key"],
            municipality=ev["municipality"],
            country=ev["country"],
            year=int(ev["year"]),
            template=ev["template"],
            language=ev["language"],
            area_number=int(r["area"]),
            theme=area["theme"],
            area_name=area["name"],
            area_score=_opt(r["area_score"]),
            kind=KINDS[int(r["kind"])],
            text=self.text(i),
            subquestion=sq["id"] if sq else None,
            subquestion_title=sq["title"] if sq else None,
            subquestion_percent=_opt(r["sq_score"]),
            link_similarity=_opt(r["link_sim"]),
        )


def _opt(x: Any) -> float | None:
    v = float(x)
    return None if math.isnan(v) else v


def open_index(path: Path) -> Index:
    """Open the index at ``path``; a folder left half-swapped by a crash is put back first."""
    from .indexer import recover

    recover(path)
    if not path.exists():
        raise IndexStateError(f"no index here; build it with `kompass index --out {path}`", path)
    return Index(path)
