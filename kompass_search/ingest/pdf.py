"""PDF reports -> the same normalized text as .txt reports: lines, blank lines between paragraphs, tables as tabs.

pdfplumber (MIT, maintained, pure Python on pdfminer.six) is used because it finds table cells
from ruling lines, which keeps the two-column strengths/improvements tables apart.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from statistics import median
from typing import Any

from ..errors import IngestError


def _cell_text(text: str | None) -> str:
    # pdfminer shows the WinAnsi bullet of the standard fonts as "(cid:127)".
    return (text or "").replace("(cid:127)", "•")


def _cell(text: str | None) -> str:
    return " ".join(_cell_text(text).split())


def _cell_lines(text: str | None) -> str:
    # Keep bullets apart: each bulleted line of a cell starts a new item for split_items().
    text = _cell_text(text)
    return " ".join(
        ("•" + ln.lstrip("•").rstrip() if ln.lstrip().startswith("•") else ln.strip())
        for ln in (text or "").splitlines()
    )


def _page_items(page: Any) -> list[tuple[float, str]]:
    """(top, text) for the page's text lines and table rows, in reading order."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[float, str]] = []
    text_lines = page.filter(
        lambda o: o.get("object_type") != "char" or outside(o)
    ).extract_text_lines()
    pitches = [
        b["top"] - a["top"] for a, b in itertools.pairwise(text_lines) if b["top"] > a["top"]
    ]
    pitch = median(pitches) if pitches else 14.0
    prev_bottom = None
    for ln in text_lines:
        if prev_bottom is not None and ln["top"] - prev_bottom > 0.6 * pitch:
            items.append((ln["top"] - 0.01, ""))
        items.append((ln["top"], _cell_text(ln["text"])))
        prev_bottom = ln["bottom"]
    for t in tables:
        items.append((t.bbox[1] - 0.02, ""))
        for row in t.extract():
            cells = [_cell_lines(c) for c in row if c is not None]
            if any(cells):
                # An empty first cell stays visible as a leading tab (a right-column-only row).
                lead = "\t" if row and not _cell(row[0]) else ""
                items.append((t.bbox[1], lead + "\t".join(c for c in cells if c)))
        items.append((t.bbox[3], ""))
    items.sort(key=lambda x: x[0])
    return items


def pdf_text(path: Path) -> str:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise IngestError(
            f"PDF support needs pdfplumber ({e}); reinstall kompass-search", path
        ) from None
    lines: list[str] = []
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                lines.extend(text for _, text in _page_items(page))
                lines.append("")
    except PDFPasswordIncorrect:
        raise IngestError(
            "the PDF is encrypted; save an unprotected copy and ingest that", path
        ) from None
    except IngestError:
        raise
    except Exception as e:  # pdfminer raises many types for damaged files
        name = type(e).__name__
        if "Encrypt" in name or "Password" in name or "encrypt" in str(e).lower():
            raise IngestError(
                "the PDF is encrypted; save an unprotected copy and ingest that", path
            ) from None
        raise IngestError(
            f"cannot read the PDF ({name}); is it damaged? Try re-saving it", path
        ) from None
    text = "\n".join(lines)
    if not text.strip():
        raise IngestError(
            "the PDF has no text layer (scanned images?); run OCR first or pass a .txt", path
        )
    return text
