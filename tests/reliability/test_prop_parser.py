"""Property tests of the report parser: any text gives an Evaluation or a one-line IngestError.

Texts are built from what reports are made of (labels, area headings, score rows, bullets, tabs,
numbers, cover lines, unicode) and from random cuts and edits of the real Vännäs 2016 report. When
the parser accepts a text, what it made must also survive the rest of the pipeline: validation,
the corpus YAML it would write, and reading that YAML back.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from kompass_search.corpus import from_mapping, safe_load
from kompass_search.corpus_write import dump
from kompass_search.errors import IngestError
from kompass_search.ingest import ingest_path, parse_text
from kompass_search.taxonomy import templates
from kompass_search.validate import check_evaluation

from ._support import ROOT, assert_kompass_error, count, examples

WHERE = "fuzz/report.txt"
SOURCES = [
    ROOT / "corpus" / "sources" / "vannas-2016-skl.txt",
    ROOT / "tests" / "data" / "reports" / "angsmora-skr-2020-sv.txt",
    ROOT / "tests" / "data" / "reports" / "gronnvik-ks-2010-no.txt",
]
AREA_NAMES = sorted({a.name for t in templates().values() for a in t.areas})
REAL = [p.read_text(encoding="utf-8").splitlines() for p in SOURCES if p.is_file()]

LABELS = [
    "KommunKompassen", "Kommunekompasset", "ANALYS AV", "EVALUERING AV", "Analyse av",
    "Område", "Fokusområde", "Rubriker", "Overskrifter", "Poäng", "Poeng", "Allmänt", "Generelt",
    "Sammanfattning", "Sammendrag", "Oppsummering", "Styrkor", "Styrker",
    "Förbättringsmöjligheter", "Förbättringsområden", "Forbedringsområder", "Utfordringer",
    "Översikt av poängfördelning", "Oversikt over poengfordeling", "Poängsammanställning",
    "Uppnått", "Max", "Procent", "Oppnådd", "Maks", "Prosent", "Resultat", "TOTALT", "Totalt",
    "Sum", "VÄNNÄS KOMMUN", "Grønnvik kommune", "Ängsmora stad", "januari 2016", "OKTOBER 2012",
    "Leif Eldås, SKL", "Kari Nordmo, KS", "1 Vad är Kommunkompassen?", "Tabell 1",
    "Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Verksamhetsutveckling",
    "Kommunen som arbetsgivare - personalpolitik", "Politisk styring og kontroll",
]  # fmt: skip
BULLETS = ["•", "• ", "- ", "– ", "— ", "* ", "▪ ", "● ", "◦ ", "· ", "(cid:127) "]
ODD = ["\u00a0", "\u200b", "\u202f", "\u3000", "\ufeff", "\u2028", "\x0c", "\x00", "\x1b[0m",
       "<b>", "</td>", "<br/>", "&nbsp;", "\t\t", "    "]  # fmt: skip

numbers = st.one_of(
    st.integers(-5, 1000).map(str),
    st.floats(0, 200, allow_nan=False).map(lambda x: f"{x:.1f}".replace(".", ",")),
    st.integers(0, 150).map(lambda n: f"{n}%"),
    st.integers(0, 150).map(lambda n: f"{n} %"),
    st.sampled_from(["1.2", "2.10", "9.9", "0.0", "8.", "3.15.", "1e9", "NaN", "inf", "-0"]),
    st.integers(1880, 2200).map(lambda y: f"Resultat {y}"),
    st.integers(0, 12).map(lambda n: f"Område {n}"),
    st.integers(0, 12).map(lambda n: f"Fokusområde {n}:"),
    st.integers(0, 12).map(lambda n: f"{n}. Offentlighet och demokrati"),
)
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=30
)
cell = st.one_of(
    st.sampled_from(LABELS),
    numbers,
    words,
    st.sampled_from(ODD),
    st.tuples(st.sampled_from(BULLETS), words).map("".join),
)
line = st.one_of(
    st.just(""),
    st.lists(cell, min_size=1, max_size=6).flatmap(
        lambda cells: st.sampled_from(["\t", "  ", " ", "\t \t"]).map(lambda sep: sep.join(cells))
    ),
    st.tuples(st.sampled_from(["\t", "   ", ""]), cell).map("".join),
)
fragment_text = st.tuples(
    st.lists(line, min_size=0, max_size=60), st.sampled_from(["\n", "\r\n", "\r"])
).map(lambda t: t[1].join(t[0]))


@st.composite
def mutated_report(draw: st.DrawFn) -> str:
    """A window of a real report, then a few edits: lines dropped, doubled, swapped, changed."""
    lines = list(draw(st.sampled_from(REAL)))
    start = draw(st.integers(0, len(lines) // 2))
    end = draw(st.integers(start, len(lines)))
    lines = lines[start:end] if draw(likely) else lines
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(["drop", "double", "swap", "replace", "insert", "digits", "tabs"])
        )
        if op == "drop":
            del lines[i : i + draw(st.integers(1, 40))]
        elif op == "double":
            lines[i:i] = lines[i : i + draw(st.integers(1, 40))]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "replace":
            lines[i] = draw(line)
        elif op == "insert":
            lines.insert(i, draw(line))
        elif op == "digits":
            lines[i] = "".join(
                draw(st.sampled_from("0123456789,.%-")) if c.isdigit() else c for c in lines[i]
            )
        else:
            lines[i] = lines[i].replace("\t", draw(st.sampled_from(["", " ", "  ", "\t\t"])))
    return "\n".join(lines)


likely = st.integers(0, 5).map(bool)
prose = st.one_of(st.sampled_from(LABELS), words, st.just("Kommunen har en tydlig styrmodell"))


@st.composite
def skeleton_report(draw: st.DrawFn) -> str:
    """A whole report built part by part (cover, results table, area sections, score overview),
    each part present or not, with random names, numbers and noise: reaches assembly and checks."""
    no = draw(st.booleans())
    name = draw(
        st.sampled_from(["VÄNNÄS", "Grønnvik", "Ängsmora", "X", "Å-Ø Æ", "ab cd ef"]) | prose
    )
    score = st.integers(0, 100).map(str)
    odd = st.one_of(st.integers(-10, 250).map(str), numbers, prose)
    num = st.integers(0, 15).flatmap(lambda k: score if k else odd)  # mostly plausible
    area_name = st.one_of(st.sampled_from(AREA_NAMES), st.sampled_from(AREA_NAMES), prose)
    out: list[str] = []
    if draw(likely):
        out += ["Kommunekompasset" if no else "KommunKompassen", "",
                draw(st.sampled_from(["EVALUERING AV", "ANALYSE AV"] if no else ["ANALYS AV", "Utvärdering av"])),
                "", f"{name} {'KOMMUNE' if no else 'KOMMUN'}", "",
                draw(st.sampled_from(["OKTOBER 2012", "januari 2016", "mai 2023", "Smarch 2016", ""])), "",
                draw(st.sampled_from(["Leif Eldås, SKL", "Kari Nordmo, KS", "", "A B, C"]))]  # fmt: skip
    out += ["", "1 Vad är Kommunkompassen?", ""]
    areas = draw(
        st.one_of(
            st.just(list(range(1, 9))),
            st.permutations(range(1, 9)).map(list),
            st.lists(st.integers(0, 10), max_size=10),
        )
    )
    if draw(likely):
        out += [f"\tResultat {draw(st.integers(1985, 2110))}"]
        out += [f"{n}. {draw(area_name)}\t{draw(num)}" for n in areas]
        if draw(likely):
            out += [f"TOTALT\t{draw(num)}"]
        out += [""]
    heading = "Fokusområde" if no else "Område"
    for n in areas if draw(likely) else []:
        out += [
            f"{heading} {n} {draw(area_name)}",
            "",
            f"{'Overskrifter' if no else 'Rubriker'}\t{'Poeng' if no else 'Poäng'}",
        ]
        out += [f"• {draw(prose)} • {draw(prose)}\t{draw(num)}", ""]
        out += ["Sammendrag" if no else "Sammanfattning", "", draw(prose), ""]
        if draw(likely):
            out += [
                f"{'Styrker' if no else 'Styrkor'}\t{'Forbedringsområder' if no else 'Förbättringsområden'}"
            ]
            out += [f"• {draw(prose)} • {draw(prose)}\t• {draw(prose)}"]
        else:
            out += [
                "Styrker" if no else "Styrkor",
                *[f"- {w}" for w in draw(st.lists(prose, max_size=4))],
                "",
            ]
            out += ["Forbedringsområder" if no else "Förbättringsmöjligheter", f"• {draw(prose)}"]
        out += [""]
    if draw(likely):
        out += ["4 Oversikt over poengfordeling" if no else "4 Översikt av poängfördelning", ""]
        cols = "Oppnådd\tMaks\tProsent" if no else "Uppnått\tMax\tProcent"
        for n in areas:
            out += [f"{n}.\t{draw(area_name)}\t{cols}"]
            for k in range(draw(st.integers(0, 4))):
                out += [
                    f"{n}.{k + draw(st.integers(0, 1))}\t{draw(prose)}?\t{draw(num)}\t{draw(num)}\t{draw(num)}"
                ]
            out += [f"\t\t{draw(num)}\t{draw(num)}\t{draw(num)}", ""]
    for _ in range(draw(st.integers(0, 3))):  # noise anywhere
        out.insert(draw(st.integers(0, len(out))), draw(line))
    return "\n".join(out)


def _accepts(text: str, name: str) -> None:
    try:
        ev, warnings, _tmpl = parse_text(text, WHERE)
    except Exception as e:
        assert_kompass_error(e, name)
        assert isinstance(e, IngestError), repr(e)
        assert str(e).startswith(f"{WHERE}: "), f"message does not name the file: {e}"
        return
    assert all(isinstance(w, str) and "\n" not in w for w in warnings)
    check_evaluation(ev)  # must not raise: its findings are data, not exceptions
    # What ingest would write must read back as the same evaluation.
    assert from_mapping(safe_load(dump(ev)), Path("roundtrip.yaml")) == ev


@examples(1500)
@given(fragment_text)
@example("")
@example("Styrkor\nStyrkor\nStyrkor\nOmråde 1")
@example("ANALYS AV\n\nX KOMMUN\n\n\tResultat 2016\n1. A\t1\nTOTALT\t1\nStyrkor\nStyrkor\nStyrkor")
def test_parser_on_report_fragments(text: str) -> None:
    count("parser: report-like fragments")
    _accepts(text, "parser: report-like fragments")


@examples(500)
@given(skeleton_report())
def test_parser_on_generated_reports(text: str) -> None:
    count("parser: generated whole reports")
    _accepts(text, "parser: generated whole reports")


@examples(150)
@given(mutated_report())
def test_parser_on_mutated_real_reports(text: str) -> None:
    count("parser: mutated real reports")
    _accepts(text, "parser: mutated real reports")


@examples(400)
@given(
    st.one_of(
        st.binary(max_size=3000),
        fragment_text.flatmap(
            lambda t: st.sampled_from(["utf-8", "utf-16", "utf-16-be", "latin-1", "cp1252"]).map(
                lambda enc: t.encode(enc, "replace")
            )
        ),
        st.sampled_from(REAL).map(lambda lines: "\n".join(lines).encode("utf-8")),
    ),
    st.sampled_from([".txt", ".pdf", ".docx", ""]),
)
def test_ingest_path_on_random_bytes(tmp_path_factory: object, data: bytes, suffix: str) -> None:
    count("ingest: random bytes as a report file")
    folder = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    path = folder / f"report{suffix}"
    path.write_bytes(data)
    try:
        result = ingest_path(path)
    except Exception as e:
        assert_kompass_error(e, "ingest: random bytes as a report file")
        assert str(path) in str(e), f"message does not name the file: {e}"
        return
    assert result.evaluation.areas
