"""The dense search of index format 1 (faiss flat fp32), as the baseline of format 2's fp16 vectors.

Format 1 kept vectors as an IndexIDMap(IndexFlatIP) of fp32 and searched a filter selecting up
to 50,000 rows by a direct product over those rows, a wider one by faiss with an id selector.
``Format1Index`` is a format-2 index whose dense search runs that way over the fp32 originals
(in RAM): the rest of the search path is the production one, so the two paths differ only there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..index.dense import top_k
from ..index.format import KIND_CODE
from ..index.reader import Index

FORMAT1_SUBSET_ROWS = 50_000


class Format1Index(Index):
    def __init__(self, path: Path, vectors32: np.ndarray) -> None:
        import faiss

        super().__init__(path)
        self.vectors32 = np.ascontiguousarray(vectors32, dtype=np.float32)
        self.flat: Any = faiss.IndexFlatIP(self.dim)
        if len(self.vectors32):
            self.flat.add(self.vectors32)

    def nearest(
        self, query: np.ndarray, mask: np.ndarray | None, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        qv = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        faiss.omp_set_num_threads(1)
        if mask is not None and mask.sum() <= FORMAT1_SUBSET_ROWS:
            rows = np.flatnonzero(mask)
            return top_k(self.vectors32[rows] @ qv[0], rows, k)
        params = None
        if mask is not None:
            bitmap = np.packbits(mask, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
            params = faiss.SearchParameters()
            params.sel = selector
        d, i = self.flat.search(qv, k, params=params)
        keep = i[0] >= 0
        return i[0][keep].astype(np.int64), d[0][keep]


def recall_at_10(fp16: Index, fp32: Format1Index, queries: dict[str, np.ndarray]) -> float | None:
    """Mean share of the exact fp32 top 10 that the fp16 index returns, over the queries, with no
    filter and with the CLI's default kinds (strength, summary)."""
    if fp16.count < 10:
        return None
    kinds = np.isin(fp16.column("kind"), [KIND_CODE["strength"], KIND_CODE["summary"]])
    shares = []
    for qv in queries.values():
        for mask in (None, kinds):
            got, _ = fp16.nearest(qv[0], mask, 10)
            exact, _ = fp32.nearest(qv[0], mask, 10)
            shares.append(len(set(got.tolist()) & set(exact.tolist())) / len(exact))
    return round(float(np.mean(shares)), 4)
