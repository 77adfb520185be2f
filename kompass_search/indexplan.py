"""What goes into a new index (rows, texts, vectors reused or computed, strength links) and writing its files."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import bm25
from .embed import Embedder
from .errors import IndexStateError
from .index import FORMAT, ROW, Index
from .models import KINDS, Evaluation
from .passages import (
    KIND_CODE,
    Draft,
    Link,
    cut,
    embedding_text,
    evaluation_hash,
    link_strengths,
    text_hash,
)
from .taxonomy import themes

if TYPE_CHECKING:
    from .indexer import Reporter

LINK_METHOD = "e5-query-query-1"  # links of a previous index are reused only when made the same way


def normalized(v: np.ndarray) -> np.ndarray:
    v = np.ascontiguousarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms > 0, norms, 1)


def _embed_for_links(embedder: Embedder, texts: Sequence[str], rep: Reporter) -> np.ndarray:
    # Strengths and subquestion titles are both embedded as queries (e5's symmetric use). On 42
    # hand-labelled Vännäs strengths: query/query 0.69 correct, strength query / title passage
    # 0.67, title query / strength passage 0.57, passage/passage (reusing the index vectors) 0.48.
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

    def embed(self, embedder: Embedder, rep: Reporter) -> tuple[np.ndarray, float]:
        """All vectors (reused or computed) and the seconds spent computing; then the strength links."""
        vectors = np.zeros((len(self.texts), embedder.dim), np.float32)
        reuse_at = np.flatnonzero(self.source >= 0)
        if len(reuse_at) and self.old is not None:
            vectors[reuse_at] = self.old.vectors[self.source[reuse_at]]
        new_at = np.flatnonzero(self.source < 0).tolist()
        t = time.perf_counter()
        if new_at:
            # Identical texts (a strength repeated across years) are embedded once.
            unique = list(dict.fromkeys(self.texts[i] for i in new_at))
            rep.start(f"embedding {len(unique)} passages", len(unique))
            try:
                got = normalized(embedder.embed_passages(unique, progress=rep.advance))
            finally:
                rep.finish()
            pos = {text: j for j, text in enumerate(unique)}
            vectors[new_at] = got[[pos[self.texts[i]] for i in new_at]]
        seconds = time.perf_counter() - t if new_at else 0.0
        self.links = self._links(embedder, rep)
        return vectors, seconds

    def _links(self, embedder: Embedder, rep: Reporter) -> list[dict[int, Link]]:
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
            if old.meta["evaluations"].get(rec["key"]) == self.hashes.get(rec["key"]):
                out[rec["key"]] = np.asarray(old.rows[old.rows["eval"] == i])
        return out


def write(
    folder: Path, plan: Plan, vectors: np.ndarray, embedder: Embedder, meta_extra: dict[str, Any]
) -> None:
    """Write every file of an index into ``folder`` (meta.json last)."""
    import faiss

    theme_list = list(themes())
    countries = sorted({e.country for e in plan.indexed})
    tmpls = sorted({e.template for e in plan.indexed})
    cols: dict[str, list[Any]] = {name: [] for name in ROW.names or ()}
    texts: list[bytes] = []
    for ei, (e, ds, links) in enumerate(zip(plan.indexed, plan.drafts, plan.links, strict=True)):
        for p, d in enumerate(ds):
            link = links.get(p)
            sq = e.subquestions[link.subquestion] if link else None
            score = d.area.score
            raw = d.text.encode("utf-8")
            for name, value in (
                ("eval", ei),
                ("area", d.area.number),
                ("theme", theme_list.index(d.area.theme) if d.area.theme in theme_list else -1),
                ("kind", KIND_CODE[d.kind]),
                ("country", countries.index(e.country)),
                ("template", tmpls.index(e.template)),
                ("ordinal", d.ordinal),
                ("year", e.year),
                ("link", link.subquestion if link else -1),
                (
                    "area_score",
                    100.0 * score / d.area.max if score is not None and d.area.max else np.nan,
                ),
                ("sq_score", sq.share if sq else np.nan),
                ("link_sim", link.similarity if link else np.nan),
                ("text_len", len(raw)),
            ):
                cols[name].append(value)
            texts.append(raw)
    rows = np.zeros(len(plan.texts), dtype=ROW)
    for name, values in cols.items():
        if values:
            rows[name] = values
    lengths = np.asarray(cols["text_len"], dtype=np.int64)
    rows["text_off"] = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(lengths) else []
    rows["hash"] = plan.hash_of
    np.save(folder / "rows.npy", rows)
    (folder / "texts.bin").write_bytes(b"".join(texts))
    index = faiss.IndexIDMap(faiss.IndexFlatIP(embedder.dim))
    if len(vectors):
        index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    faiss.write_index(index, str(folder / "vectors.faiss"))
    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(embedder.dim)
    np.save(folder / "centroid.npy", centroid.astype(np.float32))
    bm25.build(
        [d.text for ds in plan.drafts for d in ds],
        [e.language for e, ds in zip(plan.indexed, plan.drafts, strict=True) for _ in ds],
        folder / "bm25",
    )
    records = [_record(e, plan.hashes[e.key]) for e in plan.indexed]
    (folder / "evaluations.json").write_text(
        json.dumps(records, ensure_ascii=False), encoding="utf-8"
    )
    meta = {
        "format": FORMAT,
        "model_id": embedder.model_id,
        "dim": embedder.dim,
        "count": len(rows),
        "recipe": plan.recipe,
        "link_method": LINK_METHOD,
        "kinds": list(KINDS),
        "themes": theme_list,
        "countries": countries,
        "templates": tmpls,
        "evaluations": plan.hashes,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **meta_extra,
    }
    (folder / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def _record(e: Evaluation, digest: str) -> dict[str, Any]:
    return {
        "key": e.key,
        "municipality": e.municipality,
        "country": e.country,
        "year": e.year,
        "template": e.template,
        "language": e.language,
        "date": e.date,
        "publisher": e.source.publisher,
        "source_title": e.source.title,
        "hash": digest,
        "areas": {
            str(a.number): {"theme": a.theme, "name": a.name, "score": a.score, "max": a.max}
            for a in e.areas
        },
        "subquestions": [
            {
                "id": s.id,
                "title": s.title,
                "achieved": s.achieved,
                "max": s.max,
                "percent": s.percent,
            }
            for s in e.subquestions
        ],
    }
