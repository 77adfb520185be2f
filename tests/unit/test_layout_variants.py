"""Issue 10: every layout variant of the Vännäs report ingests exactly, or says what it lost.

The reference is the unmodified report's parse (total 460, 45 subquestion rows, 48 strengths,
38 improvements). A variant either gives the same figures and the same item texts word for word,
or every area that differs is named by a warning: never a silent change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kompass_search.errors import IngestError
from kompass_search.ingest import IngestResult, ingest_path
from kompass_search.models import Evaluation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from variants import VANNAS, VARIANTS, Variant, inline_glyph, vannas_text


@pytest.fixture(scope="module")
def reference() -> Evaluation:
    return ingest_path(VANNAS).evaluation


def _ingest(tmp_path: Path, text: str, name: str = "variant.txt") -> IngestResult:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return ingest_path(path)


def _differing_areas(ref: Evaluation, got: Evaluation) -> set[int]:
    out = set()
    for a in ref.areas:
        b = got.area(a.number)
        if b is None or (a.score, a.strengths, a.improvements) != (
            b.score,
            b.strengths,
            b.improvements,
        ):
            out.add(a.number)
    return out


def _named(warnings: list[str], area: int) -> bool:
    return any(f"area {area}:" in w or f"area {area} " in w for w in warnings)


def test_reference_figures(reference: Evaluation) -> None:
    assert reference.total == 460
    assert len(reference.subquestions) == 45
    assert sum(len(a.strengths) for a in reference.areas) == 48
    assert sum(len(a.improvements) for a in reference.areas) == 38


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_variant(variant: Variant, reference: Evaluation, tmp_path: Path) -> None:
    text = variant.make(vannas_text())
    assert text != vannas_text()
    res = _ingest(tmp_path, text)
    got = res.evaluation
    # Figures are never touched by a layout change.
    assert got.total == reference.total == 460
    assert got.subquestions == reference.subquestions
    assert [a.score for a in got.areas] == [a.score for a in reference.areas]
    assert all("\u200b" not in s and "\u00ad" not in s for a in got.areas for s in a.strengths)
    differ = _differing_areas(reference, got)
    if variant.expect == "exact":
        assert differ == set(), [w for w in res.warnings]
        for a, b in zip(reference.areas, got.areas, strict=True):
            assert b.topics == a.topics
            assert b.summary == a.summary
    elif variant.expect == "lossy":
        assert differ, "a lossy variant that loses nothing: fix the variant"
        for n in differ:
            assert _named(res.warnings, n), (n, res.warnings)
    elif variant.expect.startswith("no-improvements:"):
        area = int(variant.expect.split(":")[1])
        assert differ == {area}
        a, b = reference.area(area), got.area(area)
        assert a is not None and b is not None
        assert b.strengths == a.strengths and b.improvements == ()
    elif variant.expect == "heading-warning":
        assert differ == set()
        assert any("area 3:" in w and "heading prints 66" in w for w in res.warnings)


def test_inline_dash_warning_names_the_areas(tmp_path: Path) -> None:
    # The report writes '–' inside sentences, so an inline '–' list may cut an item holding it.
    res = _ingest(tmp_path, next(v for v in VARIANTS if v.name == "inline-–").make(vannas_text()))
    got = res.evaluation.area(6)
    assert got is not None
    assert "Profilera er som attraktiv arbetsgivare" in got.improvements
    assert _named([w for w in res.warnings if "'–'" in w], 6)


GRONNVIK = VANNAS.parents[2] / "tests" / "data" / "reports" / "gronnvik-ks-2010-no.txt"


@pytest.mark.parametrize("glyph", ["–", "-", "▪"])
def test_norwegian_report_with_other_bullets(tmp_path: Path, glyph: str) -> None:
    # The fictional Norwegian report's inline lists with another bullet: the same items.
    ref = ingest_path(GRONNVIK).evaluation
    text = inline_glyph(glyph)(GRONNVIK.read_text(encoding="utf-8"))
    res = _ingest(tmp_path, text, "gronnvik.txt")
    assert sum(len(a.strengths) for a in res.evaluation.areas) == sum(
        len(a.strengths) for a in ref.areas
    )
    assert _differing_areas(ref, res.evaluation) == set()
    assert [a.topics for a in res.evaluation.areas] == [a.topics for a in ref.areas]


def test_merged_items_are_named(tmp_path: Path, reference: Evaluation) -> None:
    res = _ingest(tmp_path, inline_glyph("→")(vannas_text()))
    merged = [w for w in res.warnings if "looks like several merged" in w]
    assert {int(w.split(":")[0].split()[1]) for w in merged} == set(range(1, 9))
    area = res.evaluation.area(1)
    assert area is not None and len(area.strengths) == 1


def test_hyphen_inside_an_item_is_no_separator(tmp_path: Path) -> None:
    # The topic 'Etik – motverkan av korruption' stays whole in every inline-dash variant.
    for glyph in ["-", "–"]:
        text = vannas_text().replace("Etik – motverkan", f"Etik {glyph} motverkan")
        text = next(v for v in VARIANTS if v.name == f"inline-{glyph}").make(text)
        area = _ingest(tmp_path, text).evaluation.area(1)
        assert area is not None
        assert f"Etik {glyph} motverkan av korruption" in area.topics


def test_unknown_label_is_not_stored_as_summary(tmp_path: Path, reference: Evaluation) -> None:
    res = _ingest(
        tmp_path,
        next(v for v in VARIANTS if v.name == "unknown-strengths-label").make(vannas_text()),
    )
    area = res.evaluation.area(4)
    ref = reference.area(4)
    assert area is not None and ref is not None
    assert area.summary == ref.summary  # the list did not become paragraphs
    assert area.strengths == () and area.improvements == ()
    assert any("area 4:" in w and "not stored" in w for w in res.warnings)


@pytest.mark.parametrize(
    ("encoding", "expect"),
    [("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
)
def test_other_encodings_are_refused_in_one_line(
    tmp_path: Path, encoding: str, expect: str
) -> None:
    path = tmp_path / "vannas.txt"
    path.write_bytes(vannas_text().encode(encoding))
    with pytest.raises(IngestError) as info:
        ingest_path(path)
    assert "\n" not in str(info.value) and str(info.value).startswith(f"{path}: ")
    assert expect in str(info.value)


def test_stored_text_is_nfc(tmp_path: Path) -> None:
    import unicodedata

    res = _ingest(tmp_path, next(v for v in VARIANTS if v.name == "nfd").make(vannas_text()))
    ev = res.evaluation
    texts = [ev.municipality, *(t for a in ev.areas for t in (*a.strengths, *a.summary, a.name))]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert ev.municipality == "Vännäs"


@pytest.mark.parametrize("name", ["gronnvik-ks-2010-no.txt", "angsmora-skr-2020-sv.txt"])
def test_sentences_with_dashes_stay_summary_paragraphs(name: str) -> None:
    # "… lederutviklingsprogram – «Lederløftet» – som …" is a sentence, not an inline list.
    res = ingest_path(GRONNVIK.parent / name)
    assert not [w for w in res.warnings if "not stored" in w]
    if name.startswith("gronnvik"):
        area = res.evaluation.area(4)
        assert area is not None
        assert any("– «Lederløftet» –" in p for p in area.summary)


def test_scores_from_headings_when_table_1_is_missing(tmp_path: Path) -> None:
    make = next(v for v in VARIANTS if v.name == "heading-points-no-table1").make
    res = _ingest(tmp_path, make(vannas_text()))
    assert res.fidelity is not None
    assert [a.score_from for a in res.fidelity.areas] == ["heading"] * 8
    assert res.fidelity.total_from == "sum of areas" and res.fidelity.total == 460
