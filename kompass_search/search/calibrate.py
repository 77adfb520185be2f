"""Fit the relevance calibration (calibration.py) on the tune split, and measure the weak-match threshold.

    python -m kompass_search.search.calibrate          # print the fitted weights (YAML) and figures
    python -m kompass_search.search.calibrate --write  # and write them into search/calibration.yaml

Training pairs: every tune query against every strength of the labelled evaluation (a right
answer 1, any other strength 0) and every off-topic *tuning* query against every practice (0).
Only the tune split and ``off_topic_tune`` are read (training_set); the held-out splits (heldout,
heldout2, heldout3, heldout4, heldout5) and their off-topic lists never are; `kompass eval`
measures on them.

The weak-match threshold (config ``ranking.weak_below``) is chosen from the same tune data, per
query: a tune query is *kept* when its best right answer reaches the threshold, an off-topic
tuning query is *shown* when its best practice does. The threshold maximizes kept share minus
shown share (threshold_interval); within the interval that does, the geometric middle is used.
With far off-topic queries only, the interval was the gap between the best off-topic hit and the
weakest right answer; with near misses (a municipality or place, taxes, elections) the two overlap.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from .calibration import FEATURES, FILE, Calibration
from .evaluate import (
    SCOPE_KIND,
    SCOPE_MUNICIPALITY,
    TUNE,
    LabelledQuery,
    load_off_topic,
    load_queries,
)
from .filters import Filters
from .query import MODES
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


def best_relevance(cal: Calibration, mode: str, ss: list[Sample], *, labelled: bool) -> list[float]:
    """Per query: the relevance of its best right answer (``labelled``; 0 when no candidate is
    right) or of its best candidate (off-topic queries, which have no right answer)."""
    out = []
    for s in ss:
        ev = s.evidence
        rel = cal.relevance(
            mode, cosine=ev.cosine, baseline=ev.baseline, bm25=ev.bm25, concept=ev.concept
        )
        pick = rel[s.right] if labelled else rel
        out.append(float(pick.max()) if len(pick) else 0.0)
    return out


@dataclass(frozen=True)
class Interval:
    """The thresholds that keep the most right answers net of off-topic queries shown."""

    low: float  # exclusive: the best relevance just under the interval
    high: float  # inclusive
    kept: int  # labelled queries whose best right answer reaches a threshold in the interval
    shown: int  # off-topic queries whose best candidate does

    @property
    def middle(self) -> float:
        return float(np.sqrt(self.low * self.high)) if self.low > 0 else self.high / 2


def threshold_interval(right: list[float], off: list[float]) -> Interval:
    """The interval (low, high] of thresholds t maximizing share(right >= t) - share(off >= t):
    ``right`` the best right answer's relevance per labelled query, ``off`` the best relevance per
    off-topic query. Ties go to the lowest such interval (the most right answers kept)."""
    r, o = np.asarray(right, np.float64), np.asarray(off, np.float64)
    values = np.unique(np.concatenate([r, o]))
    gain = [float((r >= t).mean() - (o >= t).mean()) for t in values]
    i = int(np.argmax(gain))
    j = i
    while j + 1 < len(values) and gain[j + 1] == gain[i]:
        j += 1
    low = float(values[i - 1]) if i > 0 else 0.0
    t = values[i]
    return Interval(low, float(values[j]), int((r >= t).sum()), int((o >= t).sum()))


def main(argv: list[str] | None = None) -> int:
    from ..config import load_config
    from ..index.prepare import prepare_index

    args = sys.argv[1:] if argv is None else argv
    config = load_config()
    searcher = Searcher.open(config, index=prepare_index(config))
    weights = fit(searcher)
    entry = {
        mode: {"features": list(FEATURES[mode]), "weights": list(w), "bias": b}
        for mode, (w, b) in weights.items()
    }
    cal = Calibration(searcher.index.calibration_key, weights)
    queries, off = training_set()
    print(
        yaml.safe_dump({searcher.index.calibration_key: entry}, sort_keys=False, allow_unicode=True)
    )
    now = searcher.ranking.weak_below
    print(f"tune split: {len(queries)} queries, {len(off)} off-topic tuning queries")
    for mode in MODES:
        ss = samples(searcher, mode, queries, off)
        right = best_relevance(cal, mode, ss[: len(queries)], labelled=True)
        wrong = best_relevance(cal, mode, ss[len(queries) :], labelled=False)
        iv = threshold_interval(right, wrong)
        kept = sum(r >= now for r in right)
        shown = sum(o >= now for o in wrong)
        print(
            f"{mode}: best off-topic {max(wrong):.3f}, weakest right answer {min(right):.3f}; "
            f"best threshold ({iv.low:.4f}, {iv.high:.4f}], middle {iv.middle:.3f} "
            f"(kept {iv.kept}/{len(right)}, off-topic shown {iv.shown}/{len(wrong)}); "
            f"at weak_below {now:g}: kept {kept}/{len(right)}, shown {shown}/{len(wrong)}"
        )
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
