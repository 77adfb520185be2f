"""The sv/no/en glossary of domain terms (glossary.yaml): concept groups, and which of them a text names.

Wave 6 (measured on the 138 development queries, dense, R@1 / R@5 / MRR; before 0.82/0.95/0.88):
definite plurals name their term (MATCH_VERSION 3: "företrädarna" names "företrädare",
"innbyggerne" "innbyggere"; 0.83/0.96/0.88), the union group got its inflected and Norwegian
terms (0.83/0.96/0.89), and general administrative vocabulary got groups (chief executive,
management team, officials, employer, managers, executive board, website, economy:
0.85/0.94/0.89; with the question recipe of index/passages.py 0.89/0.97/0.93). Groups for
employees, residents, council, elected representatives, trust, openness, internal communication
and departments were measured and left out: each cost one to three queries at rank 1 (a generic
word names its group in many queries and pulls them all towards the passages that name it).
Terms are words any municipality's evaluation might use, never one report's practice names.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import datafiles
from .errors import CorpusError

LANGS = ("sv", "no", "en")
_WORD = re.compile(r"\w+")
# inflection endings a term may carry and still count as named ("medborgardialoger", "kulturlivet",
# "lederne")
_ENDINGS = "(?:e|en|et|er|erna|arna|ar|na|n|t|s|a|ene|ne)?"
# a term ending in -e may drop it before a definite plural ending: sv "företrädare" is named by
# "företrädarna", no "innbyggere" by "innbyggerne" (MATCH_VERSION 3)
_DROP_E = ("na", "ne")


@dataclass(frozen=True)
class Concept:
    """One concept group: its terms per language, lower case."""

    id: str
    terms: dict[str, tuple[str, ...]]

    def all_terms(self) -> tuple[str, ...]:
        return tuple(t for lang in LANGS for t in self.terms.get(lang, ()))


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


@cache
def load_glossary() -> tuple[Concept, ...]:
    """The shipped glossary. Raises CorpusError when the file is malformed."""
    where = "kompass_search/glossary.yaml"
    # parsed once per version of the file, not on the way of every dense query (datafiles.py)
    raw = datafiles.load(Path(__file__).with_name("glossary.yaml"))
    try:
        return tuple(
            Concept(
                str(g["id"]), {lang: tuple(str(t).casefold() for t in g[lang]) for lang in LANGS}
            )
            for g in raw["groups"]
        )
    except (KeyError, TypeError) as e:
        raise CorpusError(
            f"not a glossary ({type(e).__name__}: {e}); each group needs id, sv, no, en", where
        ) from None


@cache
def _pattern(term: str) -> re.Pattern[str]:
    # a term counts when it is a whole word (or word sequence), inflections allowed: "kultur" does
    # not match "kulturellt", "civilsamhället" matches "civilsamhället"
    w = _words(term)
    forms = re.escape(w) + _ENDINGS
    if w.endswith("e"):
        forms = f"(?:{forms}|{re.escape(w[:-1])}(?:{'|'.join(_DROP_E)}))"
    return re.compile(r"(?:^| )" + forms + r"(?= |$)")


# Swedish and Norwegian write compounds as one word: a one-word term of at least COMPOUND_HEAD
# letters counts when a word begins with it and goes on for COMPOUND_TAIL letters or more
# ("synpunktshanteringssystem" names complaint handling). Shorter terms must stand alone:
# "kultur" would otherwise match "kulturellt".
COMPOUND_HEAD, COMPOUND_TAIL = 9, 3
# how terms are matched: a change here changes which texts name which concept, so it is part of
# glossary_digest() and an index made with other matching is brought up to date
MATCH_VERSION = 3  # 2: compounds; 3: definite plurals ("-ne", "-are" as "-arna", "-ere" as "-erne")
ENDINGS = ("e", "en", "et", "er", "erna", "arna", "ar", "na", "n", "t", "s", "a", "ene", "ne")


@dataclass(frozen=True)
class _Lookup:
    """One language's terms indexed for speed: a one-word term by its word, a longer one by its
    first word (then checked with its pattern). Same answers as trying every pattern."""

    single: dict[str, tuple[int, ...]]
    multi: dict[str, tuple[tuple[str, int], ...]]


_LOOKUPS: dict[tuple[int, str], tuple[Sequence[Concept], _Lookup]] = {}


def _lookup(groups: Sequence[Concept], lang: str) -> _Lookup:
    """The lookup of ``groups`` (kept per glossary object: the shipped one is built once)."""
    kept = _LOOKUPS.get((id(groups), lang))
    if kept is not None and kept[0] is groups:
        return kept[1]
    look = _build_lookup(groups, lang)
    if len(_LOOKUPS) > 64:
        _LOOKUPS.clear()
    _LOOKUPS[(id(groups), lang)] = (groups, look)
    return look


def _build_lookup(groups: Sequence[Concept], lang: str) -> _Lookup:
    single: dict[str, list[int]] = {}
    multi: dict[str, list[tuple[str, int]]] = {}
    for i, c in enumerate(groups):
        for t in c.terms.get(lang, ()):
            w = _words(t)
            if " " in w:
                multi.setdefault(w.split(" ", 1)[0], []).append((t, i))
            elif w:
                single.setdefault(w, []).append(i)
    return _Lookup(
        {k: tuple(v) for k, v in single.items()}, {k: tuple(v) for k, v in multi.items()}
    )


def concepts_in(
    text: str, lang: str, glossary: Sequence[Concept] | None = None, *, compounds: bool = True
) -> list[Concept]:
    """The concept groups whose ``lang`` terms the text names, in glossary order (``compounds``:
    a long term also counts at the start of a compound word, COMPOUND_HEAD)."""
    words = _words(text)
    groups = load_glossary() if glossary is None else glossary
    look = _lookup(groups, lang)
    found: set[int] = set()
    tokens = set(words.split())
    for w in tokens:
        # the word itself, or the word less an inflection ending, may be a one-word term
        for base in (w, *(w[: -len(e)] for e in ENDINGS if len(w) > len(e) and w.endswith(e))):
            found.update(look.single.get(base, ()))
        for e in _DROP_E:  # "företrädarna" names "företrädare"
            if len(w) > len(e) + 1 and w.endswith(e):
                found.update(look.single.get(w[: -len(e)] + "e", ()))
        if compounds:  # a long term may open a compound ("synpunktshanteringssystem")
            for cut in range(COMPOUND_HEAD, len(w) - COMPOUND_TAIL + 1):
                found.update(look.single.get(w[:cut], ()))
        for term, i in look.multi.get(w, ()):
            if i not in found and _pattern(term).search(words):
                found.add(i)
    return [groups[i] for i in sorted(found)]


def glossary_digest() -> str:
    """A content hash of the shipped glossary file and the matching rule (the index records the one
    its vectors are from)."""
    return f"{_file_digest()}-m{MATCH_VERSION}"


@cache
def _file_digest() -> str:
    # read once per process, like load_glossary: the digest names the glossary this process uses.
    # crc32 (zlib, loaded anyway): a change detector; hashlib stays off the search path (start-up)
    raw = Path(__file__).with_name("glossary.yaml").read_bytes()
    return f"{zlib.crc32(raw):08x}-{len(raw)}"


def query_concepts(query: str) -> list[Concept]:
    """The concept groups a query names, in a term of any language (a query's language is not
    known), each once, in the order the languages find them."""
    found: dict[str, Concept] = {}
    for lang in LANGS:
        for c in concepts_in(query, lang):
            found.setdefault(c.id, c)
    return list(found.values())


def expand_query(query: str, per_lang: int | None = None) -> tuple[str, bool]:
    """The query with the terms, in every language, of the concepts it names, and whether it
    names any (the query's language is not known: a term of any language counts); ``per_lang``:
    only each concept's first that many terms of each language (None: all).

    "klagehåndtering" -> "klagehåndtering (synpunktshantering, klagomålshantering, ...)": the
    small model learns from the terms that a Norwegian word means the Swedish one.
    """
    found = query_concepts(query)
    if not found:
        return query, False
    terms = dict.fromkeys(
        t for c in found for lang in LANGS for t in c.terms.get(lang, ())[:per_lang]
    )
    return f"{query} ({', '.join(terms)})", True
