"""Test PDFs: a report text in the Vännäs layout rendered like the original, and PDFs that are no report.

``render_report_pdf`` reads a report text (cover, "Tabell 1", one block per area with a topics row,
"Allmänt"/"Sammanfattning" and a strengths/improvements row, then the score overview) and lays it
out with reportlab the way the published PDFs look: a cover page, tables with grid lines, the
strengths and improvements as a two-column table with one bulleted list per cell, page numbers.
Tables may split across pages, rows included, as they do in the originals.

Run ``python tests/pdfgen.py`` to regenerate the committed PDFs under tests/data/bad/.
All output is deterministic (reportlab's invariant mode), so regenerating gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # loaded by path from the tests

from pdf_not_reports import (
    ENCRYPTED_PASSWORD,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_not_a_report_pdf,
)
from pdf_report import render_report_pdf

__all__ = [
    "ENCRYPTED_PASSWORD",
    "make_encrypted_pdf",
    "make_image_only_pdf",
    "make_not_a_report_pdf",
    "render_report_pdf",
]


def main(argv: list[str]) -> int:
    """Regenerate the committed PDFs of tests/data/bad/ (or of the folder given)."""
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent / "data" / "bad"
    make_not_a_report_pdf(out / "not-a-report.pdf")
    make_encrypted_pdf(out / "encrypted.pdf")
    make_image_only_pdf(out / "image-only.pdf")
    print(f"wrote not-a-report.pdf, encrypted.pdf and image-only.pdf to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
