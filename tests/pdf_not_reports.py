"""PDFs that are no report: an invoice, an encrypted report, a scan without a text layer."""

from __future__ import annotations

from pathlib import Path

from pdf_styles import GRID, _p, _styles
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

ENCRYPTED_PASSWORD = "kompass"  # the user password of make_encrypted_pdf's output


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
