"""Search results as text, Markdown or JSON (shared by the CLI and the TUI); no terminal library needed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..models import Hit
from ..search.groups import Group
from ..taxonomy import label_section
from .text import json_lines, md_escape, width, wrap

STAR = "★"


def words(language: str) -> dict[str, str]:
    """Display words in ``language`` (templates/labels.yaml): kinds, link notes."""
    return label_section(language, "words", fallback="sv")


def hit_dict(h: Hit) -> dict[str, Any]:
    """A hit as a JSON-ready mapping (the fields of `kompass search --json`)."""
    p = h.passage
    return {
        "id": p.id,
        "evaluation": p.evaluation,
        "municipality": p.municipality,
        "country": p.country,
        "year": p.year,
        "template": p.template,
        "area_number": p.area_number,
        "theme": p.theme,
        "area_name": p.area_name,
        "area_score": p.area_score,
        "kind": p.kind,
        "text": p.text,
        "subquestion": p.subquestion,
        "subquestion_title": p.subquestion_title,
        "subquestion_percent": p.subquestion_percent,
        "subquestion_inferred": p.link_inferred,
        "subquestion_reviewed": p.link_reviewed,
        "link_confidence": _round(p.link_confidence),
        "link_runner_up": p.link_runner_up,
        "link_similarity": _round(p.link_similarity),
        "gold_star": p.gold_star,
        "sentence_label": p.label,
        "context": p.context,
        "weak": h.weak,
        "relevance": _round(h.relevance),
        "score": h.score,
        "score_source": h.score_source,
        "rank_score": _round(h.rank_score),
        "citation": h.citation,
        **{k: _round(v) for k, v in h.extra.items()},
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def hits_json(hits: Sequence[Hit]) -> str:
    """One JSON object per line, best first."""
    return json_lines(hit_dict(h) for h in hits)


def groups_json(groups: Sequence[Group]) -> str:
    """One JSON object per evaluation and line, its practices inside."""
    return json_lines(
        {
            "evaluation": g.evaluation,
            "municipality": g.municipality,
            "year": g.year,
            "rank_score": _round(g.rank_score),
            "practices": [hit_dict(h) for h in g.hits],
        }
        for g in groups
    )


def numbers(h: Hit, language: str | None = None, *, detail: bool = False) -> str:
    """'relevance 0.93 · score 35 (subquestion 2.6) · rank 0.76': what the rank is made of,
    in ``language`` (default: the evaluation's). ``detail`` (where no link line is shown, as in
    the TUI's detail pane): the area's number, and how the subquestion link was made ('score 35
    (subquestion 2.6, inferred, confidence 72%)')."""
    t = words(language or h.passage.language)
    p = h.passage
    if h.score is None:
        used = t["no_score"]
    else:
        src = t.get(h.score_source, h.score_source)
        if h.score_source == "subquestion":
            src += f" {p.subquestion}"
            if detail:
                how = f"{t['inferred']}, {t['confidence']} {p.link_confidence or 0:.0%}"
                src += f", {t['reviewed'] if p.link_reviewed else how}"
        elif h.score_source == "area" and detail:
            src += f" {p.area_number}"
        used = f"{t['score']} {h.score:.0f} ({src})"
    climb = ""  # --rank improved (search/improved.py): the climb that lifted the rank
    if "climb" in h.extra:
        on = "total" if h.extra.get("climb_on_total") else "area"
        climb = f" · climb {h.extra['climb']:+.1f} pp ({on})"
    return f"{t['relevance']} {h.relevance:.2f} · {used} · {t['rank']} {h.rank_score:.2f}{climb}"


def link_note(h: Hit, language: str | None = None) -> str | None:
    p = h.passage
    if p.subquestion is None:
        return None
    t = words(language or p.language)
    pct = "" if p.subquestion_percent is None else f" ({p.subquestion_percent:.0f} %)"
    # the runner-up with its confidence: an inferred link is stated by its lead over it
    runner = f", {t['runner_up']} {p.link_runner_up}" if p.link_runner_up else ""
    if runner and p.link_runner_up_confidence is not None:
        runner += f" {p.link_runner_up_confidence:.0%}"
    how = (
        t["reviewed"]
        if p.link_reviewed
        else f"{t['inferred']}, {t['confidence']} {p.link_confidence or 0:.0%}{runner}"
    )
    return f"{t['subquestion']} {p.subquestion}{pct}, {how}: {p.subquestion_title}"


def hit_text(
    h: Hit, n: int, w: int | None = None, indent: str = "", language: str | None = None
) -> str:
    w = w or width()
    p = h.passage
    t = words(language or p.language)
    pad = indent + " " * (len(str(n)) + 2)
    star = f" {STAR}" if p.gold_star else ""
    weak = f" · {t['weak']}" if h.weak else ""
    head = (
        f"{indent}{n}. {p.municipality} {p.year} · {t['area']} {p.area_number} {p.area_name}"
        f" · {t[p.kind]}{star}{weak}"
    )
    lines = [head, wrap(p.text, pad, w)]
    note = link_note(h, language)
    if note:
        lines.append(wrap(note, pad, w))
    lines.append(f"{pad}{numbers(h, language)}")
    lines.append(wrap(h.citation, pad, w))
    return "\n".join(lines)


def hits_text(hits: Sequence[Hit], w: int | None = None, language: str | None = None) -> str:
    if not hits:
        return "no passages match (check the filters)"
    return "\n\n".join(hit_text(h, i, w, language=language) for i, h in enumerate(hits, start=1))


def groups_text(groups: Sequence[Group], w: int | None = None, language: str | None = None) -> str:
    if not groups:
        return "no passages match (check the filters)"
    out = []
    for i, g in enumerate(groups, start=1):
        p = g.hits[0].passage
        head = f"{i}. {g.municipality} {g.year} ({p.country}, {p.template}) · best rank {g.rank_score:.2f}"
        out.append(
            "\n".join(
                [
                    head,
                    *(
                        hit_text(h, j, w, indent="   ", language=language)
                        for j, h in enumerate(g.hits, start=1)
                    ),
                ]
            )
        )
    return "\n\n".join(out)


def hit_markdown(h: Hit, language: str | None = None) -> str:
    p = h.passage
    lang = words(language or p.language)
    star = f"{STAR} " if p.gold_star else ""
    lines = [f"- {star}**{md_escape(p.text)}** ({lang[p.kind]})  ", f"  {md_escape(h.citation)}"]
    if p.link_inferred:
        lines[-1] += "  "
        lines.append(f"  _{lang['inferred_link'].format(conf=p.link_confidence or 0.0)}_")
    return "\n".join(lines)


def hits_markdown(hits: Sequence[Hit], language: str | None = None) -> str:
    return "\n".join(hit_markdown(h, language) for h in hits)


def groups_markdown(groups: Sequence[Group], language: str | None = None) -> str:
    out = []
    for g in groups:
        out.append(
            f"### {md_escape(g.municipality)} {g.year}\n\n" + hits_markdown(g.hits, language)
        )
    return "\n\n".join(out)
