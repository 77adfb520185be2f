"""The profile-driven report parser: normalized lines in, an Evaluation out (labels come from templates/)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import IngestError
from ..models import Evaluation, Overview, Subquestion
from ..taxonomy import Template, templates
from .lines import BULLET_INLINE, BULLET_START, Line, split_items, split_lines

_NUM = re.compile(r"^\d+(?:[.,]\d+)?$")
_PCT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%$")
_SUB_ID = re.compile(r"^(\d)\.(\d{1,2})\.?$")
_AREA_ROW = re.compile(r"^(\d)\.?\s+(\S.*)$")
_AREA_NO = re.compile(r"^(\d)\.?$")


def _number(cell: str) -> float | None:
    cell = cell.strip()
    return float(cell.replace(",", ".")) if _NUM.match(cell) else None


def _percent(cell: str) -> int | None:
    m = _PCT.match(cell.strip())
    return round(float(m.group(1).replace(",", "."))) if m else None


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _is_label(line: Line, labels: list[str]) -> bool:
    return bool(line.cells) and _fold(line.cells[0]) in {_fold(x) for x in labels}


@dataclass
class _AreaText:
    heading: str = ""
    section_score: float | None = None
    topics: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)


@dataclass
class _Parsed:
    table1: dict[int, tuple[str, float]] = field(default_factory=dict)
    total: float | None = None
    results_year: int | None = None
    sections: dict[int, _AreaText] = field(default_factory=dict)
    overview_names: dict[int, str] = field(default_factory=dict)
    overview_totals: dict[int, Overview] = field(default_factory=dict)
    subquestions: list[Subquestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_language(lines: list[Line]) -> str | None:
    """The language whose part labels (Styrkor/Styrker, Område/Fokusområde, ...) occur most often."""
    best, best_hits = None, 0
    for lang, tmpl in {t.language: t for t in templates().values()}.items():
        keys = ("strengths", "improvements", "summary", "topics_table", "score_overview", "general")
        labels = {_fold(x) for k in keys for x in tmpl.label(k)}
        hits = sum(1 for ln in lines for c in ln.cells[:2] if _fold(c) in labels)
        hits += sum(1 for ln in lines if _area_heading(ln, tmpl) is not None)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best if best_hits >= 3 else None


def _area_heading(line: Line, tmpl: Template) -> tuple[int, str] | None:
    if not line.cells or len(line.cells) > 2:
        return None
    text = line.text
    for pattern in tmpl.label("area_heading"):
        rx = re.escape(pattern).replace(re.escape("{n}"), r"(\d)")
        m = re.match(rf"^{rx}\b\s*[:.\-–]?\s*(.{{0,120}})$", text, flags=re.IGNORECASE)
        if m and 1 <= int(m.group(1)) <= len(tmpl.areas):
            return int(m.group(1)), m.group(2).strip()
    return None


def detect_template(lines: list[Line], language: str) -> Template:
    """The template of ``language`` whose area names match the most names printed in the report."""
    candidates = [t for t in templates().values() if t.language == language]
    texts = {_fold(_AREA_ROW.sub(r"\2", c)) for ln in lines for c in ln.cells[:2]}
    texts |= {_fold(h[1]) for ln in lines if (h := _area_heading(ln, candidates[0])) is not None}

    def hits(t: Template) -> tuple[int, int]:
        exact = sum(1 for a in t.areas if _fold(a.name) in texts)
        variants = sum(1 for a in t.areas if any(_fold(n) in texts for n in a.names))
        return exact + variants, -len(t.id)

    return max(sorted(candidates, key=lambda t: t.id), key=hits)


class _Parser:
    def __init__(self, lines: list[Line], tmpl: Template) -> None:
        self.lines, self.t, self.p = lines, tmpl, _Parsed()

    def label(self, name: str) -> list[str]:
        return self.t.label(name)

    def run(self) -> _Parsed:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if self._results_header(line) is not None:
                i = self._table1(i)
            elif (h := _area_heading(line, self.t)) is not None:
                i = self._section(i, h)
            elif self._is_overview(line):
                i = self._overview(i + 1)
            else:
                i += 1
        return self.p

    # -- Table 1: "Resultat 2016" / "1. Offentlighet och demokrati  67" / "TOTALT  460"
    def _results_header(self, line: Line) -> int | None:
        for cell in line.cells[-2:]:
            for lab in self.label("results_table"):
                m = re.match(rf"^{re.escape(lab)}\s+((?:19|20)\d\d)$", cell, flags=re.IGNORECASE)
                if m:
                    return int(m.group(1))
        return None

    def _table1(self, i: int) -> int:
        self.p.results_year = self._results_header(self.lines[i])
        i += 1
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.blank:
                if self.p.table1:
                    break
                i += 1
                continue
            score = _number(ln.cells[-1]) if len(ln.cells) >= 2 else None
            head = " ".join(ln.cells[:-1])
            if score is not None and _is_label(ln, self.label("total")):
                self.p.total = score
                return i + 1
            m = _AREA_ROW.match(head)
            if score is None or not m:
                break
            self.p.table1[int(m.group(1))] = (m.group(2).strip(), score)
            i += 1
        return i

    # -- an area section: heading, topics row, Allmänt, Sammanfattning, Styrkor / Förbättringar
    def _section(self, i: int, heading: tuple[int, str]) -> int:
        number, name = heading
        area = self.p.sections.setdefault(number, _AreaText(heading=name))
        mode = ""
        block: list[str] = []
        cols: dict[str, list[str]] = {"left": [], "right": []}
        two_col = False
        i += 1

        def flush() -> None:
            if block and mode == "summary":
                para = _join_block(block)
                if area.summary and _starts_bullet(para) and area.summary[-1].endswith(":"):
                    area.summary[-1] += "\n" + para  # a list belongs to the sentence introducing it
                else:
                    area.summary.append(para)
            elif block and mode in ("strengths", "improvements"):
                getattr(area, mode).extend(split_items("\n".join(block)))
            block.clear()

        while i < len(self.lines):
            ln = self.lines[i]
            if (
                _area_heading(ln, self.t) is not None
                or self._is_overview(ln)
                or self._results_header(ln)
            ):
                break
            if _is_label(ln, self.label("topics_table")):
                flush()
                mode = ""
                i = self._topics(i + 1, area)
                continue
            if _is_label(ln, self.label("strengths")):
                flush()
                two_col = len(ln.cells) > 1 and _fold(ln.cells[1]) in {
                    _fold(x) for x in self.label("improvements")
                }
                mode = "table" if two_col else "strengths"
            elif _is_label(ln, self.label("improvements")) and len(ln.cells) == 1:
                flush()
                mode = "improvements"
            elif _is_label(ln, self.label("summary")) and len(ln.cells) == 1:
                flush()
                mode = "summary"
            elif _is_label(ln, self.label("general")) and len(ln.cells) == 1:
                flush()
                mode = "general"
            elif mode == "table":
                if not ln.blank:
                    if len(ln.cells) >= 2:
                        cols["left"].append(ln.cells[0])
                        cols["right"].append(" ".join(ln.cells[1:]))
                    else:
                        cols["right" if ln.indented else "left"].append(ln.cells[0])
            elif ln.blank:
                flush()
            else:
                block.append(ln.text)
            i += 1
        flush()
        if two_col:
            area.strengths.extend(split_items("\n".join(cols["left"])))
            area.improvements.extend(split_items("\n".join(cols["right"])))
        return i

    def _topics(self, i: int, area: _AreaText) -> int:
        parts: list[str] = []
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.blank:
                if parts or area.section_score is not None:
                    break
                i += 1
                continue
            if (
                len(ln.cells) == 1
                and not _starts_bullet(ln.cells[0])
                and _number(ln.cells[0]) is None
            ):
                break
            cells = list(ln.cells)
            if cells and (score := _number(cells[-1])) is not None:
                area.section_score = score
                cells.pop()
            parts.extend(cells)
            i += 1
        area.topics = split_items("\n".join(parts))
        return i

    # -- "4 Översikt av poängfördelning": per area a header, subquestion rows and a totals row
    def _is_overview(self, line: Line) -> bool:
        text = _fold(line.text)
        return len(line.cells) <= 2 and any(
            re.fullmatch(rf"(\d+\s+)?{re.escape(_fold(lab))}", text)
            for lab in self.label("score_overview")
        )

    def _overview(self, i: int) -> int:
        current: int | None = None
        cols = {_fold(x) for x in self.label("score_columns")}
        while i < len(self.lines):
            ln = self.lines[i]
            cells = ln.cells
            if _area_heading(ln, self.t) is not None or self._results_header(ln):
                break
            if cells and sum(1 for c in cells if _fold(c) in cols) >= 2:
                head = [c for c in cells if _fold(c) not in cols]
                m = _AREA_NO.match(head[0]) if head else None
                m2 = _AREA_ROW.match(head[0]) if head and not m else None
                if m:
                    current = int(m.group(1))
                    self.p.overview_names[current] = " ".join(head[1:])
                elif m2:
                    current = int(m2.group(1))
                    self.p.overview_names[current] = m2.group(2)
            elif cells and (m := _SUB_ID.match(cells[0])) and len(cells) >= 4:
                nums = cells[-3:] if _percent(cells[-1]) is not None else [*cells[-2:], ""]
                achieved, mx = _number(nums[0]), _number(nums[1])
                title_cells = cells[1 : len(cells) - (3 if nums[2] else 2)]
                if achieved is None or mx is None or not title_cells:
                    self.p.warnings.append(
                        f"line {ln.number}: subquestion row {cells[0]} has no scores; skipped"
                    )
                else:
                    self.p.subquestions.append(
                        Subquestion(
                            f"{m.group(1)}.{int(m.group(2))}",
                            " ".join(title_cells),
                            achieved,
                            mx,
                            _percent(nums[2]),
                        )
                    )
            elif (
                current is not None
                and 2 <= len(cells) <= 3
                and all(_number(c) is not None or _percent(c) is not None for c in cells)
            ):
                pct = _percent(cells[2]) if len(cells) == 3 else None
                a, m_ = _number(cells[0]), _number(cells[1])
                if a is not None and m_ is not None:
                    self.p.overview_totals[current] = Overview(a, m_, pct)
            i += 1
        return i


def _starts_bullet(text: str) -> bool:
    return text.lstrip().startswith(BULLET_INLINE) or bool(BULLET_START.match(text))


def _join_block(block: list[str]) -> str:
    """A paragraph: wrapped lines joined by spaces, list lines kept on lines of their own."""
    out: list[str] = []
    for text in block:
        if _starts_bullet(text):
            # One list marker whatever the layout printed ("•", "–", "-"), so .txt and .pdf agree.
            out.append(
                "- " + BULLET_START.sub("", text.lstrip().lstrip(BULLET_INLINE), count=1).strip()
            )
        elif out:
            out[-1] += " " + text
        else:
            out.append(text)
    return "\n".join(out)


def parse_text(text: str, where: str) -> tuple[Evaluation, list[str], Template]:
    """Parse a report's text. Raises IngestError naming ``where`` when it is no evaluation report."""
    lines = split_lines(text)
    lang = detect_language(lines)
    if lang is None:
        raise IngestError(
            "no Kommunkompassen/Kommunekompasset structure found (no area sections, no 'Styrkor'/'Styrker' "
            "lists); is this an evaluation report? If it is, add its wording to a template profile",
            where,
        )
    tmpl = detect_template(lines, lang)
    parsed = _Parser(lines, tmpl).run()
    from .assemble import assemble  # the second half: figures + cover data -> Evaluation

    ev, warnings = assemble(parsed, lines, tmpl, where)
    return ev, parsed.warnings + warnings, tmpl
