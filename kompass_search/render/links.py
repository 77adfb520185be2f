"""`kompass links`: each strength of an evaluation with its subquestion link, for review."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..index.linking import THRESHOLD
from ..models import Passage
from .text import json_lines, md_escape


def status(p: Passage) -> str:
    """'reviewed', 'inferred' (stated above the threshold) or 'area only' (below it)."""
    if p.link_reviewed:
        return "reviewed"
    return "inferred" if p.subquestion else "area only"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def lead(p: Passage) -> float | None:
    """How far an inferred link's confidence leads the runner-up's (what decides it is stated)."""
    if p.link_reviewed or p.link_confidence is None:
        return None
    return p.link_confidence - (p.link_runner_up_confidence or 0.0)


def _points(x: float | None) -> str:
    """A lead in whole points, rounded down: 0.2996 reads "29 points", never the 30 it falls short
    of (the threshold compares the unrounded lead)."""
    return "-" if x is None else f"{math.floor(x * 100 + 1e-9)} points"


def link_dict(p: Passage) -> dict[str, Any]:
    return {
        "area": p.area_number,
        "text": p.text,
        "subquestion": p.subquestion,
        "status": status(p),
        "best": p.link_best,
        "confidence": None if p.link_confidence is None else round(p.link_confidence, 4),
        "runner_up": p.link_runner_up,
        "runner_up_confidence": None
        if p.link_runner_up_confidence is None
        else round(p.link_runner_up_confidence, 4),
        "lead": None if (x := lead(p)) is None else round(x, 4),
        "gold_star": p.gold_star,
    }


def links_json(ps: Sequence[Passage]) -> str:
    return json_lines(link_dict(p) for p in ps)


def links_text(ps: Sequence[Passage]) -> str:
    if not ps:
        return "no strengths in this evaluation"
    lines = []
    for p in ps:
        link = p.subquestion or f"area {p.area_number}"
        guess = "" if p.subquestion or not p.link_best else f" (best guess {p.link_best})"
        runner = f", runner-up {p.link_runner_up} {_pct(p.link_runner_up_confidence)}"
        ahead = "" if (x := lead(p)) is None else f", lead {_points(x)}"
        lines.append(
            f"{p.area_number}  {link:<7} {status(p):<9} {_pct(p.link_confidence):>5}"
            f"{guess}{runner if p.link_runner_up else ''}{ahead}  {p.text}"
        )
    stated = sum(1 for p in ps if p.subquestion)
    lines.append(
        f"({stated} of {len(ps)} strengths linked to a subquestion: reviewed, or inferred with a "
        f"lead of {_points(THRESHOLD)} or more over the runner-up; "
        'write `subquestion: "8.4"` on a strength in the corpus YAML to review a link)'
    )
    return "\n".join(lines)


def links_markdown(ps: Sequence[Passage]) -> str:
    out = [
        "| area | strength | link | status | confidence | runner-up | lead |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in ps:
        ru = (
            f"{p.link_runner_up} ({_pct(p.link_runner_up_confidence)})" if p.link_runner_up else "-"
        )
        out.append(
            f"| {p.area_number} | {md_escape(p.text)} | {p.subquestion or p.link_best or '-'} "
            f"| {status(p)} | {_pct(p.link_confidence)} | {ru} | {_points(lead(p))} |"
        )
    return "\n".join(out)
