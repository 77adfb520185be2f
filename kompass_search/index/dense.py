"""An index folder's dense side: the faiss file, its fp16 vectors mapped by numpy, and every faiss call of a search."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexStateError
from .format import META, VECTORS

# fp16 rows gathered from the mapped file cost ~2.5 us each (1M passages); faiss's filtered scan
# costs ~3.5 ms at 1M plus its share of selected rows: a direct product wins below a few thousand
SUBSET_ROWS = 2_000  # a filter selecting at most this many rows is searched by a direct product
WIDE_SHARE = 0.25  # a filter selecting at least this share of rows: plain scan, then filter


class Dense:
    """The vectors of an index folder (``count`` of ``dim``); faiss loads on first use.

    ``hint`` says how to rebuild the folder, for the errors of a missing or mismatched file.
    """

    def __init__(self, path: Path, count: int, dim: int, hint: str) -> None:
        self.path = path
        self.count = count
        self.dim = dim
        self.hint = hint

    @cached_property
    def faiss(self) -> Any:
        import faiss

        flag = getattr(
            faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP
        )  # zero-copy where faiss allows it
        try:
            index = faiss.read_index(str(self.path / VECTORS), flag)
        except RuntimeError as e:
            raise IndexStateError(
                f"{VECTORS} unreadable ({str(e)[:80]}); {self.hint}", self.path
            ) from None
        if index.ntotal != self.count or index.d != self.dim:
            raise IndexStateError(f"{VECTORS} does not match {META}; {self.hint}", self.path)
        return index

    @cached_property
    def vectors(self) -> np.ndarray:
        """(count, dim) float16 view of the stored vectors (read-only).

        The fp16 codes at the end of the memory-mapped faiss file, mapped again by numpy: the same
        page-cache pages, no copy. Checked against faiss's own decoding of the first and last row;
        should a faiss version lay the file out otherwise, faiss decodes a private copy instead.
        """
        n, d = self.count, self.dim
        if n == 0:
            return np.zeros((0, d), np.float16)
        ix = self.faiss
        file = self.path / VECTORS
        view: np.ndarray | None = None
        try:
            offset = file.stat().st_size - n * d * 2
            if offset > 0:
                view = np.memmap(file, dtype=np.float16, mode="r", offset=offset, shape=(n, d))
        except (OSError, ValueError):
            view = None
        if view is None or not all(
            np.array_equal(view[i], ix.reconstruct(i).astype(np.float16)) for i in (0, n - 1)
        ):
            view = ix.reconstruct_n(0, n).astype(np.float16)
        view.flags.writeable = False
        return view

    def nearest(
        self, query: np.ndarray, mask: np.ndarray | None, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ids and cosines of the ``k`` passages nearest to the normalized ``query`` vector among
        those ``mask`` selects (all when None), best first (ties by id)."""
        import faiss

        qv = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        faiss.omp_set_num_threads(1)  # one query: OpenMP start-up costs more than it saves
        if mask is None:
            return _found(*self.faiss.search(qv, k))
        selected = int(mask.sum())
        if selected <= SUBSET_ROWS:
            rows = np.flatnonzero(mask)
            return top_k(self.vectors[rows].astype(np.float32) @ qv[0], rows, k)
        if selected >= self.count * WIDE_SHARE:
            # A wide filter (e.g. the CLI's default kinds): faiss's filtered scan is ~3x slower
            # than its plain one, so scan everything for more than k and keep the selected. Exact
            # whenever k selected rows come back: every row left out scores below all of them.
            wide = min(self.count, int(k * self.count / selected * 1.5) + 16)
            ids, scores = _found(*self.faiss.search(qv, wide))
            keep = mask[ids]
            if int(keep.sum()) >= min(k, selected):
                return ids[keep][:k], scores[keep][:k]
        bitmap = np.packbits(mask, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
        params = faiss.SearchParameters()
        params.sel = selector  # keep `selector` (and `bitmap`) alive until the search returns
        return _found(*self.faiss.search(qv, k, params=params))


def _found(d: np.ndarray, i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """faiss's answer for one query without its -1 padding (fewer rows than asked for)."""
    keep = i[0] >= 0
    return i[0][keep].astype(np.int64), d[0][keep]


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best (score desc, id asc) of parallel arrays."""
    if len(scores) > k:
        part = np.argpartition(-scores, k - 1)[:k]
        scores, ids = scores[part], ids[part]
    order = np.lexsort((ids, -scores))
    return ids[order].astype(np.int64), scores[order].astype(np.float32)
