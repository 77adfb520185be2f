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

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
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
ENCRYPTED_PASSWORD = "kompass"  # the user password of make_encrypted_pdf's output

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


# ---------------------------------------------------------------- laying it out

GRID = colors.HexColor("#7f7f7f")
HEAD_BG = colors.HexColor("#dce6f1")
FRAME_W = A4[0] - 4.4 * cm


def _bullets(items: list[str], s: _Styles) -> list[Flowable]:
    return [Paragraph(escape(t), s.bullet, bulletText="•") for t in items]


def _table(
    data: list[list[object]], widths: list[float], extra: list[tuple[object, ...]] | None = None
) -> Table:
    t = Table(data, colWidths=widths, splitInRow=1, hAlign="LEFT")
    last = len(widths) - 1
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                # Close both parts of a row split across pages with a line at the cut, as word
                # processors draw it (reportlab leaves it open). Column indices must not be
                # negative here: reportlab's in-row-split code does not resolve them everywhere.
                ("LINEBELOW", (0, "inrowsplitstart"), (last, "inrowsplitstart"), 0.5, GRID),
                ("LINEABOVE", (0, "inrowsplitend"), (last, "inrowsplitend"), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *(extra or []),
            ]
        )
    )
    return t


def _results(block: _Block, s: _Styles) -> tuple[Table, list[int]]:
    data: list[list[object]] = []
    scores: list[int] = []
    for k, row in enumerate(block.lines):
        cells = _cells(row)
        if k == 0:
            data.append(["", _p(cells[-1], s.cell_bold)])
            continue
        name, value = cells[0], cells[-1]
        style = s.cell_bold if name in TOTAL_LABELS else s.cell
        data.append([_p(name, style), _p(value, style)])
        if name not in TOTAL_LABELS and value.isdigit():
            scores.append(int(value))
    t = _table(data, [11 * cm, 3 * cm], [("ALIGN", (1, 0), (1, -1), "RIGHT")])
    return t, scores


def _topics(block: _Block, s: _Styles) -> Table:
    text = " ".join(block.lines)
    m = re.search(r"(\d+)\s*$", text)
    score = m.group(1) if m else ""
    body = text[: m.start()] if m else text
    if "•" in body:
        items = _items(body)
    else:  # one '–' item per line
        items = [
            DASH_ITEM.sub("", ln).strip() for ln in re.split(r"\n|(?=– )", "\n".join(block.lines))
        ]
        items = [re.sub(r"\s+\d+\s*$", "", t) for t in items if t]
    header = block.extra["header"]
    assert isinstance(header, list)
    data: list[list[object]] = [
        [_p(header[0], s.cell_bold), _p(header[-1] if len(header) > 1 else "", s.cell_bold)],
        [_bullets(items, s), _p(score, s.cell)],
    ]
    return _table(data, [FRAME_W - 2.5 * cm, 2.5 * cm], [("ALIGN", (1, 1), (1, 1), "CENTER")])


def _strengths_table(block: _Block, s: _Styles) -> Table:
    header, left, right = block.extra["header"], block.extra["left"], block.extra["right"]
    assert isinstance(header, list) and isinstance(left, list) and isinstance(right, list)
    data: list[list[object]] = [
        [_p(header[0], s.cell_bold), _p(header[1], s.cell_bold)],
        [_bullets(left, s), _bullets(right, s)],
    ]
    return _table(data, [FRAME_W / 2, FRAME_W / 2])


def _overview(block: _Block, s: _Styles) -> Table:
    data: list[list[object]] = []
    for k, row in enumerate(block.lines):
        cells = _cells(row)
        if k == 0:
            data.append([_p(c, s.cell_bold) for c in cells])
        elif (len(cells) == 5 and cells[0] == "") or row.startswith(("\t\t", "    ")):
            nums = [c for c in cells if c]
            data.append(["", "", *(_p(c, s.cell_bold) for c in nums[-3:])])
        else:
            data.append([_p(c, s.cell) for c in cells[:5]])
    widths = [1.1 * cm, FRAME_W - 1.1 * cm - 5.2 * cm, 1.8 * cm, 1.5 * cm, 1.9 * cm]
    return _table(data, widths, [("ALIGN", (2, 0), (-1, -1), "RIGHT")])


def _chart(scores: list[int], s: _Styles) -> Drawing:
    d = Drawing(FRAME_W, 6 * cm)
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 1.2 * cm, 0.8 * cm, FRAME_W - 2 * cm, 4.8 * cm
    bc.data = [scores]
    bc.valueAxis.valueMin, bc.valueAxis.valueMax, bc.valueAxis.valueStep = 0, 100, 20
    bc.categoryAxis.categoryNames = [str(n) for n in range(1, len(scores) + 1)]
    bc.valueAxis.labels.fontName = bc.categoryAxis.labels.fontName = s.font
    bc.bars[0].fillColor = colors.HexColor("#4f81bd")
    d.add(bc)
    return d


