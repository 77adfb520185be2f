"""Summary sentences: a splitter for Swedish/Norwegian report prose and a practice/deficit/neutral classifier."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .. import datafiles

PRACTICE, DEFICIT, NEUTRAL = "practice", "deficit", "neutral"
LABELS = (PRACTICE, DEFICIT, NEUTRAL)

_END = re.compile(r"([.!?…]+[\"”’)]*)(\s+)")
_STARTS_SENTENCE = re.compile(r"[\"”“'(]*[A-ZÅÄÖÆØÜÉ0-9–•-]")


def _cue_file() -> Any:
    return datafiles.load(Path(__file__).parent.parent / "practice_cues.yaml")


@cache
def abbreviations() -> frozenset[str]:
    """Words ending in a full stop that do not end a sentence ("ex.", "bl.a.", "f.eks." ...)."""
    return frozenset(str(a).casefold() for a in _cue_file()["abbreviations"])


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one summary paragraph, in order, whitespace inside kept as printed.

    A sentence ends at '.', '!', '?' (with closing quotes) followed by space and a capital or a
    digit, except after an abbreviation ("ex.", "bl.a.", "t.ex.", "m.m.", "d.v.s." ...). A list
    introduced by a colon stays with its sentence.
    """
    text = paragraph.strip()
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end(1)
        rest = text[m.end() :]
        if not rest or not _STARTS_SENTENCE.match(rest):
            continue
        last_word = text[start:end].split()[-1].casefold().lstrip("(\"”“'")
        if last_word in abbreviations():
            continue
        out.append(text[start:end].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


@dataclass(frozen=True)
class Classified:
    """A summary sentence with its label and the cue that decided it (None: the default)."""

    text: str
    label: str
    cue: str | None = None


@dataclass(frozen=True)
class _Cues:
    deficit_words: frozenset[str]
    deficit_stems: tuple[str, ...]
    negations: frozenset[str]
    not_negation: frozenset[str]
    neutral_words: frozenset[str]
    neutral_stems: tuple[str, ...]
    example: tuple[str, ...]
    follows_advice: tuple[str, ...]
    follows_advice_words: frozenset[str]


def _low(items: Any) -> tuple[str, ...]:
    return tuple(" ".join(str(x).casefold().split()) for x in items or ())


@cache
def cues(lang: str) -> _Cues:
    """The cue lists of one language ("sv" or "no"; others fall back to "sv")."""
    raw = _cue_file()
    c = raw.get(lang) or raw["sv"]
    return _Cues(
        deficit_words=frozenset(_low(c["deficit"]["words"])),
        deficit_stems=_low(c["deficit"]["stems"]),
        negations=frozenset(_low(c["negations"])),
        not_negation=frozenset(_low(c["not_negation"])),
        neutral_words=frozenset(_low(c["neutral"]["words"])),
        neutral_stems=_low(c["neutral"]["stems"]),
        example=_low(c["example"]),
        follows_advice=_low(c["follows_advice"]),
        follows_advice_words=frozenset(_low(c["follows_advice_words"])),
    )


_TOKEN = re.compile(r"[\wåäöæøü]+(?:\.[\wåäöæøü]+)*\.?|,", re.IGNORECASE)


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def _starts(tokens: list[str], phrase: str) -> bool:
    want = phrase.split()
    head = tokens[: len(want)]
    # "ex." and "ex" and "ex," all open an example; compare without a trailing full stop
    return [w.rstrip(".") for w in head] == [w.rstrip(".,") for w in want]


def _has_stem(words: list[str], stem: str) -> bool:
    parts = stem.split()
    n = len(parts)
    return any(
        words[i : i + n - 1] == parts[:-1] and words[i + n - 1].startswith(parts[-1])
        for i in range(len(words) - n + 1)
    )


def classify_sentence(text: str, lang: str = "sv", previous: str | None = None) -> Classified:
    """Label one sentence: deficit (gap, lack or advice), neutral (context) or practice.

    ``previous`` is the label of the sentence before it in the same paragraph, if any: an example
    sentence ("Ex. ...") takes it, and a sentence spelling out advice stays deficit.
    """
    c = cues(lang)
    toks = _tokens(text)
    words = [t.rstrip(".") for t in toks if t != ","]
    if previous is not None and any(_starts(toks, p) for p in c.example):
        return Classified(text, previous, "example")
    for w in words:
        if w in c.deficit_words:
            return Classified(text, DEFICIT, w)
    for s in c.deficit_stems:
        if _has_stem(words, s):
            return Classified(text, DEFICIT, s)
    if not (words and words[0] in c.not_negation):
        for w in words:
            if w in c.negations:
                return Classified(text, DEFICIT, w)
    if previous == DEFICIT:
        for p in c.follows_advice:
            if _starts(toks, p):
                return Classified(text, DEFICIT, p)
        for w in words:
            if w in c.follows_advice_words:
                return Classified(text, DEFICIT, w)
    for w in words:
        if w in c.neutral_words:
            return Classified(text, NEUTRAL, w)
    for s in c.neutral_stems:
        if _has_stem(words, s):
            return Classified(text, NEUTRAL, s)
    if text.split("\n", 1)[0].rstrip().endswith(":"):
        return Classified(text, NEUTRAL, ":")
    return Classified(text, PRACTICE)


def classify_sentences(sentences: Sequence[str], lang: str = "sv") -> list[Classified]:
    """Label the sentences of one paragraph, in order (each sees the label of the one before)."""
    out: list[Classified] = []
    for s in sentences:
        out.append(classify_sentence(s, lang, out[-1].label if out else None))
    return out


def classify_paragraph(paragraph: str, lang: str = "sv") -> list[Classified]:
    """Split a summary paragraph into sentences and label each."""
    return classify_sentences(split_sentences(paragraph), lang)
