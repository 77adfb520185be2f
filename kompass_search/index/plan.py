"""What goes into a new index: its passages, which vectors are reused or computed, the strength links."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..errors import IndexStateError
from ..model.embed import Embedder
from ..models import Evaluation
from ..progress import Progress
from ..words import count
from .passages import (
    Draft,
    Link,
    cut,
    embedding_text,
    evaluation_hash,
    link_strengths,
    text_hash,
)
from .reader import Index

LINK_METHOD = "e5-query-query-1"  # links of a previous index are reused only when made the same way


def normalized(v: np.ndarray) -> np.ndarray:
    v = np.ascontiguousarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms > 0, norms, 1)


def _embed_for_links(embedder: Embedder, texts: Sequence[str], rep: Progress) -> np.ndarray:
    # Strengths and subquestion titles are both embedded as queries (e5's symmetric use). On 42
    # hand-labelled Vännäs strengths: query/query 0.69 correct, strength query / title passage
    # 0.67, title query / strength passage 0.57, passage/passage (reusing the index vectors) 0.48.
    if not texts:  # nothing to link: the embedder is not touched (a lazy one stays unloaded)
        return np.zeros((0, 0), np.float32)
    parts = [np.zeros((0, embedder.dim), np.float32)]
    if texts:
        rep.start(f"linking strengths to subquestions ({len(texts)} texts)", len(texts))
        try:
            for start in range(0, len(texts), 64):
                batch = list(texts[start : start + 64])
                parts.append(normalized(embedder.embed_queries(batch)))
                rep.advance(len(batch))
        finally:
            rep.finish()
    return np.concatenate(parts)


class Plan:
    """The new index's passages; which vectors come from the previous index, which are computed."""

    def __init__(self, evals: Sequence[Evaluation], recipe: str, old: Index | None) -> None:
        self.evals = sorted(evals, key=lambda e: e.key)
        dupes = sorted(k for k, n in Counter(e.key for e in self.evals).items() if n > 1)
        if dupes:
            raise IndexStateError(
                f"two evaluations share the key(s) {', '.join(dupes)}; remove one of each"
            )
        self.recipe = recipe
        self.hashes = {e.key: evaluation_hash(e) for e in self.evals}
        self.old = old
        old_hashes: dict[str, str] = old.meta["evaluations"] if old else {}
        self.unchanged = sum(1 for k, h in self.hashes.items() if old_hashes.get(k) == h)
        pairs = [(e, cut(e)) for e in self.evals]
        self.indexed = [e for e, ds in pairs if ds]
        self.drafts: list[list[Draft]] = [ds for _, ds in pairs if ds]
        self.texts = [embedding_text(d, recipe) for ds in self.drafts for d in ds]
        self.hash_of = np.fromiter(
            (text_hash(t) for t in self.texts), dtype=np.int64, count=len(self.texts)
        )
        cache = {int(h): i for i, h in enumerate(old.rows["hash"])} if old is not None else {}
        self.source = np.fromiter(
            (cache.get(int(h), -1) for h in self.hash_of), dtype=np.int64, count=len(self.texts)
        )
        self.n_new = int((self.source < 0).sum())
        self.links: list[dict[int, Link]] = []

    def embed(self, embedder: Embedder, rep: Progress) -> tuple[np.ndarray, float]:
        """All vectors (reused or computed) and the seconds spent computing; then the strength links."""
        new_at = np.flatnonzero(self.source < 0).tolist()
        # nothing new: the previous index's dimension, so that a lazy embedder stays unloaded
        dim = self.old.dim if self.old is not None and not new_at else embedder.dim
        vectors = np.zeros((len(self.texts), dim), np.float32)
        reuse_at = np.flatnonzero(self.source >= 0)
        if len(reuse_at) and self.old is not None:
            vectors[reuse_at] = self.old.vectors[self.source[reuse_at]]
        t = time.perf_counter()
        if new_at:
            # Identical texts (a strength repeated across years) are embedded once.
            unique = list(dict.fromkeys(self.texts[i] for i in new_at))
            rep.start(f"embedding {count(len(unique), 'passage')}", len(unique))
            try:
                got = normalized(embedder.embed_passages(unique, progress=rep.advance))
            finally:
                rep.finish()
            pos = {text: j for j, text in enumerate(unique)}
            vectors[new_at] = got[[pos[self.texts[i]] for i in new_at]]
        seconds = time.perf_counter() - t if new_at else 0.0
        self.links = self._links(embedder, rep)
        return vectors, seconds

    def _links(self, embedder: Embedder, rep: Progress) -> list[dict[int, Link]]:
        old_rows = self._reusable_rows()
        todo = {i for i, e in enumerate(self.indexed) if e.key not in old_rows and e.subquestions}
        titles = {s.title for i in todo for s in self.indexed[i].subquestions}
        strengths = {d.text for i in todo for d in self.drafts[i] if d.kind == "strength"}
        texts = list(dict.fromkeys([*sorted(titles), *sorted(strengths)]))
        vec = _embed_for_links(embedder, texts, rep)
        pos = {t: j for j, t in enumerate(texts)}
        out: list[dict[int, Link]] = []
        for i, (e, ds) in enumerate(zip(self.indexed, self.drafts, strict=True)):
            if e.key in old_rows:
                prev = old_rows[e.key]
                out.append(
                    {
                        p: Link(int(r["link"]), float(r["link_sim"]))
                        for p, r in enumerate(prev)
                        if r["link"] >= 0
                    }
                )
            elif i in todo:
                rows = vec[[pos[d.text] if d.kind == "strength" else 0 for d in ds]]
                out.append(link_strengths(e, ds, rows, vec[[pos[s.title] for s in e.subquestions]]))
            else:
                out.append({})
        return out

    def _reusable_rows(self) -> dict[str, np.ndarray]:
        """Previous rows of evaluations whose content did not change: their links can be kept."""
        if self.old is None or self.old.meta.get("link_method") != LINK_METHOD:
            return {}
        old, out = self.old, {}
        for i, rec in enumerate(old.evaluations):
            if old.meta["evaluations"].get(rec.key) == self.hashes.get(rec.key):
                out[rec.key] = np.asarray(old.rows[old.rows["eval"] == i])
        return out
