"""The one citation builder: how a practice or an evaluation is cited, in the evaluation's language.

    Vännäs kommun 2016, område 2 Tillgänglighet och brukarorientering (49/100), delfråga 2.6 (35 %, härledd).
    Källa: SKL, Kommunkompassen, januari 2016.

A subquestion link that no person reviewed is marked inferred ("härledd", "utledet", "inferred")
in every citation, so a pasted citation never states a guess as fact. ``lang`` (sv, no, en)
switches the words and month names (templates/labels.yaml); by default they follow the
evaluation's language. Search hits, role-model practices, profiles and the TUI all cite through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import TemplateError
from .models import Evaluation, Passage
from .taxonomy import Template, get_template, language_labels

_DEFAULT_WORDS = {
    "area": "område",
    "subquestion": "delfråga",
    "source": "Källa",
    "inferred": "härledd",
}


@dataclass(frozen=True)
class Origin:
    """Where an evaluation's figures come from, as a citation names it."""

    template: str
    year: int
    date: str | None = None
    publisher: str = ""
    published_url: str | None = None  # score-only records: the page that published the figures
    published_title: str = ""
    url: str | None = None  # a report ingested from an address: where it was fetched

    @classmethod
    def of(cls, ev: Evaluation) -> Origin:
        published = ev.source.kind == "published"
        return cls(
            ev.template,
            ev.year,
            ev.date,
            ev.source.publisher,
            ev.source.url if published else None,
            ev.source.title if published else "",
            None if published else ev.source.url,
        )


def _template(template_id: str) -> Template | None:
    try:
        return get_template(template_id)
    except TemplateError:
        return None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _labels(tmpl: Template | None, lang: str | None) -> dict[str, Any]:
    if lang is not None:
        return language_labels(lang)
    return tmpl.labels if tmpl else {}


def source_line(o: Origin, lang: str | None = None) -> str:
    """'SKL, Kommunkompassen, januari 2016', or the page that published a score-only record."""
    if o.published_url:
        return f"{o.published_url} ({o.published_title or 'published result'})"
    tmpl = _template(o.template)
    labels = _labels(tmpl, lang)
    parts = [
        s for s in (o.publisher or (tmpl.publisher if tmpl else ""), tmpl.tool if tmpl else "") if s
    ]
    when = str(o.year)
    months = labels.get("months") or []
    date = o.date or ""
    if len(date) >= 7 and date[5:7].isdigit() and 1 <= int(date[5:7]) <= len(months):
        when = f"{months[int(date[5:7]) - 1]} {date[:4]}"
    parts.append(when)
    if o.url:  # a report fetched from an address: the citation names it, so it can be checked
        parts.append(o.url)
    return ", ".join(parts)


def practice_citation(
    p: Passage,
    origin: Origin,
    *,
    area_score: float | None,
    area_max: float | None,
    subquestion_percent: float | None,
    lang: str | None = None,
) -> str:
    """The citation of one practice: municipality and year, area (score), linked subquestion
    (marked inferred unless reviewed), source."""
    tmpl = _template(p.template)
    labels = _labels(tmpl, lang)
    words = {**_DEFAULT_WORDS, **(labels.get("citation") or {})}
    suffix = (labels.get("municipality_suffix") or ["kommun"])[0]
    parts = [f"{p.municipality} {suffix} {p.year}"]
    where = f"{words['area']} {p.area_number} {p.area_name}"
    if area_score is not None:
        where += f" ({_num(area_score)}/{_num(area_max or 100)})"
    parts.append(where)
    if p.subquestion:
        pct = subquestion_percent if subquestion_percent is not None else p.subquestion_percent
        notes = [f"{_num(round(pct))} %"] if pct is not None else []
        if p.link_inferred:
            notes.append(words["inferred"])
        parts.append(
            f"{words['subquestion']} {p.subquestion}" + (f" ({', '.join(notes)})" if notes else "")
        )
    return f"{', '.join(parts)}. {words['source']}: {source_line(origin, lang)}."


def evaluation_citation(ev: Evaluation, lang: str | None = None) -> str:
    """An evaluation as a whole: 'Vännäs 2016. SKL, Kommunkompassen, januari 2016'."""
    return f"{ev.municipality} {ev.year}. {source_line(Origin.of(ev), lang)}"
