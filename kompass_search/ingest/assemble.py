"""Second half of parsing: the cover (municipality, date, evaluators) and the figures -> an Evaluation."""

from __future__ import annotations

import re

from ..errors import IngestError
from ..models import Area, Evaluation, Source
from ..taxonomy import Template
from .lines import Line
from .parsed import Parsed

_EVALUATOR = re.compile(r"^[^\W\d_][\w.'\-]+(?: [^\W\d_][\w.'\-]*)+, [\w&.\- ]{2,40}$")
_SECTION = re.compile(r"^\d+\s+\S")
_SOURCE_NAMES = {
    "the results table": "Table 1",
    "its heading": "heading",
    "its section": "topics row",
    "the score overview": "overview",
}


def _cover(lines: list[Line]) -> list[Line]:
    """The lines before the first numbered chapter heading ('1 Vad är Kommunkompassen?')."""
    out = []
    for ln in lines:
        if len(ln.cells) == 1 and _SECTION.match(ln.text):
            break
        out.append(ln)
    return out


def _municipality(lines: list[Line], tmpl: Template, where: str) -> str:
    suffixes = tmpl.label("municipality_suffix")
    suffix_rx = "|".join(re.escape(s) for s in suffixes)
    name = None
    # "Kommunekompasset [2015] Evaluering av forvaltningspraksisen i X kommune" on one line too
    cover_rx = "|".join(re.escape(c) for c in tmpl.label("cover"))
    lead = re.compile(rf"^(?:(?:{cover_rx})\s+(?:(?:19|20)\d\d\s+)?)?", re.IGNORECASE)
    labels = sorted(tmpl.label("analysis_of"), key=len, reverse=True)
    for i, ln in enumerate(lines[:80]):
        text = lead.sub("", ln.text) if cover_rx else ln.text
        for lab in labels:
            if text.casefold().startswith(lab.casefold()):
                rest = text[len(lab) :].strip()
                if not rest:
                    rest = next((x.text for x in lines[i + 1 : i + 4] if not x.blank), "")
                name = re.sub(rf"\s+(?:{suffix_rx})$", "", rest, flags=re.IGNORECASE).strip()
                break
        if name:
            break
    if not name:
        raise IngestError(
            f"cannot find the municipality name (expected a line such as '{tmpl.label('analysis_of')[0]} "
            f"<NAME> {suffixes[0].upper()}' on the cover); add it, or the wording to the template profile",
            where,
        )
    # Prefer the name as written in running text ('Vännäs kommun') over the cover's capitals.
    rx = re.compile(rf"\b({re.escape(name)})\s+(?:{suffix_rx})\b", re.IGNORECASE)
    for ln in lines:
        for m in rx.finditer(ln.text):
            if not m.group(1).isupper():
                return m.group(1)
    return " ".join(w.capitalize() for w in name.split())


def _date(cover: list[Line], tmpl: Template) -> tuple[str | None, int | None]:
    months = [m.casefold() for m in tmpl.label("months")]
    for ln in cover:
        m = re.match(r"^([^\W\d_]+)\s+((?:19|20)\d\d)$", ln.text.strip())
        if m and m.group(1).casefold() in months:
            return f"{m.group(2)}-{months.index(m.group(1).casefold()) + 1:02d}", int(m.group(2))
    return None, None


def assemble(
    parsed: Parsed, lines: list[Line], tmpl: Template, where: str
) -> tuple[Evaluation, list[str], dict[int, str]]:
    """The Evaluation, its warnings, and per area where its score came from."""
    warnings: list[str] = []
    score_from: dict[int, str] = {}
    if not parsed.table1 and not parsed.overview_totals and not parsed.subquestions:
        raise IngestError(
            "no score tables found (neither a results table 'Resultat <year>' nor a score overview); "
            "a report needs its area scores to be ingested",
            where,
        )
    cover = _cover(lines)
    municipality = _municipality(lines, tmpl, where)
    date, date_year = _date(cover, tmpl)
    year = parsed.results_year or date_year
    if year is None:
        raise IngestError(
            "cannot find the year of the evaluation (no 'Resultat <year>', no dated cover)", where
        )
    evaluators = tuple(ln.text for ln in cover if _EVALUATOR.match(ln.text))

    areas = []
    for adef in tmpl.areas:
        n = adef.number
        t1 = parsed.table1.get(n)
        sec = parsed.sections.get(n)
        ov = parsed.overview_totals.get(n)
        # The overview's total row is compared by `check` (validate.py), which keeps both figures.
        candidates = [
            ("the results table", t1[1] if t1 else None),
            ("its heading", sec.heading_score if sec else None),
            ("its section", sec.section_score if sec else None),
        ]
        known = [(src, v) for src, v in candidates if v is not None]
        if not known and ov is not None and ov.max == 100:
            known = [("the score overview", ov.achieved)]
        if not known:
            raise IngestError(f"area {n} ({adef.name}) has no score anywhere in the report", where)
        score = known[0][1]
        score_from[n] = _SOURCE_NAMES[known[0][0]]
        count = sum(1 for s in parsed.subquestions if s.area_number == n)
        if adef.subquestions is not None and count and count != adef.subquestions:
            warnings.append(
                f"area {n}: {count} subquestion rows, template {tmpl.id} has {adef.subquestions}; "
                "check the score overview for rows cut or merged"
            )
        for src, v in known[1:]:
            if v != score:
                warnings.append(
                    f"area {n}: {known[0][0]} prints {score:g}, {src} prints {v:g}; both kept"
                )
        name = (
            t1[0]
            if t1
            else (parsed.overview_names.get(n) or (sec.heading if sec else "") or adef.name)
        )
        if tmpl.match_area_name(name) is None and sec and tmpl.match_area_name(sec.heading) is None:
            warnings.append(
                f"area {n}: name '{name}' is not in template {tmpl.id}; check the template"
            )
        if sec is None:
            warnings.append(f"area {n}: no section with text found")
        elif not sec.strengths and (sec.summary or sec.improvements):
            warnings.append(
                f"area {n}: has text but no strengths were found; check its strengths heading"
            )
        elif not sec.strengths:
            warnings.append(f"area {n}: no strengths found in its section")
        areas.append(
            Area(
                number=n,
                theme=adef.theme,
                name=name,
                score=score,
                max=100,
                topics=tuple(sec.topics) if sec else (),
                summary=tuple(sec.summary) if sec else (),
                strengths=tuple(sec.strengths) if sec else (),
                improvements=tuple(sec.improvements) if sec else (),
                overview=ov,
                gold_stars=tuple(sec.gold_stars) if sec else (),
            )
        )
    analysis = tmpl.label("analysis_of")[0].casefold()
    suffix = tmpl.label("municipality_suffix")[0]
    ev = Evaluation(
        municipality=municipality,
        country=tmpl.country,
        year=year,
        template=tmpl.id,
        language=tmpl.language,
        date=date,
        evaluators=evaluators,
        total=parsed.total if parsed.total is not None else sum(a.score or 0 for a in areas),
        source=Source(
            kind="report",
            title=f"{tmpl.tool}, {analysis} {municipality} {suffix}",
            publisher=tmpl.publisher,
        ),
        areas=tuple(areas),
        subquestions=tuple(parsed.subquestions),
    )
    if parsed.total is None:
        warnings.append("no total printed; the total is the sum of the area scores")
    return ev, warnings, score_from
