"""Retrieval quality on labelled queries: recall@1, recall@5 and MRR per mode (`kompass eval`).

Each labelled query names the strength(s) it should find by a fragment of their printed text;
a hit counts when its text contains a fragment (case aside). Queries run over the strengths of
the labelled evaluation only (Vännäs 2016), so other municipalities' strengths added to the corpus
do not change the figures. The ranking measured is retrieval alone (score weight 0): the
role-model score reorders practices of one municipality by its own area scores, which says
nothing about retrieval; ``with_score=True`` measures the ranking users see instead.

    python -m kompass_search.search.evaluate [--json]

Figures are reported per split and mode, with the share of off-topic queries that still show a
hit at the weak-match threshold, per off-topic list. Splits: "tune" may be tuned on (calibrate.py
reads it and nothing else); the held-out splits never are. "heldout2" was written blind after the
passage recipe was frozen, because the recipe was chosen after the "heldout" figures were seen;
"heldout3" was written blind in wave 5. Since wave 6, "heldout", "heldout2" and "heldout3" are
development data: wave 6's glossary and passage recipe were chosen on them with the tune split
(calibration code still reads the tune split only). "heldout4" was written blind in wave 6 and was
its split of record; since wave 7 it is development data too. "heldout5" was written blind in
wave 7 and is its split of record, measured once after the wave's changes are merged, so that one
figure comes from queries no decision has seen.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import CorpusError, NotFoundError
from .filters import Filters
from .query import MODES
from .searcher import Searcher

SCOPE_MUNICIPALITY, SCOPE_KIND = "Vännäs", "strength"  # the labelled evaluation's strengths
TUNE = "tune"  # the only split tuning code may read
# measured, never tuned on
HELDOUT_SPLITS = ("heldout", "heldout2", "heldout3", "heldout4", "heldout5")
# the off-topic list that goes with each split, by its key in the queries file
OFF_TOPIC_KEYS = {
    "heldout": "off_topic",
    "heldout2": "off_topic_heldout2",
    "heldout3": "off_topic_heldout3",
    "heldout4": "off_topic_heldout4",
    "heldout5": "off_topic_heldout5",
    TUNE: "off_topic_tune",
}
QUERIES_FORMAT = (
    "expected `queries:` with a list of {lang: sv, q: <question>, expect: [<text of the strength>]}"
)


@dataclass(frozen=True)
class LabelledQuery:
    lang: str
    q: str
    expect: tuple[str, ...]
    split: str = "heldout"  # "tune" may be tuned on; the HELDOUT_SPLITS never are

    def matches(self, text: str) -> bool:
        t = text.casefold()
        return any(e.casefold() in t for e in self.expect)


@dataclass(frozen=True)
class Scores:
    mode: str
    n: int
    r1: float
    r5: float
    mrr: float
    by_lang: dict[str, tuple[int, float, float]]  # lang -> (n, R@1, MRR)
    ranks: tuple[int | None, ...]  # 1-based rank of the first correct hit per query
    split: str = "all"


def _raw(path: Path | None) -> tuple[Any, Path | str]:
    """The parsed YAML of the labelled queries at ``path`` (else the shipped copy) and its name."""
    if path is None:
        text = (
            resources.files("kompass_search")
            .joinpath("eval_queries.yaml")
            .read_text(encoding="utf-8")
        )
        where: Path | str = "kompass_search/eval_queries.yaml"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise CorpusError(
                f"cannot read the queries ({e.strerror}); check --queries", path
            ) from None
        where = path
    try:
        return yaml.safe_load(text), where
    except yaml.YAMLError as e:
        raise CorpusError(
            f"not valid YAML ({str(e).splitlines()[0]}); {QUERIES_FORMAT}", where
        ) from None


def load_queries(path: Path | None = None) -> list[LabelledQuery]:
    """Labelled queries from ``path``, else the copy shipped in the package."""
    raw, where = _raw(path)
    items = raw.get("queries") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise CorpusError(f"no `queries:` list; {QUERIES_FORMAT}", where)
    out = []
    for i, q in enumerate(items):
        missing = [k for k in ("lang", "q", "expect") if not isinstance(q, dict) or k not in q]
        if missing:
            raise CorpusError(
                f"queries[{i}]: missing {', '.join(missing)}; {QUERIES_FORMAT}", where
            )
        expect = q["expect"] if isinstance(q["expect"], list) else [q["expect"]]
        # YAML 1.1 reads a bare `no` as false: the Norway problem
        lang = "no" if q["lang"] is False else str(q["lang"])
        split = str(q.get("split", "heldout"))
        out.append(LabelledQuery(lang, str(q["q"]), tuple(str(e) for e in expect), split))
    return out


def load_off_topic(split: str = "heldout", path: Path | None = None) -> list[str]:
    """The off-topic queries of ``split``: ``off_topic`` (heldout), ``off_topic_heldout2``,
    ``off_topic_heldout3``, ``off_topic_heldout4``, ``off_topic_heldout5`` or ``off_topic_tune``
    (the only ones the weak-match threshold may be tuned on)."""
    if split not in OFF_TOPIC_KEYS:
        raise ValueError(
            f"no off-topic list for split {split!r}; one of {', '.join(OFF_TOPIC_KEYS)}"
        )
    raw, where = _raw(path)
    key = OFF_TOPIC_KEYS[split]
    if not isinstance(raw, dict):
        raise CorpusError(f"no `queries:` list; {QUERIES_FORMAT}", where)
    try:
        return [str(q["q"]) for q in raw.get(key) or []]
    except (KeyError, TypeError, AttributeError) as e:
        raise CorpusError(f"{key}: each entry needs q ({e})", where) from None


def false_positive_rate(searcher: Searcher, queries: list[str], mode: str) -> tuple[float, int]:
    """The share of off-topic queries that show any practice that is not weak, and their count."""
    practices = Filters.parse(kind="strength,summary")
    shown = sum(1 for q in queries if searcher.search(q, practices, mode=mode, top=1))
    return (shown / len(queries) if queries else 0.0), len(queries)


def evaluate(
    searcher: Searcher, queries: list[LabelledQuery], mode: str, *, with_score: bool = False
) -> Scores:
    """Rank of the first correct strength for every query, and the usual summary figures."""
    if not with_score:
        searcher = searcher.with_ranking(replace(searcher.ranking, score_weight=0.0))
    filters = Filters.parse(municipality=SCOPE_MUNICIPALITY, kind=SCOPE_KIND)
    try:
        available = filters.mask(searcher.index)
    except NotFoundError:
        raise CorpusError(
            f"the labelled queries are about {SCOPE_MUNICIPALITY}'s strengths, which this index "
            "lacks; run eval over a corpus that holds them (the shipped corpus does)",
            searcher.index.path,
        ) from None
    top = int(available.sum()) if available is not None else searcher.index.count
    ranks: list[int | None] = []
    for lq in queries:
        hits = searcher.search(lq.q, filters, mode=mode, top=max(top, 1), include_weak=True)
        ranks.append(
            next((i for i, h in enumerate(hits, start=1) if lq.matches(h.passage.text)), None)
        )
    by_lang: dict[str, tuple[int, float, float]] = {}
    for lang in sorted({q.lang for q in queries}):
        rs = [r for r, q in zip(ranks, queries, strict=True) if q.lang == lang]
        by_lang[lang] = (len(rs), _recall(rs, 1), _mrr(rs))
    return Scores(
        mode, len(queries), _recall(ranks, 1), _recall(ranks, 5), _mrr(ranks), by_lang, tuple(ranks)
    )


def _recall(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def _mrr(ranks: list[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r is not None) / len(ranks) if ranks else 0.0


def evaluate_all(
    searcher: Searcher, queries: list[LabelledQuery], *, with_score: bool = False
) -> list[Scores]:
    """Scores per split (held-out first; "all" when the file has no splits) and mode."""
    splits = sorted({q.split for q in queries}, key=lambda s: (s != "heldout", s))
    out = []
    for split in splits:
        qs = [q for q in queries if q.split == split]
        for mode in MODES:
            sc = evaluate(searcher, qs, mode, with_score=with_score)
            out.append(replace(sc, split=split))
    return out


def off_topic_rates(searcher: Searcher, off_topic: list[str]) -> dict[str, float]:
    """Per mode: the share of off-topic queries showing a hit at the weak-match threshold."""
    return {mode: false_positive_rate(searcher, off_topic, mode)[0] for mode in MODES}


@dataclass(frozen=True)
class OffTopic:
    split: str
    n: int
    rates: dict[str, float]  # mode -> share of the queries showing a hit


def held_out_off_topic(path: Path | None = None) -> dict[str, list[str]]:
    """The off-topic list of each held-out split that the file has (never the tuning list)."""
    lists = {split: load_off_topic(split, path) for split in HELDOUT_SPLITS}
    return {split: qs for split, qs in lists.items() if qs}


def off_topic_by_split(searcher: Searcher, lists: dict[str, list[str]]) -> list[OffTopic]:
    """The false-positive rate of each off-topic list, per mode."""
    return [OffTopic(split, len(qs), off_topic_rates(searcher, qs)) for split, qs in lists.items()]


def table(
    results: list[Scores], off_topic: list[OffTopic] | None = None, weak_below: float = 0.0
) -> str:
    langs = sorted({lang for s in results for lang in s.by_lang})
    head = f"{'split':<8} {'mode':<7} {'n':>3} {'R@1':>5} {'R@5':>5} {'MRR':>5}  " + "  ".join(
        f"R@1 {lang:<2} MRR {lang:<2}" for lang in langs
    )
    lines = [head]
    for s in results:
        per = "  ".join(
            f"{s.by_lang[lang][1]:>6.2f} {s.by_lang[lang][2]:>6.2f}"
            if lang in s.by_lang
            else f"{'-':>6} {'-':>6}"
            for lang in langs
        )
        lines.append(
            f"{s.split:<8} {s.mode:<7} {s.n:>3} {s.r1:>5.2f} {s.r5:>5.2f} {s.mrr:>5.2f}  {per}"
        )
    lines.append(
        "(strengths of Vännäs 2016; heldout, heldout2 and heldout3 were written blind and are"
        " development data since wave 6: its glossary and passage recipe were chosen on them;"
        " heldout4, written blind in wave 6, is development data since wave 7;"
        " heldout5 was written blind in wave 7: the split of record)"
    )
    if off_topic:
        lines.append(f"weak-match threshold {weak_below:.2f}: off-topic queries showing a hit:")
        for o in off_topic:
            rates = ", ".join(f"{m} {r:.2f}" for m, r in o.rates.items())
            lines.append(f"  {o.split:<8} n={o.n:<3} {rates}")
    return "\n".join(lines)


def as_json(results: list[Scores]) -> list[dict[str, Any]]:
    return [
        {
            "split": s.split,
            "mode": s.mode,
            "queries": s.n,
            "recall@1": round(s.r1, 4),
            "recall@5": round(s.r5, 4),
            "mrr": round(s.mrr, 4),
            "by_language": {
                k: {"queries": v[0], "recall@1": round(v[1], 4), "mrr": round(v[2], 4)}
                for k, v in s.by_lang.items()
            },
            "ranks": list(s.ranks),
        }
        for s in results
    ]


def report_json(results: list[Scores], off_topic: list[OffTopic], weak_below: float) -> str:
    """The `kompass eval --json` document: scores, threshold and off-topic rates per split."""
    by_split = {o.split: o for o in off_topic}
    heldout = by_split.get("heldout")
    out: dict[str, object] = {
        "results": as_json(results),
        "weak_below": weak_below,
        "off_topic_false_positive_rate": heldout.rates if heldout else None,  # the heldout list
        "off_topic": {o.split: {"queries": o.n, "false_positive_rate": o.rates} for o in off_topic},
    }
    return json.dumps(out, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    """``python -m kompass_search.search.evaluate [--json]``: the same as ``kompass eval``."""
    from ..config import load_config
    from ..index.prepare import prepare_index

    args = sys.argv[1:] if argv is None else argv
    config = load_config()
    searcher = Searcher.open(config, index=prepare_index(config))
    results = evaluate_all(searcher, load_queries())
    off = off_topic_by_split(searcher, held_out_off_topic())
    weak_below = searcher.ranking.weak_below
    print(
        report_json(results, off, weak_below)
        if "--json" in args
        else table(results, off, weak_below)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
