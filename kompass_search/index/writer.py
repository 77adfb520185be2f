"""Writing a planned index (plan.py) into a folder, in the format of format.py."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..model.embed import Embedder
from ..taxonomy import themes
from . import bm25
from .format import (
    BM25_DIR,
    CENTROID,
    DESCRIPTIONS,
    ENGINE_KEY,
    EVALUATIONS,
    FORMAT,
    KIND_CODE,
    LABEL_CODE,
    LINK_METHOD,
    META,
    ROW,
    ROWS,
    TEXTS,
    VECTOR_STORAGE,
    VECTORS,
    EvalRecord,
    description_dtype,
)
from .plan import Plan


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
    offset = 0
    for ei, (e, ds, links) in enumerate(zip(plan.indexed, plan.drafts, plan.links, strict=True)):
        contexts: dict[str, tuple[int, int]] = {}  # paragraph -> (offset, length) in texts.bin
        for p, d in enumerate(ds):
            link = links.get(p)
            sq = e.subquestions[link.stated] if link and link.stated >= 0 else None
            score = d.area.score
            raw = d.text.encode("utf-8")
            text_off = offset
            texts.append(raw)
            offset += len(raw)
            ctx_off, ctx_len = 0, 0
            if d.context is not None:
                if d.context not in contexts:
                    ctx = d.context.encode("utf-8")
                    contexts[d.context] = (offset, len(ctx))
                    texts.append(ctx)
                    offset += len(ctx)
                ctx_off, ctx_len = contexts[d.context]
            for name, value in (
                ("eval", ei),
                ("area", d.area.number),
                ("theme", theme_list.index(d.area.theme) if d.area.theme in theme_list else -1),
                ("kind", KIND_CODE[d.kind]),
                ("country", countries.index(e.country)),
                ("template", tmpls.index(e.template)),
                ("ordinal", d.ordinal),
                ("year", e.year),
                ("link", link.stated if link else -1),
                (
                    "area_score",
                    100.0 * score / d.area.max if score is not None and d.area.max else np.nan,
                ),
                ("sq_score", sq.share if sq else np.nan),
                ("link_sim", link.similarity if link and link.similarity is not None else np.nan),
                ("best", link.best if link else -1),
                ("link_conf", link.confidence if link else np.nan),
                ("runner", link.runner_up if link else -1),
                ("runner_conf", link.runner_up_confidence if link else np.nan),
                ("reviewed", int(bool(link and link.reviewed))),
                ("gold", int(d.gold_star)),
                ("label", LABEL_CODE[d.label] if d.label is not None else -1),
                ("ctx_off", ctx_off),
                ("ctx_len", ctx_len),
                ("text_off", text_off),
                ("text_len", len(raw)),
            ):
                cols[name].append(value)
    rows = np.zeros(len(plan.texts), dtype=ROW)
    for name, values in cols.items():
        if values:
            rows[name] = values
    rows["hash"] = plan.hash_of
    np.save(folder / ROWS, rows)
    (folder / TEXTS).write_bytes(b"".join(texts))
    # ids are row numbers: faiss's own sequential ids, no id map needed
    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else embedder.dim
    index = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(folder / VECTORS))
    # the mean of the vectors as stored (fp16): the same whether a vector was reused or computed
    centroid = np.zeros(dim, np.float64)
    for start in range(0, index.ntotal, 65_536):
        n = min(65_536, index.ntotal - start)
        centroid += index.reconstruct_n(start, n).sum(axis=0, dtype=np.float64)
    centroid /= max(index.ntotal, 1)
    np.save(folder / CENTROID, centroid.astype(np.float32))
    kept = np.zeros(len(plan.descriptions), description_dtype(dim))
    if len(kept):
        order = sorted(plan.descriptions)
        kept["hash"] = order
        kept["vector"] = np.stack([plan.descriptions[h] for h in order])
    np.save(folder / DESCRIPTIONS, kept)
    bm25.build(
        [d.text for ds in plan.drafts for d in ds],
        [e.language for e, ds in zip(plan.indexed, plan.drafts, strict=True) for _ in ds],
        folder / BM25_DIR,
    )
    records = [EvalRecord.of(e, plan.hashes[e.key]).to_json() for e in plan.indexed]
    (folder / EVALUATIONS).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    meta = {
        "format": FORMAT,
        "vectors": VECTOR_STORAGE,
        ENGINE_KEY: getattr(embedder, "engine", type(embedder).__name__),
        "model_id": embedder.model_id,
        # an embedder without a fitted calibration (the hashing fake) names the default one
        "calibration": getattr(embedder, "calibration_key", embedder.model_id),
        "dim": dim,
        "count": len(rows),
        "recipe": plan.recipe,
        "link_method": LINK_METHOD,
        "kinds": list(KIND_CODE),
        "themes": theme_list,
        "countries": countries,
        "templates": tmpls,
        "evaluations": plan.hashes,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **meta_extra,
    }
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
