"""Fit the relevance calibration (calibration.py) on the tune split, and measure the weak-match threshold.

    python -m kompass_search.search.calibrate          # print the fitted weights (YAML) and figures
    python -m kompass_search.search.calibrate --write  # and write them into search/calibration.yaml

Training pairs: every tune query against every strength of the labelled evaluation (a right
answer 1, any other strength 0) and every off-topic *tuning* query against every practice (0).
Only the tune split and ``off_topic_tune`` are read (training_set); the held-out splits (heldout,
heldout2) and their off-topic lists never are; `kompass eval` measures on them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from .calibration import FEATURES, FILE, MODES, Calibration
from .evaluate import (
    SCOPE_KIND,
    SCOPE_MUNICIPALITY,
    TUNE,
    LabelledQuery,
    load_off_topic,
    load_queries,
)
from .filters import Filters
from .searcher import Evidence, Searcher


@dataclass(frozen=True)
class Sample:
    evidence: Evidence
    right: np.ndarray  # bool per candidate


def _features(mode: str, ev: Evidence) -> np.ndarray:
    n = len(ev.ids)
    cols = {
        "cosine": ev.cosine if ev.cosine is not None else np.zeros(n),
        "baseline": np.full(n, ev.baseline),
        "log_bm25": np.log1p(ev.bm25) if ev.bm25 is not None else np.zeros(n),
        "concept": np.full(n, float(ev.concept)),
    }
    return np.column_stack([cols[f] for f in FEATURES[mode]])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularized logistic regression by Newton's method, on standardized features."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.column_stack([(x - mu) / sd, np.ones(len(x))])
    w = np.zeros(z.shape[1])
    for _ in range(60):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -50, 50)))
        grad = z.T @ (p - y) + l2 * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    a = w[:-1] / sd
    return a, float(w[-1] - np.sum(w[:-1] * mu / sd))


def samples(
    searcher: Searcher, mode: str, queries: list[LabelledQuery], off_topic: list[str]
) -> list[Sample]:
    """The evidence of each query over its scope, and which candidates are right."""
    out = []
    scope = Filters.parse(municipality=SCOPE_MUNICIPALITY, kind=SCOPE_KIND)
    practices = Filters.parse(kind="strength,summary")
    for q, filters in [(lq, scope) for lq in queries] + [(q, practices) for q in off_topic]:
        mask = filters.mask(searcher.index)
        k = int(mask.sum()) if mask is not None else searcher.index.count
        text = q.q if isinstance(q, LabelledQuery) else q
        ev = searcher.evidence(text, mode, mask, max(k, 1))
        right = (
            np.array([q.matches(searcher.index.text(int(i))) for i in ev.ids], bool)
            if isinstance(q, LabelledQuery)
            else np.zeros(len(ev.ids), bool)
        )
        out.append(Sample(ev, right))
    return out


def training_set() -> tuple[list[LabelledQuery], list[str]]:
    """The tune split and the off-topic tuning list: the only labelled queries tuning may see."""
    return [q for q in load_queries() if q.split == TUNE], load_off_topic(TUNE)


def fit(searcher: Searcher) -> dict[str, tuple[tuple[float, ...], float]]:
    queries, off = training_set()
    weights = {}
    for mode in MODES:
        ss = samples(searcher, mode, queries, off)
        x = np.concatenate([_features(mode, s.evidence) for s in ss])
        y = np.concatenate([s.right for s in ss]).astype(np.float64)
        a, b = fit_logistic(x, y)
        weights[mode] = (tuple(round(float(v), 4) for v in a), round(b, 4))
    return weights


def main(argv: list[str] | None = None) -> int:
    from ..config import load_config
    from ..index.build import prepare_index

    args = sys.argv[1:] if argv is None else argv
    config = load_config()
    searcher = Searcher.open(config, index=prepare_index(config))
    weights = fit(searcher)
    entry = {
        mode: {"features": list(FEATURES[mode]), "weights": list(w), "bias": b}
        for mode, (w, b) in weights.items()
    }
    cal = Calibration(searcher.index.calibration_key, weights)
    _, off = training_set()
    practices = Filters.parse(kind="strength,summary")
    print(
        yaml.safe_dump({searcher.index.calibration_key: entry}, sort_keys=False, allow_unicode=True)
    )
    for mode in MODES:
        best = []
        for q in off:
            mask = practices.mask(searcher.index)
            ev = searcher.evidence(q, mode, mask, searcher.ranking.candidates)
            rel = cal.relevance(
                mode, cosine=ev.cosine, baseline=ev.baseline, bm25=ev.bm25, concept=ev.concept
            )
            best.append(float(rel.max()) if len(rel) else 0.0)
        print(f"{mode}: best relevance of an off-topic tuning query: {max(best):.3f}")
    if "--write" in args:
        path = resources.files("kompass_search.search").joinpath(FILE)
        raw = yaml.safe_load(path.read_text("utf-8"))
        raw["models"][searcher.index.calibration_key] = entry
        with resources.as_file(path) as p:
            p.write_text(
                _HEADER + yaml.safe_dump(raw, sort_keys=False, default_flow_style=None),
                encoding="utf-8",
            )
    return 0


_HEADER = (
    "# Relevance calibration per model (search/calibration.py): logistic weights per mode, in the\n"
    "# order of 'features', then the bias. Fitted by `python -m kompass_search.search.calibrate\n"
    "# --write` on the tune split; 'default' (no fit: a plain logistic of the cosine) serves an\n"
    "# index whose embedder has no calibration (the tests' hashing fake).\n"
)

if __name__ == "__main__":
    raise SystemExit(main())
