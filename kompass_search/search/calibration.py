"""Absolute relevance: the probability that a passage is a right answer, from the model's similarity.

Relevance is a logistic function of evidence that does not depend on the other hits:

- dense:  the passage's cosine to the query's vector (glossary concepts added), the query's baseline (its mean
  cosine to all passages: how "in domain" it is), and whether the query names a glossary concept;
- bm25:   log(1 + BM25 score) and the concept flag;
- hybrid: both.

The weights are fitted per model (calibration.yaml, ``python -m kompass_search.search.calibrate``)
on the tune split of the labelled queries: each query against every strength of the labelled
evaluation (right answers 1, others 0), plus off-topic tuning queries against every practice (all
0). So the same number means the same across queries, a filter never raises it (it is computed
per passage), and a near-certain match gets close to 1. A model without fitted weights gets the
``default`` entry: a plain logistic of the cosine (the hashing fake of the tests uses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .. import datafiles
from ..errors import ConfigError
from .query import MODES

FILE = "calibration.yaml"
# feature names per mode, in the order of the fitted weights (the bias comes last)
FEATURES = {
    "dense": ("cosine", "baseline", "concept"),
    "bm25": ("log_bm25", "concept"),
    "hybrid": ("cosine", "baseline", "log_bm25", "concept"),
}


@dataclass(frozen=True)
class Calibration:
    """Logistic weights per mode: {mode: (weights in FEATURES order, bias)}."""

    model: str
    weights: dict[str, tuple[tuple[float, ...], float]]

    def relevance(
        self,
        mode: str,
        *,
        cosine: np.ndarray | None = None,
        baseline: float = 0.0,
        bm25: np.ndarray | None = None,
        concept: bool = False,
    ) -> np.ndarray:
        """The calibrated relevance (0..1) of each passage, from its own evidence only."""
        w, bias = self.weights[mode]
        n = len(cosine) if cosine is not None else len(bm25) if bm25 is not None else 0
        values = {
            "cosine": np.zeros(n) if cosine is None else np.asarray(cosine, np.float64),
            "baseline": np.full(n, baseline),
            "log_bm25": np.zeros(n) if bm25 is None else np.log1p(np.asarray(bm25, np.float64)),
            "concept": np.full(n, float(concept)),
        }
        z = bias + sum(wi * values[f] for wi, f in zip(w, FEATURES[mode], strict=True))
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))), np.float64)


def _parse(raw: Any, where: str) -> dict[str, Calibration]:
    out: dict[str, Calibration] = {}
    try:
        for model, modes in raw["models"].items():
            weights = {}
            for mode in MODES:
                m = modes[mode]
                w = tuple(float(x) for x in m["weights"])
                if len(w) != len(FEATURES[mode]):
                    raise ValueError(f"{model}.{mode}: {len(FEATURES[mode])} weights needed")
                weights[mode] = (w, float(m["bias"]))
            out[str(model)] = Calibration(str(model), weights)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ConfigError(f"not a calibration file ({e}); see {FILE}", where) from None
    if "default" not in out:
        raise ConfigError("a calibration file needs a 'default' entry", where)
    return out


@cache
def calibrations() -> dict[str, Calibration]:
    """The shipped calibrations, by model id."""
    return _parse(datafiles.load(Path(__file__).with_name(FILE)), f"kompass_search/search/{FILE}")


def for_model(model_id: str) -> Calibration:
    """The calibration fitted for ``model_id``, else the default one."""
    table = calibrations()
    return table.get(model_id) or table["default"]
