"""Fonts, paragraph styles and colours shared by the test PDFs (reportlab)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Paragraph,
)

# TTF fonts that cover å ä ö ø æ • – and curly quotes, first found wins. reportlab's built-in
# Helvetica has the letters but writes "•" so that PDF readers extract it as "(cid:127)".
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
    ),
)

# ---------------------------------------------------------------- fonts and styles


def _fonts() -> tuple[str, str]:
    """A registered TTF pair (regular, bold); Helvetica only when no candidate is installed."""
    if "KompassSans" in pdfmetrics.getRegisteredFontNames():
        return "KompassSans", "KompassSans-Bold"
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("KompassSans", regular))
            pdfmetrics.registerFont(TTFont("KompassSans-Bold", bold))
            return "KompassSans", "KompassSans-Bold"
    return "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    bullet: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    caption: ParagraphStyle
    cover_title: ParagraphStyle
    cover_big: ParagraphStyle
    cover_line: ParagraphStyle
    cover_org: ParagraphStyle
    font: str
    bold: str


def _styles() -> _Styles:
    font, bold = _fonts()

    def st(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": font,
            "bulletFontName": font,
            "fontSize": 10,
            "leading": 13,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    return _Styles(
        body=st("body", alignment=TA_JUSTIFY, spaceAfter=6),
        cell=st("cell", fontSize=9, leading=11.5),
        cell_bold=st("cell_bold", fontName=bold, fontSize=9, leading=11.5),
        bullet=st("bullet", fontSize=9, leading=11.5, leftIndent=10, bulletIndent=0, spaceAfter=2),
        h1=st("h1", fontName=bold, fontSize=16, leading=20, spaceBefore=12, spaceAfter=10),
        h2=st("h2", fontName=bold, fontSize=13, leading=16, spaceBefore=14, spaceAfter=8),
        h3=st("h3", fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=4),
        caption=st(
            "caption", fontSize=9, leading=11, spaceAfter=4, textColor=colors.HexColor("#333333")
        ),
        cover_title=st("cover_title", fontName=bold, fontSize=30, leading=36, alignment=TA_CENTER),
        cover_big=st("cover_big", fontName=bold, fontSize=18, leading=24, alignment=TA_CENTER),
        cover_line=st("cover_line", fontSize=12, leading=16, alignment=TA_CENTER),
        cover_org=st("cover_org", fontName=bold, fontSize=11, leading=13),
        font=font,
        bold=bold,
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


GRID = colors.HexColor("#7f7f7f")
HEAD_BG = colors.HexColor("#dce6f1")
FRAME_W = A4[0] - 4.4 * cm
