"""Summary sentences: a splitter for Swedish/Norwegian report prose and a practice/deficit/neutral classifier."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

PRACTICE, DEFICIT, NEUTRAL = "practice", "deficit", "neutral"
LABELS = (PRACTICE, DEFICIT, NEUTRAL)

# A full stop ends a sentence unless it ends one of these (compared case-insensitively, with the
# full stop): Swedish and Norwegian abbreviations that reports use mid-sentence.
ABBREVIATIONS = frozenset(
    """
    ex. t.ex. bl.a. m.m. d.v.s. dvs. o.s.v. osv. etc. m.fl. s.k. f.d. fr.o.m. t.o.m. p.g.a. pga.
    jfr. ca. kap. resp. st. nr. tex. bla. mm. inkl. exkl. enl. ang. obs. el. o.l. f.n. mht.
    bl.a f.eks. eks. o.l. m.v. mv. jf. jf. iht. ift. pr. evt. ev. vs. ref. avd. mill. mrd. kr.
    """.split()
)
_END = re.compile(r"([.!?…]+[\"”’)]*)(\s+)")
_STARTS_SENTENCE = re.compile(r"[\"”“'(]*[A-ZÅÄÖÆØÜÉ0-9–•-]")


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
        if last_word in ABBREVIATIONS:
            continue
        out.append(text[start:end].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