def _cover(lines: list[str], s: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 3 * cm)]
    org_start = max((k for k, ln in enumerate(lines) if ", " in ln), default=len(lines) - 1) + 1
    for k, ln in enumerate(lines[:org_start]):
        if k == 0:
            out += [_p(ln, s.cover_title), Spacer(1, 1.5 * cm)]
        elif ", " in ln:
            out += [_p(ln, s.cover_line), Spacer(1, 0.3 * cm)]
        else:
            out += [_p(ln, s.cover_big), Spacer(1, 0.6 * cm)]
            if re.search(r"\d{4}$", ln):
                out.append(Spacer(1, 2.5 * cm))
    out.append(Spacer(1, 4 * cm))
    out += [_p(ln, s.cover_org) for ln in lines[org_start:]]
    out.append(PageBreak())
    return out


def _story(blocks: list[_Block], s: _Styles) -> list[Flowable]:
    story: list[Flowable] = []
    scores: list[int] = []
    for b in blocks:
        if b.kind == "cover":
            story += _cover(b.lines, s)
        elif b.kind in ("h1", "h2", "h3", "caption"):
            story.append(_p(b.lines[0], getattr(s, b.kind)))
        elif b.kind == "para":
            story.append(_p(b.lines[0], s.body))
            if "diagram" in b.lines[0] and scores:
                story += [_chart(scores, s), Spacer(1, 0.3 * cm)]
        elif b.kind == "bullets":
            story += [Paragraph(escape(t), s.body, bulletText="–") for t in b.lines]
            story.append(Spacer(1, 4))
        elif b.kind == "results":
            table, scores = _results(b, s)
            story += [table, Spacer(1, 0.4 * cm)]
        elif b.kind == "topics":
            story += [_topics(b, s), Spacer(1, 0.3 * cm)]
        elif b.kind == "strengths":
            story += [_strengths_table(b, s), Spacer(1, 0.4 * cm)]
        elif b.kind == "overview":
            story += [_overview(b, s), Spacer(1, 0.5 * cm)]
    # Keep each heading with what follows it, as a word processor does.
    out: list[Flowable] = []
    k = 0
    while k < len(story):
        f = story[k]
        if isinstance(f, Paragraph) and f.style.name in ("h1", "h2", "h3") and k + 1 < len(story):
            nxt = story[k + 1]
            if isinstance(nxt, Paragraph):
                out.append(KeepTogether([f, nxt]))
                k += 2
                continue
        out.append(f)
        k += 1
    return out


def _footer_text(blocks: list[_Block]) -> str:
    cover = blocks[0].lines if blocks and blocks[0].kind == "cover" else []
    tool = cover[0] if cover else ""
    suffixes = (" KOMMUN", " KOMMUNE", " STAD")
    place = next((ln for ln in cover[1:] if ln.upper().endswith(suffixes)), "")
    year = next((m.group(0) for ln in cover if (m := re.search(r"\b(19|20)\d\d\b", ln))), "")
    words = place.split()
    place = " ".join([w.title() for w in words[:-1]] + [w.lower() for w in words[-1:]])
    return " – ".join(x for x in (tool, f"{place} {year}".strip()) if x)


def render_report_pdf(text_path: Path, pdf_path: Path) -> None:
    """Render a report text in the Vännäs layout into a PDF laid out like the published reports."""
    s = _styles()
    blocks = _parse(text_path.read_text(encoding="utf-8"))
    footer = _footer_text(blocks)

    def later_pages(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(s.font, 8)
        canvas.setStrokeColor(GRID)
        canvas.line(2.2 * cm, 1.6 * cm, A4[0] - 2.2 * cm, 1.6 * cm)
        canvas.drawString(2.2 * cm, 1.1 * cm, footer)
        canvas.drawRightString(A4[0] - 2.2 * cm, 1.1 * cm, str(doc.page))
        canvas.restoreState()

    def first_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        pass

    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(pdf_path),
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2.2 * cm,
        title=footer,
        author="kompass-search tests",
        invariant=1,
    )
    doc.build(_story(blocks, s), onFirstPage=first_page, onLaterPages=later_pages)


# ---------------------------------------------------------------- PDFs that are no report


