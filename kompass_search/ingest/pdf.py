"""PDF reports -> the same normalized text as .txt reports: lines, blank lines between paragraphs, tables as tabs.

pdfplumber (MIT, maintained, pure Python on pdfminer.six) is used because it finds table cells
from ruling lines, which keeps the two-column strengths/improvements tables apart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

from ..errors import IngestError

_MARGIN = 0.08  # running headers/footers sit in the top and bottom 8 % of a page
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class _Item:
    top: float
    text: str  # "" is a blank line
    table: bool = False
    furniture_key: str | None = None  # set for lines in the page margins


def _cell_text(text: str | None) -> str:
    # pdfminer shows the WinAnsi bullet of the standard fonts as "(cid:127)".
    return (text or "").replace("(cid:127)", "•")


def _cell_lines(text: str | None) -> str:
    """A table cell on one line; every bulleted line of the cell keeps its bullet."""
    return " ".join(ln.strip() for ln in _cell_text(text).splitlines() if ln.strip())


def _page_items(page: Any) -> list[_Item]:
    """The page's text lines and table rows in reading order, blank lines between blocks."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    items: list[_Item] = []
    text_lines = page.filter(
        lambda o: o.get("object_type") != "char" or outside(o)
    ).extract_text_lines()
    pitches = [b["top"] - a["top"] for a, b in pairwise(text_lines) if b["top"] > a["top"]]
    pitch = median(pitches) if pitches else 14.0
    height = float(page.height)
    prev_bottom = None
    for ln in text_lines:
        if prev_bottom is not None and ln["top"] - prev_bottom > 0.6 * pitch:
            items.append(_Item(ln["top"] - 0.01, ""))
        text = _cell_text(ln["text"])
        in_margin = ln["top"] < _MARGIN * height or ln["bottom"] > (1 - _MARGIN) * height
        key = re.sub(r"\d+", "#", " ".join(text.split())) if in_margin else None
        items.append(_Item(ln["top"], text, furniture_key=key))
        prev_bottom = ln["bottom"]
    for t in tables:
        items.append(_Item(t.bbox[1] - 0.02, ""))
        for row in t.extract():
            cells = [_cell_lines(c) for c in row if c is not None]
            if any(cells):
                # An empty first cell stays visible as a leading tab (a right-column-only row).
                lead = "\t" if row and not _cell_lines(row[0]) else ""
                items.append(_Item(t.bbox[1], lead + "\t".join(c for c in cells if c), table=True))
        items.append(_Item(t.bbox[3] + 0.01, ""))
    items.sort(key=lambda x: x.top)
    return items


def _drop_furniture(pages: list[list[_Item]]) -> list[list[_Item]]:
    """Remove running headers and footers: margin lines that recur (numbers aside) on many pages."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({it.furniture_key for it in page if it.furniture_key})
    threshold = max(2, len(pages) // 3)
    return [
        [it for it in page if not (it.furniture_key and seen[it.furniture_key] >= threshold)]
        for page in pages
    ]


def _strip_blanks(items: list[_Item]) -> list[_Item]:
    start, end = 0, len(items)
    while start < end and not items[start].text:
        start += 1
    while end > start and not items[end - 1].text:
        end -= 1
    return items[start:end]


def _join_pages(pages: list[list[_Item]]) -> list[str]:
    """Pages into one text: a table or paragraph that runs on over a page break stays whole."""
    out: list[_Item] = []
    for page in pages:
        page = _strip_blanks(page)
        if not page:
            continue
        last = out[-1] if out else None
        first = page[0]
        runs_on = last is not None and (
            (last.table and first.table)
            or (not last.table and not first.table and not last.text.endswith(_SENTENCE_END))
        )
        if out and not runs_on:
            out.append(_Item(0, ""))
        out.extend(page)
    return [it.text for it in out]


def _encrypted(e: BaseException) -> bool:
    chain: list[object] = [e, *getattr(e, "args", ())]
    return any(
        "Password" in type(x).__name__
        or "Encrypt" in type(x).__name__
        or "encrypt" in str(x).lower()
        for x in chain
    )


def pdf_text(path: Path) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_items(page) for page in pdf.pages]
    except Exception as e:  # pdfminer raises many types for damaged or protected files
        if _encrypted(e):
            raise IngestError(
                "the PDF is encrypted; save an unprotected copy and ingest that", path
            ) from None
        raise IngestError(
            f"cannot read the PDF ({type(e).__name__}); is it damaged? Try re-saving it", path
        ) from None
    text = "\n".join(_join_pages(_drop_furniture(pages)))
    if not text.strip():
        raise IngestError(
            "the PDF has no text layer (scanned images?); run OCR first or pass a .txt", path
        )
    return text
