"""What goes into a new index: its passages, which vectors are reused or computed, the strength links."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexStateError
from ..glossary import glossary_digest
from ..model.embed import Embedder, normalize_rows
from ..models import Evaluation
from ..progress import Progress
from ..words import count
from .format import DESCRIPTIONS, LINK_METHOD, description_dtype
from .link_texts import strength_items, subquestion_descriptions
from .linking import Link, link_strengths
from .passages import QUESTION_RECIPES, Draft, cut, embedding_text, evaluation_hash, text_hash
from .reader import Index


@dataclass(frozen=True)
class StrengthLink:
    """A strength's link as the index stores it (indexes into the evaluation's subquestions).

    ``stated`` is -1 when the strength links to its area only (confidence below the threshold);
    ``best`` is the most likely subquestion even then. A reviewed link has confidence 1.
    """

    stated: int
    best: int
    confidence: float
    runner_up: int
    runner_up_confidence: float
    similarity: float | None
    reviewed: bool = False


# Link texts per embedder call: the progress bar's step. Large, as a call of fewer than
# engine.POOL_FROM texts runs on OpenMP threads that wait for each other: the fresh install's 93 link
# texts went as 64 + 29, and the 29 took 1.0 s under load, against 0.5 s in the pool.
LINK_BATCH = 256


def _embed_for_links(embedder: Embedder, texts: Sequence[str], rep: Progress) -> np.ndarray:
    # Strengths and subquestion titles are both embedded as queries (e5's symmetric use). On 42
    # hand-labelled Vännäs strengths: query/query 0.69 correct, strength query / title passage
    # 0.67, title query / strength passage 0.57, passage/passage (reusing the index vectors) 0.48.
    if not texts:  # nothing to link: the embedder is not touched (a lazy one stays unloaded)
        return np.zeros((0, 0), np.float32)
    parts = []
    rep.start(f"linking strengths to subquestions ({len(texts)} texts)", len(texts))
    try:
        for start in range(0, len(texts), LINK_BATCH):
            batch = list(texts[start : start + LINK_BATCH])
            parts.append(normalize_rows(embedder.embed_queries(batch)))
            rep.advance(len(batch))
    finally:
        rep.finish()
    return np.concatenate(parts)


def load_descriptions(folder: Path, dim: int) -> dict[int, np.ndarray]:
    """The description vectors an index kept (format.DESCRIPTIONS), by text hash; empty when it kept
    none (written before they were kept) or the file is unreadable: they are embedded again then."""
    try:
        kept = np.load(folder / DESCRIPTIONS, allow_pickle=False)
    except (OSError, ValueError):
        return {}
    if kept.ndim != 1 or kept.dtype != description_dtype(dim):
        return {}
    return {int(h): np.array(v) for h, v in zip(kept["hash"], kept["vector"], strict=True)}


class Plan:
    """The new index's passages; which vectors come from the previous index, which are computed.

    Links: the strengths of a new or changed evaluation are embedded as queries (with its
    subquestion descriptions) and linked; those of an unchanged one keep their stored links. A
    description's vector depends on its text and the model only, so one the previous index kept
    (a report of the same template, an edited report) is reused, not embedded again.
    """

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
        self.links: list[dict[int, StrengthLink]] = []
        self._kept_rows = self._reusable_rows()
        self._cache = {int(h): i for i, h in enumerate(old.rows["hash"])} if old is not None else {}
        # the texts as far as they are known before linking: an unchanged evaluation's links are
        # stored; a strength still to be linked counts as new until its question is known
        # (embedder.work); embed() makes them exact once every link is known
        self._set_texts(
            [
                _stored_links(self._kept_rows[e.key]) if e.key in self._kept_rows else None
                for e in self.indexed
            ]
        )
        self._todo = [
            i for i, e in enumerate(self.indexed) if e.key not in self._kept_rows and e.subquestions
        ]
        self._descs = {i: subquestion_descriptions(self.indexed[i]) for i in self._todo}
        self._items = {i: strength_items(self.indexed[i]) for i in self._todo}
        # description vectors by text hash: the previous index's, then those computed here
        self.descriptions: dict[int, np.ndarray] = (
            load_descriptions(old.path, old.dim) if old is not None else {}
        )
        # what linking embeds: each text once, a description only when no vector of it is kept
        self.link_texts = list(
            dict.fromkeys(
                [
                    *(
                        d
                        for i in self._todo
                        for d in self._descs[i].values()
                        if text_hash(d) not in self.descriptions
                    ),
                    *(t for i in self._todo for _, t in self._items[i]),
                ]
            )
        )

    def _set_texts(self, links: Sequence[dict[int, StrengthLink] | None]) -> None:
        """The embedding texts, their hashes, the previous row each can reuse and how many are new,
        with ``links`` per evaluation (None: not linked yet) giving each strength its question."""
        texts: list[str] = []
        unknown: list[int] = []
        for e, ds, lk in zip(self.indexed, self.drafts, links, strict=True):
            for p, d in enumerate(ds):
                if lk is None and d.kind == "strength" and e.subquestions:
                    unknown.append(len(texts))
                best = lk[p].best if lk is not None and p in lk else -1
                question = e.subquestions[best].title if best >= 0 else None
                texts.append(embedding_text(d, self.recipe, question))
        self.texts = texts
        self.hash_of = np.fromiter((text_hash(t) for t in texts), dtype=np.int64, count=len(texts))
        self.source = np.fromiter(
            (self._cache.get(int(h), -1) for h in self.hash_of), dtype=np.int64, count=len(texts)
        )
        if self.recipe in QUESTION_RECIPES and unknown:
            self.source[unknown] = -1
        self.n_new = int((self.source < 0).sum())

    def embed(self, embedder: Embedder, rep: Progress) -> tuple[np.ndarray, float]:
        """The strength links, then all vectors (reused or computed) and the seconds spent computing
        them (a strength's text names the question it answers: passages.embedding_text)."""
        self.links = self._links(embedder, rep)
        self._set_texts(self.links)
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
                got = normalize_rows(embedder.embed_passages(unique, progress=rep.advance))
            finally:
                rep.finish()
            pos = {text: j for j, text in enumerate(unique)}
            vectors[new_at] = got[[pos[self.texts[i]] for i in new_at]]
        seconds = time.perf_counter() - t if new_at else 0.0
        return vectors, seconds

    def _links(self, embedder: Embedder, rep: Progress) -> list[dict[int, StrengthLink]]:
        vec = _embed_for_links(embedder, self.link_texts, rep)
        pos = {t: j for j, t in enumerate(self.link_texts)}
        for i in self._todo:
            for d in self._descs[i].values():
                if d in pos:
                    self.descriptions[text_hash(d)] = vec[pos[d]]
        out: list[dict[int, StrengthLink]] = []
        for i, (e, ds) in enumerate(zip(self.indexed, self.drafts, strict=True)):
            if e.key in self._kept_rows:
                out.append(_stored_links(self._kept_rows[e.key]))
            elif i in self._descs:
                items = self._items[i]
                qv = np.stack([self.descriptions[text_hash(d)] for d in self._descs[i].values()])
                sv = (
                    vec[[pos[t] for _, t in items]]
                    if items
                    else np.zeros((0, qv.shape[1]), np.float32)
                )
                out.append(_draft_links(e, ds, link_strengths(e, sv, qv)))
            else:
                out.append(_draft_links(e, ds, []))
        return out

    def _reusable_rows(self) -> dict[str, np.ndarray]:
        """Previous rows of evaluations whose content did not change: their links can be kept."""
        if self.old is None or self.old.meta.get("link_method") != LINK_METHOD:
            return {}
        if (self.old.meta.get("concepts") or {}).get("glossary") != glossary_digest():
            return {}  # the glossary is part of each subquestion's description
        old, out = self.old, {}
        for i, rec in enumerate(old.evaluations):
            if old.meta["evaluations"].get(rec.key) == self.hashes.get(rec.key):
                out[rec.key] = np.asarray(old.rows[old.rows["eval"] == i])
        return out


def _draft_links(
    e: Evaluation, ds: Sequence[Draft], links: Sequence[Link]
) -> dict[int, StrengthLink]:
    """The links of an evaluation's strength drafts (by position), reviewed links overriding."""
    ids = [s.id for s in e.subquestions]
    by_item: dict[tuple[int, int], Link] = {}
    seen: dict[int, int] = {}
    for link in links:  # in strength_items order: (area, ordinal within the area)
        n = seen.get(link.area, 0)
        by_item[(link.area, n)] = link
        seen[link.area] = n + 1
    out: dict[int, StrengthLink] = {}
    for p, d in enumerate(ds):
        if d.kind != "strength":
            continue
        lk = by_item.get((d.area.number, d.ordinal))
        best = ids.index(lk.best) if lk is not None and lk.best in ids else -1
        runner = ids.index(lk.runner_up) if lk is not None and lk.runner_up in ids else -1
        nan = float("nan")
        inferred = StrengthLink(
            stated=ids.index(lk.subquestion) if lk is not None and lk.subquestion in ids else -1,
            best=best,
            confidence=lk.confidence if lk is not None and best >= 0 else nan,
            runner_up=runner,
            runner_up_confidence=lk.runner_up_confidence if lk is not None and runner >= 0 else nan,
            similarity=lk.similarity if lk is not None else None,
        )
        if d.reviewed is not None and d.reviewed in ids:
            r = ids.index(d.reviewed)
            # the runner-up of a reviewed link: inference's best other guess, kept for review
            ru = best if best != r else runner
            ru_conf = inferred.confidence if best != r else inferred.runner_up_confidence
            inferred = StrengthLink(r, r, 1.0, ru, ru_conf, inferred.similarity, reviewed=True)
        if inferred.best >= 0:
            out[p] = inferred
    return out


def _stored_links(rows: np.ndarray) -> dict[int, StrengthLink]:
    """Links of an unchanged evaluation, read back from the previous index's rows."""
    out: dict[int, StrengthLink] = {}
    for p, r in enumerate(rows):
        if int(r["best"]) < 0:
            continue
        sim = float(r["link_sim"])
        out[p] = StrengthLink(
            int(r["link"]),
            int(r["best"]),
            float(r["link_conf"]),
            int(r["runner"]),
            float(r["runner_conf"]),
            None if np.isnan(sim) else sim,
            bool(r["reviewed"]),
        )
    return out
