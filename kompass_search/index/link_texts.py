"""The texts and the lexical evidence linking reads (linking.py): a report's strengths in order,
each subquestion's head (its aligned Rubriker topic line and title) and description (with the
glossary terms it names), and the shared-concept prior."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..models import Evaluation

if TYPE_CHECKING:
    from ..glossary import Concept

# how much likelier the one subquestion of an area naming a glossary concept the strength names is.
# On the 48 Vännäs labels 1.5 to 2.0 give the same links with both engines (28 of 29 right); 1.75
# is the middle. Leave one area out with the ratio fitted too (1.0-2.5) picks 1.4 in every fold.
CONCEPT_PRIOR = 1.75

_WORD = re.compile(r"\w+")


def strength_items(ev: Evaluation) -> list[tuple[int, str]]:
    """The strengths of an evaluation as (area number, text), in area and printed order."""
    return [(a.number, s) for a in ev.areas for s in a.strengths]


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.casefold()) if len(w) > 3}


def align_topics(titles: list[str], topics: list[str]) -> list[str | None]:
    """The Rubriker topic line of each subquestion: topics are printed in subquestion order.

    With as many topics as subquestions they pair one to one. Otherwise (a topic covering two
    subquestions, as "Information till medborgare" for 1.2 and 1.3) each subquestion takes a topic
    in order, never going back, maximizing shared word stems. More topics than subquestions, or
    none: no topics.
    """
    n, k = len(titles), len(topics)
    if k == n:
        return list(topics)
    if k == 0 or k > n:
        return [None] * n
    overlap = [[len(_stems(t) & _stems(p)) for p in topics] for t in titles]
    # best[i][j]: the best total for titles[:i+1] with title i on topic j, every topic up to j used
    neg = -(10**9)
    best = [[neg] * k for _ in range(n)]
    back = [[0] * k for _ in range(n)]
    best[0][0] = overlap[0][0]
    for i in range(1, n):
        for j in range(k):
            stay = best[i - 1][j]
            step = best[i - 1][j - 1] if j else neg
            best[i][j] = max(stay, step) + overlap[i][j]
            back[i][j] = j if stay >= step else j - 1
    j, path = k - 1, []
    for i in range(n - 1, -1, -1):
        path.append(j)
        j = back[i][j]
    return [topics[j] for j in reversed(path)]


def subquestion_heads(ev: Evaluation) -> dict[str, str]:
    """ "topic: title" per subquestion (its title alone when no Rubriker topic line aligns to it)."""
    out: dict[str, str] = {}
    for number in dict.fromkeys(s.area_number for s in ev.subquestions):
        subs = ev.subquestions_of(number)
        area = ev.area(number)
        topics = align_topics([s.title for s in subs], list(area.topics) if area else [])
        for s, t in zip(subs, topics, strict=True):
            out[s.id] = f"{t}: {s.title}" if t else s.title
    return {s.id: out[s.id] for s in ev.subquestions}


def _shipped(glossary: Sequence[Concept] | None) -> Sequence[Concept]:
    if glossary is not None:
        return glossary
    from ..glossary import load_glossary

    return load_glossary()


def subquestion_descriptions(
    ev: Evaluation, glossary: Sequence[Concept] | None = None
) -> dict[str, str]:
    """Text to embed per subquestion, in ``ev.subquestions`` order.

    "topic: title (terms)": the Rubriker topic line aligned to it (if any), its title, and the
    terms, in the evaluation's language, of the glossary concepts the two name ("civilsamhället"
    brings "föreningsliv, frivilligorganisationer, ..."). ``glossary`` None: the shipped glossary;
    an empty sequence: no terms.
    """
    from ..glossary import concepts_in

    glossary = _shipped(glossary)
    out: dict[str, str] = {}
    for sid, text in subquestion_heads(ev).items():
        terms = [
            w
            # whole words only, as the link rule was measured (with compounds: the same 25
            # links in-sample, leave one area out 0.93 / 0.60 instead of 0.96 / 0.58)
            for c in concepts_in(text, ev.language, glossary, compounds=False)
            for w in c.terms.get(ev.language, ())
        ]
        out[sid] = f"{text} ({', '.join(dict.fromkeys(terms))})" if terms else text
    return out


def concept_priors(
    ev: Evaluation, glossary: Sequence[Concept] | None = None, ratio: float = CONCEPT_PRIOR
) -> np.ndarray:
    """Prior weights, one row per ``strength_items(ev)``, one column per ``ev.subquestions``.

    ``ratio`` where the strength and the head (subquestion_heads) of exactly one subquestion of
    its area name a common glossary concept, compounds included; 1 elsewhere. Two subquestions
    naming it (3.4 and 3.5 both name roles) say nothing about which.
    """
    from ..glossary import concepts_in

    glossary = _shipped(glossary)
    heads = subquestion_heads(ev)
    named = [
        {c.id for c in concepts_in(heads[s.id], ev.language, glossary)} for s in ev.subquestions
    ]
    items = strength_items(ev)
    prior = np.ones((len(items), len(ev.subquestions)))
    for r, (number, text) in enumerate(items):
        mine = {c.id for c in concepts_in(text, ev.language, glossary)}
        cols = [
            j for j, s in enumerate(ev.subquestions) if s.area_number == number and mine & named[j]
        ]
        if len(cols) == 1:
            prior[r, cols[0]] = ratio
    return prior
