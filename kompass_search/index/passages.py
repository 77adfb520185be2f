"""Cut evaluations into passages (strengths, improvements, summary paragraphs) and link strengths to subquestions."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import Area, Evaluation

# How the text given to the embedder is made from a passage. "plain": the text alone; "area": the
# area name, a colon, the text ("Verksamhetsutveckling: BUNs årshjul för kvalitetsarbete"), meant
# to give short strengths context. Measured on the labelled queries (dense, e5-small): plain MRR
# 0.90, area 0.76 -- the shared prefix makes an area's strengths alike -- so plain is the default.
RECIPES = ("plain", "area")
DEFAULT_RECIPE = "plain"


@dataclass(frozen=True)
class Draft:
    """A passage before it is indexed: where it comes from and its text."""

    evaluation: Evaluation
    area: Area
    kind: str
    ordinal: int  # position within its area and kind, as printed
    text: str


def cut(ev: Evaluation) -> list[Draft]:
    """Every strength, improvement and summary paragraph of ``ev``, by area, then kind, then order."""
    out: list[Draft] = []
    for area in sorted(ev.areas, key=lambda a: a.number):
        for kind, texts in (
            ("strength", area.strengths),
            ("improvement", area.improvements),
            ("summary", area.summary),
        ):
            for i, text in enumerate(texts):
                text = " ".join(text.split())
                if text:
                    out.append(Draft(ev, area, kind, i, text))
    return out


def embedding_text(d: Draft, recipe: str = DEFAULT_RECIPE) -> str:
    if recipe == "area":
        return f"{d.area.name}: {d.text}"
    if recipe != "plain":
        raise ValueError(f"unknown text recipe {recipe!r}; use one of {RECIPES}")
    return d.text


def text_hash(text: str) -> int:
    """A 63-bit content key for an embedding text: equal text, equal vector (for the same model)."""
    return (
        int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") >> 1
    )


def evaluation_hash(ev: Evaluation) -> str:
    """Content hash of everything an evaluation contributes to the index (text, scores, titles)."""
    raw = json.dumps(dataclasses.asdict(ev), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Link:
    """A strength's inferred subquestion: the index into ``ev.subquestions`` and the cosine similarity."""

    subquestion: int
    similarity: float


def link_strengths(
    ev: Evaluation,
    drafts: Sequence[Draft],
    vectors: np.ndarray,
    title_vectors: np.ndarray,
) -> dict[int, Link]:
    """For each strength (by position in ``drafts``), the most similar subquestion title of its area.

    ``vectors`` are the drafts' vectors, ``title_vectors`` those of ``ev.subquestions`` (same order),
    all L2-normalized. Areas without subquestion scores get no links.
    """
    out: dict[int, Link] = {}
    by_area: dict[int, list[int]] = {}
    for i, s in enumerate(ev.subquestions):
        by_area.setdefault(s.area_number, []).append(i)
    for pos, d in enumerate(drafts):
        if d.kind != "strength" or d.area.number not in by_area:
            continue
        candidates = by_area[d.area.number]
        sims = title_vectors[candidates] @ vectors[pos]
        best = int(np.argmax(sims))
        out[pos] = Link(candidates[best], float(sims[best]))
    return out
