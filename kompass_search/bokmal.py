"""Norwegian bokmål words in their Swedish form (bokmal.yaml): a second text for a Norwegian query.

The labelled reports are Swedish and the small model matches across the two languages less well
than within one: a Norwegian query is embedded with its words in Swedish (``search_text``), and
names the glossary concepts of both forms (``named_concepts``; search/searcher.py). The table is
general vocabulary of the two languages, with a few spelling rules for the words it lacks; a
Swedish or English query is left as it is (no key is a common word of either).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from . import datafiles
from .errors import CorpusError
from .glossary import Concept, query_concepts

_WORD = re.compile(r"\w+")


@cache
def _table() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    where = "kompass_search/bokmal.yaml"
    raw = datafiles.load(Path(__file__).with_name("bokmal.yaml"))
    try:
        words = {str(k).casefold(): str(v) for k, v in raw["words"].items()}
        rules = tuple((str(a), str(b)) for a, b in raw["rules"])
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise CorpusError(
            f"not a bokmål table ({type(e).__name__}: {e}); it needs `words` and `rules`", where
        ) from None
    return words, rules


def _word(w: str, words: dict[str, str], rules: tuple[tuple[str, str], ...]) -> str:
    low = w.casefold()
    out = words.get(low)
    if out is None:
        out = low
        for a, b in rules:
            out = out.replace(a, b)
        if out == low:
            return w
    if w.isupper() and len(w) > 1:
        return out.upper()
    return out[:1].upper() + out[1:] if w[:1].isupper() else out


def swedish(query: str) -> str | None:
    """``query`` with its bokmål words in Swedish, or None when no word changes (a Swedish or
    English query, or a Norwegian one that is spelled the Swedish way)."""
    words, rules = _table()
    out = _WORD.sub(lambda m: _word(m.group(0), words, rules), query)
    return out if out != query else None


def search_text(query: str) -> str:
    """The text a dense search embeds for ``query``: its Swedish form when it has bokmål words.

    Measured in wave 7 with `kompass eval` (dense, 138 development queries / the validation split
    heldout4's 30, R@1 / R@5 / MRR, Norwegian R@1): the query as written 0.89 / 0.97 / 0.93 (0.89)
    and 0.67 / 0.90 / 0.75 (0.50); its Swedish form by whole words 0.90 / 0.98 / 0.94 (0.91) and
    0.73 / 0.90 / 0.80 (0.70); with the stem rules (compounds) 0.90 / 0.98 / 0.94 (0.91) and
    0.73 / 0.93 / 0.81 (0.70). Compared on another path (concept vectors embedded per query):
    the mean of the two vectors 0.89 / 0.96 / 0.93 and 0.67 / 0.93 / 0.75, 3:1 for the Swedish
    form 0.89 / 0.98 / 0.93 and 0.70 / 0.90 / 0.79, the Swedish form alone 0.90 / 0.98 / 0.94 and
    0.70 / 0.90 / 0.78. One text also keeps a search to one encoding.
    """
    return swedish(query) or query


def named_concepts(query: str) -> list[Concept]:
    """The glossary concepts ``query`` names, in its own words or its Swedish form's, each once."""
    found = {c.id: c for c in query_concepts(query)}
    sv = swedish(query)
    if sv is not None:
        for c in query_concepts(sv):
            found.setdefault(c.id, c)
    return list(found.values())