def make_not_a_report_pdf(path: Path) -> None:
    """An ordinary document with text and a table: a (fictional) invoice, not an evaluation report."""
    s = _styles()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="Faktura 2016-0412", invariant=1)
    right = ParagraphStyle("right", parent=s.body, alignment=TA_RIGHT)
    rows: list[list[object]] = [
        ["Artikel", "Antal", "À-pris", "Belopp"],
        ["Kopieringspapper A4, 80 g (kartong)", "12", "289,00", "3 468,00"],
        ["Whiteboardpennor, sorterade färger", "20", "14,50", "290,00"],
        ["Pärmar, breda, blå", "40", "32,00", "1 280,00"],
        ["Frakt", "1", "195,00", "195,00"],
    ]
    table = Table(rows, colWidths=[9 * cm, 2 * cm, 2.5 * cm, 2.5 * cm])
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), s.font), ("GRID", (0, 0), (-1, -1), 0.5, GRID)])
    )
    story: list[Flowable] = [
        _p("Norrskogs Kontorsvaror AB", s.h1),
        _p("Storgatan 14, 999 99 Fjällby · org.nr 556000-0000 (fiktivt)", s.caption),
        Spacer(1, 0.8 * cm),
        _p("FAKTURA", s.h2),
        _p("Fakturanummer 2016-0412 · Fakturadatum 2016-02-03 · Förfallodatum 2016-03-04", s.body),
        _p("Kund: Ekbackens bostadsrättsförening, Att. kassören", s.body),
        Spacer(1, 0.5 * cm),
        table,
        Spacer(1, 0.5 * cm),
        _p(
            "Summa exkl. moms: 5 233,00 kr · Moms 25 %: 1 308,25 kr · Att betala: 6 541,25 kr",
            right,
        ),
        Spacer(1, 0.8 * cm),
        _p(
            "Tack för din beställning! Betala till bankgiro 000-0000 och ange fakturanumret som "
            "referens. Vid betalning efter förfallodagen debiteras dröjsmålsränta enligt räntelagen. "
            "Har du frågor om fakturan är du välkommen att kontakta vår kundtjänst på vardagar mellan "
            "klockan 8 och 16.",
            s.body,
        ),
        _p(
            "Vi levererar kontorsmaterial till föreningar, skolor och företag i hela regionen. "
            "Beställningar som görs före klockan 12 skickas samma dag.",
            s.body,
        ),
    ]
    doc.build(story)


def make_encrypted_pdf(path: Path) -> None:
    """A report-looking PDF that cannot be opened without the user password (ENCRYPTED_PASSWORD)."""
    s = _styles()
    path.parent.mkdir(parents=True, exist_ok=True)
    enc = StandardEncryption(ENCRYPTED_PASSWORD, ownerPassword="kompass-owner", strength=128)
    c = Canvas(str(path), pagesize=A4, encrypt=enc, invariant=1)
    w, h = A4
    c.setFont(s.bold, 28)
    c.drawCentredString(w / 2, h - 6 * cm, "KommunKompassen")
    c.setFont(s.bold, 16)
    c.drawCentredString(w / 2, h - 8 * cm, "ANALYS AV")
    c.drawCentredString(w / 2, h - 9.5 * cm, "ÄNGSMORA KOMMUN")
    c.drawCentredString(w / 2, h - 11 * cm, "MARS 2022")
    c.showPage()
    c.setFont(s.font, 10)
    c.drawString(2.2 * cm, h - 3 * cm, "1. Samspel mellan förtroendevalda och medborgare    64")
    c.showPage()
    c.save()


def make_image_only_pdf(path: Path) -> None:
    """A page with drawn shapes and no text at all, like a scan without a text layer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    c = Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    d = Drawing(w, h)
    d.add(
        Rect(
            2 * cm,
            h - 6 * cm,
            w - 4 * cm,
            3 * cm,
            fillColor=colors.HexColor("#dce6f1"),
            strokeColor=GRID,
        )
    )
    for k in range(8):
        height = (40 + 7 * k) / 100 * 8 * cm
        d.add(
            Rect(
                3 * cm + k * 1.8 * cm,
                5 * cm,
                1.2 * cm,
                height,
                fillColor=colors.HexColor("#4f81bd"),
            )
        )
    d.add(Line(2.5 * cm, 5 * cm, w - 2.5 * cm, 5 * cm, strokeColor=colors.black))
    d.add(
        Circle(
            w / 2,
            h / 2 + 2 * cm,
            2.5 * cm,
            fillColor=None,
            strokeColor=colors.darkgreen,
            strokeWidth=3,
        )
    )
    d.add(
        Polygon(
            [
                w / 2,
                h / 2 + 4 * cm,
                w / 2 + 0.6 * cm,
                h / 2 + 2 * cm,
                w / 2,
                h / 2,
                w / 2 - 0.6 * cm,
                h / 2 + 2 * cm,
            ],
            fillColor=colors.darkred,
            strokeColor=None,
        )
    )
    d.drawOn(c, 0, 0)
    c.showPage()
    c.save()


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
