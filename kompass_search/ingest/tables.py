"""The report's score tables: Table 1 ("Resultat 2016" ... "TOTALT 460") and the score overview."""

from __future__ import annotations

import re

from ..models import Overview, Subquestion
from ..taxonomy import Template
from .detect import AREA_ROW, area_heading, fold, is_label
from .lines import Line
from .parsed import Parsed

_NUM = re.compile(r"^\d+(?:[.,]\d+)?$")
_PCT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%$")
_SUB_ID = re.compile(r"^(\d)\.(\d{1,2})\.?$")
_AREA_NO = re.compile(r"^(\d)\.?$")


def number(cell: str) -> float | None:
    cell = cell.strip()
    return float(cell.replace(",", ".")) if _NUM.match(cell) else None


def _percent(cell: str) -> int | None:
    m = _PCT.match(cell.strip())
    return round(float(m.group(1).replace(",", "."))) if m else None


def results_header(line: Line, tmpl: Template) -> int | None:
    """The year of a Table 1 header ("Resultat 2016"), else None."""
    for cell in line.cells[-2:]:
        for lab in tmpl.label("results_table"):
            m = re.match(rf"^{re.escape(lab)}\s+((?:19|20)\d\d)$", cell, flags=re.IGNORECASE)
            if m:
                return int(m.group(1))
    return None


def read_table1(lines: list[Line], i: int, tmpl: Template, p: Parsed) -> int:
    """Table 1 from its header at ``i``: "1. Offentlighet och demokrati  67" rows, "TOTALT  460"."""
    p.results_year = results_header(lines[i], tmpl)
    i += 1
    while i < len(lines):
        ln = lines[i]
        if ln.blank or ln.page_number:
            if p.table1:
                break
            i += 1
            continue
        score = number(ln.cells[-1]) if len(ln.cells) >= 2 else None
        head = " ".join(ln.cells[:-1])
        if score is not None and is_label(ln, tmpl.label("total")):
            p.total = score
            return i + 1
        m = AREA_ROW.match(head)
        if score is None or not m:
            break
        p.table1[int(m.group(1))] = (m.group(2).strip(), score)
        i += 1
    return i


def is_overview(line: Line, tmpl: Template) -> bool:
    """The score overview's heading ("4 Översikt av poängfördelning")."""
    text = fold(line.text)
    return len(line.cells) <= 2 and any(
        re.fullmatch(rf"(\d+\s+)?{re.escape(fold(lab))}", text)
        for lab in tmpl.label("score_overview")
    )


def read_overview(lines: list[Line], i: int, tmpl: Template, p: Parsed) -> int:
    """Per area a header row, subquestion rows and a totals row, until the next heading."""
    current: int | None = None
    cols = {fold(x) for x in tmpl.label("score_columns")}
    while i < len(lines):
        ln = lines[i]
        cells = ln.cells
        if area_heading(ln, tmpl) is not None or results_header(ln, tmpl):
            break
        if cells and sum(1 for c in cells if fold(c) in cols) >= 2:
            head = [c for c in cells if fold(c) not in cols]
            m = _AREA_NO.match(head[0]) if head else None
            m2 = AREA_ROW.match(head[0]) if head and not m else None
            if m:
                current = int(m.group(1))
                p.overview_names[current] = " ".join(head[1:])
            elif m2:
                current = int(m2.group(1))
                p.overview_names[current] = m2.group(2)
        elif cells and (m := _SUB_ID.match(cells[0])) and len(cells) >= 4:
            _subquestion(ln, m, p)
        elif (
            current is not None
            and 2 <= len(cells) <= 3
            and all(number(c) is not None or _percent(c) is not None for c in cells)
        ):
            pct = _percent(cells[2]) if len(cells) == 3 else None
            a, m_ = number(cells[0]), number(cells[1])
            if a is not None and m_ is not None:
                p.overview_totals[current] = Overview(a, m_, pct)
        i += 1
    return i


def _subquestion(ln: Line, m: re.Match[str], p: Parsed) -> None:
    cells = ln.cells
    nums = cells[-3:] if _percent(cells[-1]) is not None else [*cells[-2:], ""]
    achieved, mx = number(nums[0]), number(nums[1])
    title_cells = cells[1 : len(cells) - (3 if nums[2] else 2)]
    if achieved is None or mx is None or not title_cells:
        p.warnings.append(
            f"area {m.group(1)}: line {ln.number}: subquestion row {cells[0]} has no scores; skipped"
        )
        return
    p.subquestions.append(
        Subquestion(
            f"{m.group(1)}.{int(m.group(2))}",
            " ".join(title_cells),
            achieved,
            mx,
            _percent(nums[2]),
        )
    )
