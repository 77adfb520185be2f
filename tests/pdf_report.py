"""A report text laid out like the published PDFs: cover, grid tables, two-column lists, page numbers."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from pdf_report_text import DASH_ITEM, TOTAL_LABELS, _Block, _cells, _items, _parse
from pdf_styles import FRAME_W, GRID, HEAD_BG, _p, _Styles, _styles
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
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

# ---------------------------------------------------------------- laying it out


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
