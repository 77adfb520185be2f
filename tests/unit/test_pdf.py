"""PDF ingest: the Vännäs report rendered as a realistic PDF gives the same figures and texts as its .txt.

tests/pdfgen.py lays the report text out like the published PDFs (cover page, grid tables, the
strengths and improvements as a two-column table with a bulleted list per cell, tables that split
across pages, page numbers in a footer). Ingesting that PDF must give what ingesting the text gives.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pdfplumber
import pytest
import yaml

from kompass_search.errors import IngestError
from kompass_search.ingest import ingest_path
from kompass_search.models import Evaluation

ROOT = Path(__file__).resolve().parents[2]
VANNAS = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
REPORTS = ROOT / "tests" / "data" / "reports"
BAD = ROOT / "tests" / "data" / "bad"

TABLE_1 = {1: 67, 2: 49, 3: 65, 4: 61, 5: 54, 6: 57, 7: 46, 8: 61}


def _load_pdfgen() -> ModuleType:
    # tests/ is no package; load the helper by path so this works however pytest sets sys.path.
    spec = importlib.util.spec_from_file_location(
        "kompass_tests_pdfgen", ROOT / "tests" / "pdfgen.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


pdfgen = _load_pdfgen()


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def vannas_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("pdf") / "vannas-2016-skl.pdf"
    pdfgen.render_report_pdf(VANNAS, pdf)
    return pdf


@pytest.fixture(scope="module")
def from_txt() -> Evaluation:
    return ingest_path(VANNAS).evaluation


@pytest.fixture(scope="module")
def from_pdf(vannas_pdf: Path) -> Evaluation:
    return ingest_path(vannas_pdf).evaluation


# ---------------------------------------------------------------- the generator itself
# These pass whatever the parser does: they show the PDF holds everything the text holds.


def test_generated_pdf_is_realistic(vannas_pdf: Path) -> None:
    with pdfplumber.open(vannas_pdf) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        two_col = [
            t
            for p in pdf.pages
            for t in p.extract_tables()
            if t and t[0][:2] == ["Styrkor", "Förbättringsmöjligheter"]
        ]
        five_col = [t for p in pdf.pages for t in p.extract_tables() if t and len(t[0]) == 5]
    text = "\n".join(pages)
    assert len(pages) >= 10
    assert "VÄNNÄS KOMMUN" in pages[0] and "Leif Eldås, SKL" in pages[0]
    assert "(cid:" not in text  # every glyph extracts as itself
    for word in ("å", "ä", "ö", "–", "”", "•"):
        assert word in text
    assert len(two_col) == 8
    assert len(five_col) >= 8  # 8 overview tables, more where one splits across pages
    # Every bullet of the text (topics, strengths, improvements) is in the PDF.
    source = VANNAS.read_text(encoding="utf-8")
    assert text.count("•") == source.count("•")
    assert re.search(r"^TOTALT 460$", text, re.M)


# ---------------------------------------------------------------- ingest: PDF == text


def test_pdf_cover(from_pdf: Evaluation, from_txt: Evaluation) -> None:
    fields = ("municipality", "country", "year", "template", "language", "date", "evaluators")
    assert {f: getattr(from_pdf, f) for f in fields} == {f: getattr(from_txt, f) for f in fields}


def test_pdf_area_scores(from_pdf: Evaluation) -> None:
    assert {a.number: a.score for a in from_pdf.areas} == TABLE_1  # area 2 is 49 in Table 1
    assert from_pdf.total == 460


def test_pdf_subquestions(from_pdf: Evaluation, from_txt: Evaluation) -> None:
    def rows(ev: Evaluation) -> list[tuple[str, float, float, int | None]]:
        return [(s.id, s.achieved, s.max, s.percent) for s in ev.subquestions]

    assert len(from_txt.subquestions) == 45
    assert rows(from_pdf) == rows(from_txt)
    titles = [(s.id, _norm(s.title)) for s in from_pdf.subquestions]
    assert titles == [(s.id, _norm(s.title)) for s in from_txt.subquestions]


@pytest.mark.parametrize("kind", ["strengths", "improvements"])
def test_pdf_strengths_and_improvements(
    from_pdf: Evaluation, from_txt: Evaluation, kind: str
) -> None:
    total = {"strengths": 48, "improvements": 38}[kind]
    assert sum(len(getattr(a, kind)) for a in from_txt.areas) == total
    for a_txt in from_txt.areas:
        a_pdf = from_pdf.area(a_txt.number)
        assert a_pdf is not None, a_txt.number
        got = [_norm(t) for t in getattr(a_pdf, kind)]
        want = [_norm(t) for t in getattr(a_txt, kind)]
        # Item by item, so a wrapped line or a page break inside a cell shows where it went wrong.
        for i in range(max(len(got), len(want))):
            g = got[i] if i < len(got) else None
            w = want[i] if i < len(want) else None
            assert g == w, f"area {a_txt.number} {kind}[{i}]"


def test_pdf_topics(from_pdf: Evaluation, from_txt: Evaluation) -> None:
    for a in from_txt.areas:
        a_pdf = from_pdf.area(a.number)
        assert a_pdf is not None
        assert [_norm(t) for t in a_pdf.topics] == [_norm(t) for t in a.topics], a.number


def test_pdf_summaries_hold_no_page_furniture(from_pdf: Evaluation, from_txt: Evaluation) -> None:
    # Paragraphs may break differently at page ends; their words may not change, and page
    # numbers or the running footer may not leak into them.
    for a in from_txt.areas:
        a_pdf = from_pdf.area(a.number)
        assert a_pdf is not None
        assert _norm(" ".join(a_pdf.summary)) == _norm(" ".join(a.summary)), a.number


# ---------------------------------------------------------------- the fictional variants as PDFs


@pytest.mark.parametrize("name", ["gronnvik-ks-2010-no.txt", "angsmora-skr-2020-sv.txt"])
def test_variant_pdf_equals_text(tmp_path: Path, name: str) -> None:
    pdf = tmp_path / name.replace(".txt", ".pdf")
    pdfgen.render_report_pdf(REPORTS / name, pdf)
    txt, got = ingest_path(REPORTS / name).evaluation, ingest_path(pdf).evaluation
    assert (got.municipality, got.year, got.template, got.total) == (
        txt.municipality,
        txt.year,
        txt.template,
        txt.total,
    )
    assert [(a.number, a.score) for a in got.areas] == [(a.number, a.score) for a in txt.areas]
    assert [(s.id, s.achieved, s.max, s.percent) for s in got.subquestions] == [
        (s.id, s.achieved, s.max, s.percent) for s in txt.subquestions
    ]
    for a in txt.areas:
        b = got.area(a.number)
        assert b is not None
        assert [_norm(t) for t in b.strengths] == [_norm(t) for t in a.strengths], a.number
        assert [_norm(t) for t in b.improvements] == [_norm(t) for t in a.improvements], a.number


# ---------------------------------------------------------------- PDFs that are no report


def _expected_bad() -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load((BAD / "EXPECTED.yaml").read_text(encoding="utf-8"))
    return {c["file"]: c["expect"] for c in data["cases"]}


MAKERS: dict[str, Callable[[Path], None]] = {
    "not-a-report.pdf": pdfgen.make_not_a_report_pdf,
    "encrypted.pdf": pdfgen.make_encrypted_pdf,
    "image-only.pdf": pdfgen.make_image_only_pdf,
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_bad_pdf_is_one_line_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    MAKERS[name](path)
    with pytest.raises(IngestError) as info:
        ingest_path(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    # Look past the file name: "encrypted" in "encrypted.pdf: ..." proves nothing.
    assert _expected_bad()[name] in message.removeprefix(f"{path}: ")


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    # Guards the fixture: without the password the PDF cannot be read, with it it can.
    path = tmp_path / "encrypted.pdf"
    pdfgen.make_encrypted_pdf(path)
    with pdfplumber.open(path, password=pdfgen.ENCRYPTED_PASSWORD) as pdf:
        assert "KommunKompassen" in (pdf.pages[0].extract_text() or "")
    with pytest.raises(Exception), pdfplumber.open(path) as pdf:  # noqa: B017 - pdfminer wraps it
        pdf.pages[0].extract_text()


def test_committed_bad_pdfs_are_what_pdfgen_makes(tmp_path: Path) -> None:
    # The files under tests/data/bad/ come from pdfgen; their text must match a fresh rendering.
    for name, make in MAKERS.items():
        fresh = tmp_path / name
        make(fresh)
        if name == "encrypted.pdf":
            assert (BAD / name).stat().st_size > 0
            continue
        with pdfplumber.open(fresh) as a, pdfplumber.open(BAD / name) as b:
            assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages], name
