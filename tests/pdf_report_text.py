"""Reading a report text in the Vännäs layout into blocks (cover, headings, tables, lists) to lay out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Labels that start the parts of a report, in Swedish and Norwegian (as in templates/labels.yaml).
TOPICS_LABELS = ("Rubriker", "Overskrifter")
STRENGTHS_LABELS = ("Styrkor", "Styrker")
IMPROVEMENTS_LABELS = (
    "Förbättringsmöjligheter",
    "Förbättringsområden",
    "Förslag till förbättringsområden",
    "Forbedringsområder",
    "Forbedringsmuligheter",
    "Utfordringer",
)
RESULTS_LABELS = ("Resultat",)
TOTAL_LABELS = ("TOTALT", "Totalt", "Sum")

UL_ARTIFACT = re.compile(r"<ul[^>]*>")
CELL_SPLIT = re.compile(r"\t|\s{2,}")
SECTION = re.compile(r"^[1-9] [A-ZÅÄÖØÆ]")
AREA_HEADING = re.compile(r"^(Fokusområde|Område) \d\b")
OVERVIEW_HEAD = re.compile(r"^\d\.(\t|\s{2,})")
DASH_ITEM = re.compile(r"^[-–•]\s+")

# ---------------------------------------------------------------- reading the report text


@dataclass
class _Block:
    kind: str  # cover | h1 | h2 | h3 | caption | para | bullets | results | topics | strengths | overview
    lines: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in CELL_SPLIT.split(line.strip("\n"))]


def _items(cell: str) -> list[str]:
    """The bullet items of one cell: '<ul ...> • a • b' -> ['a', 'b']."""
    cell = UL_ARTIFACT.sub(" ", cell)
    return [s.strip() for s in re.split(r"\s*•\s*", cell) if s.strip()]


def _first_cell(line: str) -> str:
    return _cells(line)[0] if line.strip() else ""


def _take_until_blank(lines: list[str], i: int) -> tuple[list[str], int]:
    out = []
    while i < len(lines) and lines[i].strip():
        out.append(lines[i])
        i += 1
    return out, i


def _parse(text: str) -> list[_Block]:
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    blocks: list[_Block] = []
    i = 0
    # The cover: everything before the first numbered section ("1 Vad är Kommunkompassen?").
    cover = []
    while i < len(lines) and not SECTION.match(lines[i]):
        if lines[i].strip():
            cover.append(lines[i].strip())
        i += 1
    blocks.append(_Block("cover", cover))

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        first = _first_cell(line)
        cells = _cells(line)
        if SECTION.match(line) and len(line) < 90:
            blocks.append(_Block("h1", [line.strip()]))
            i += 1
        elif AREA_HEADING.match(line):
            blocks.append(_Block("h2", [line.strip()]))
            i += 1
        elif line.startswith("\t") or (
            len(cells) == 2 and cells[0] == "" and cells[1].startswith(RESULTS_LABELS)
        ):
            rows, i = _take_until_blank(lines, i)
            blocks.append(_Block("results", rows))
        elif first in TOPICS_LABELS:
            header = cells
            rows, i = _take_until_blank(lines, i + 1)
            blocks.append(_Block("topics", rows, {"header": header}))
        elif first in STRENGTHS_LABELS:
            i = _strengths(lines, i, blocks)
        elif OVERVIEW_HEAD.match(line) and len(cells) == 5:
            rows, i = _take_until_blank(lines, i)
            blocks.append(_Block("overview", rows))
        elif DASH_ITEM.match(line):
            rows, i = _take_until_blank(lines, i)
            blocks.append(_Block("bullets", [DASH_ITEM.sub("", r).strip() for r in rows]))
        elif line.startswith("Tabell "):
            blocks.append(_Block("caption", [line.strip()]))
            i += 1
        elif len(line) < 50 and not line.rstrip().endswith((".", ":", ",")):
            blocks.append(_Block("h3", [line.strip()]))
            i += 1
        else:
            blocks.append(_Block("para", [line.strip()]))
            i += 1
    return blocks


def _strengths(lines: list[str], i: int, blocks: list[_Block]) -> int:
    """Either 'Styrkor<TAB>Förbättringsmöjligheter' + one line 'bullets<TAB>bullets', or two
    headed lists of '–'/'-' items, one per line."""
    cells = _cells(lines[i])
    if len(cells) >= 2:
        row, i = _take_until_blank(lines, i + 1)
        joined = " ".join(row)
        left_cell, _, right_cell = joined.partition("\t")
        blocks.append(
            _Block(
                "strengths",
                [],
                {"header": cells[:2], "left": _items(left_cell), "right": _items(right_cell)},
            )
        )
        return i
    left_label = cells[0]
    left_lines, i = _take_until_blank(lines, i + 1)
    while i < len(lines) and not lines[i].strip():
        i += 1
    right_label = lines[i].strip() if i < len(lines) else ""
    right_lines: list[str] = []
    if right_label in IMPROVEMENTS_LABELS:
        right_lines, i = _take_until_blank(lines, i + 1)
    else:
        right_label = IMPROVEMENTS_LABELS[0]
    items_l = [DASH_ITEM.sub("", s).strip() for s in left_lines]
    items_r = [DASH_ITEM.sub("", s).strip() for s in right_lines]
    blocks.append(
        _Block(
            "strengths",
            [],
            {"header": [left_label, right_label], "left": items_l, "right": items_r},
        )
    )
    return i
