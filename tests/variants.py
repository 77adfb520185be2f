"""Layout variants of the Vännäs 2016 report, as converters and copy-paste change a report.

Each variant is a function of the report's text. ``VARIANTS`` names them with what ingest must
do: ``exact`` (the same figures and item texts as the unmodified report), ``lossy`` (information
is really gone: every area that differs must be named by a warning) or a changed expectation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VANNAS = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
HEADER = "Styrkor\tFörbättringsmöjligheter"
_UL = re.compile(r"<ul[^>]*>")


def vannas_text() -> str:
    return VANNAS.read_text(encoding="utf-8")


def _items(cell: str) -> list[str]:
    return [x.strip() for x in _UL.sub("", cell).split("•") if x.strip()]


def list_rows(text: str) -> list[tuple[int, list[str], list[str]]]:
    """(line index, strengths, improvements) of every strengths/improvements row, area by area."""
    lines = text.split("\n")
    out = []
    for i, ln in enumerate(lines):
        if ln == HEADER:
            left, _, right = lines[i + 1].partition("\t")
            out.append((i + 1, _items(left), _items(right)))
    return out


def _rewrite_lists(
    text: str, render: Callable[[int, list[str], list[str]], list[str]], header: str = HEADER
) -> str:
    """Replace each area's header + list row by ``render(area, strengths, improvements)``."""
    lines = text.split("\n")
    for area, (i, s, imp) in reversed(list(enumerate(list_rows(text), 1))):
        lines[i - 1 : i + 1] = render(area, s, imp)
    return "\n".join(lines)


# ---------------------------------------------------------------- the variants


def inline_glyph(glyph: str) -> Callable[[str], str]:
    """Every inline list (topics, strengths, improvements) bulleted with ``glyph``."""

    def variant(text: str) -> str:
        return "\n".join(
            re.sub(r" *• *", f" {glyph} ", ln).strip(" ") if "•" in ln else ln
            for ln in text.split("\n")
        )

    return variant


def per_line_glyph(glyph: str) -> Callable[[str], str]:
    """Strengths and improvements as two lists, one item a line, each under its own label."""

    def render(_: int, s: list[str], imp: list[str]) -> list[str]:
        return [
            "Styrkor",
            *[f"{glyph} {x}" for x in s],
            "",
            "Förbättringsmöjligheter",
            *[f"{glyph} {x}" for x in imp],
        ]

    return lambda text: _rewrite_lists(text, render)


def _rows(s: list[str], imp: list[str], wrap: bool) -> list[str]:
    rows = []
    for k in range(max(len(s), len(imp))):
        left = f"• {s[k]}" if k < len(s) else ""
        right = f"• {imp[k]}" if k < len(imp) else ""
        if wrap and k == 0 and " " in s[0]:
            # the first strength wraps: its second half is the next row's left cell
            head, tail = s[0].split(" ", 1)
            rows += [f"• {head}\t{right}", tail]
            continue
        if wrap and right and len(imp[k].split()) > 3:
            words = imp[k].split()
            rows += [f"{left}\t• {' '.join(words[:2])}", f"\t{' '.join(words[2:])}"]
            continue
        rows.append(f"{left}\t{right}" if left else f"\t{right}")
    return rows


def table_rows(text: str) -> str:
    """The two-column table one item per row, as PDF converters give it."""
    return _rewrite_lists(text, lambda _, s, imp: [HEADER, *_rows(s, imp, wrap=False)])


def wrapped_cells(text: str) -> str:
    """As table_rows, with a strength and the longer improvements wrapped onto a second row."""
    return _rewrite_lists(text, lambda _, s, imp: [HEADER, *_rows(s, imp, wrap=True)])


def wrapped_inline() -> Callable[[str], str]:
    """The one-line table cell of strengths broken inside an item, as a copy-paste wraps it."""

    def render(_: int, s: list[str], imp: list[str]) -> list[str]:
        half = len(s) // 2
        words = s[half].split()
        first = " • ".join([*s[:half], " ".join(words[: max(1, len(words) // 2)])])
        rest = " • ".join([" ".join(words[max(1, len(words) // 2) :]), *s[half + 1 :]])
        return [HEADER, f"<ul> • {first}", f"{rest}\t<ul> • {' • '.join(imp)}"]

    return lambda_text(render)


def lambda_text(render: Callable[[int, list[str], list[str]], list[str]]) -> Callable[[str], str]:
    return lambda text: _rewrite_lists(text, render)


def furniture_in_lists(line: str) -> Callable[[str], str]:
    """A page break (``line``, blank lines around it) inside every strengths list."""

    def render(_: int, s: list[str], imp: list[str]) -> list[str]:
        half = max(1, len(s) // 2)
        return [
            HEADER,
            f"<ul> • {' • '.join(s[:half])}",
            "",
            line,
            "",
            f"• {' • '.join(s[half:])}\t<ul> • {' • '.join(imp)}",
        ]

    return lambda_text(render)


def furniture_in_per_line_lists(text: str) -> str:
    """Page numbers and a running footer between the items of one-a-line lists and paragraphs."""
    text = per_line_glyph("•")(text)
    lines = text.split("\n")
    out = []
    for k, ln in enumerate(lines):
        out.append(ln)
        if ln.startswith("• ") and k % 3 == 0:
            out += ["Sida 12 av 24"]
        elif ln.startswith("Förbättringsmöjligheter"):
            out += ["2 (25)"]
        elif ln.startswith("Det pågår") or ln.startswith("Idag har"):
            out += ["", "Sveriges Kommuner och Landsting 2017-05-13 2 (25)"]
    return "\n".join(out)


def running_header(text: str) -> str:
    """A running header between list rows and paragraphs of every area, page numbers varying."""
    lines = text.split("\n")
    out = []
    page = 3
    for ln in lines:
        out.append(ln)
        if ln == HEADER or ln.startswith("Sammanfattning"):
            page += 1
            out += ["", f"Kommunkompassen · Vännäs kommun 2016 · sida {page}", ""]
    return "\n".join(out)


def empty_improvements(area: int, trailing_tab: bool) -> Callable[[str], str]:
    """Area ``area`` prints no improvements: its right column is empty."""

    def render(n: int, s: list[str], imp: list[str]) -> list[str]:
        right = f"\t<ul> • {' • '.join(imp)}" if n != area else ("\t" if trailing_tab else "")
        return [HEADER, f"<ul> • {' • '.join(s)} {right}"]

    return lambda_text(render)


def swapped_headers(text: str) -> str:
    return _rewrite_lists(
        text,
        lambda _, s, imp: [
            "Förbättringsmöjligheter\tStyrkor",
            f"<ul> • {' • '.join(imp)}\t<ul> • {' • '.join(s)}",
        ],
    )


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def zero_width(text: str) -> str:
    """Zero-width spaces in the labels, soft hyphens and a BOM in words, NBSPs for spaces."""
    text = text.replace("Styrkor\t", "Sty\u200brkor\t").replace(
        "Sammanfattning", "Samman\u200bfattning"
    )
    text = text.replace("Medborgarförslag", "Medborgar\u00adförslag").replace(
        "Etablerad ", "Etablerad\u00a0"
    )
    return "\ufeff" + text


def crlf_and_spaces(text: str) -> str:
    """Windows line ends; table columns separated by runs of spaces instead of tabs."""
    return text.replace("\t", "    ").replace("\n", "\r\n")


def heading_points(drop_table1: bool, disagree: bool = False) -> Callable[[str], str]:
    """2016-style headings that end with the area's points; Table 1 kept or removed."""

    def variant(text: str) -> str:
        scores = {
            int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d)\. .*\t(\d+)$", text, re.M)
        }
        if disagree:
            scores[3] = "66"

        def heading(m: re.Match[str]) -> str:
            return f"{m.group(0)} {scores[int(m.group(1))]} poäng"

        text = re.sub(r"^Område (\d) .*$", heading, text, flags=re.M)
        if drop_table1:
            text = re.sub(r"\tResultat 2016\n(?:.*\t\d+\n)+TOTALT\t460\n", "", text)
        return text

    return variant


def unknown_strengths_label(text: str) -> str:
    """Area 4's header reworded ('Styrkor och svagheter'): its lists cannot be assigned."""
    rows = list_rows(text)
    lines = text.split("\n")
    lines[rows[3][0] - 1] = "Styrkor och svagheter\tAtt utveckla"
    return "\n".join(lines)


@dataclass(frozen=True)
class Variant:
    name: str
    make: Callable[[str], str]
    expect: str  # "exact" | "lossy" | "no-improvements:<area>" | "heading-warning"


VARIANTS = [
    *[Variant(f"inline-{g}", inline_glyph(g), "exact") for g in ["-", "*", "▪", "○", "·", "\uf0b7", "➢"]],
    Variant("inline-unknown-glyph", inline_glyph("→"), "lossy"),  # lists merge: warned as merged
    Variant("inline-–", inline_glyph("–"), "lossy"),  # an item holds ' – ' in the report
    *[Variant(f"per-line-{g}", per_line_glyph(g), "exact") for g in ["•", "-", "–", "*", "▪", "○", "·"]],
    Variant("table-rows", table_rows, "exact"),
    Variant("wrapped-cells", wrapped_cells, "exact"),
    Variant("wrapped-inline", wrapped_inline(), "exact"),
    *[
        Variant(f"furniture-{k}", furniture_in_lists(line), "exact")
        for k, line in enumerate(
            ["12", "Sida 12 av 24", "2 (25)", "Sveriges Kommuner och Landsting 2017-05-13 2 (25)", "KS-K rapport 27/2015"]
        )
    ],
    Variant("furniture-per-line", furniture_in_per_line_lists, "exact"),
    Variant("running-header", running_header, "exact"),
    Variant("empty-improvements-tab", empty_improvements(6, True), "no-improvements:6"),
    Variant("empty-improvements", empty_improvements(2, False), "no-improvements:2"),
    Variant("swapped-headers", swapped_headers, "exact"),
    Variant("nfd", nfd, "exact"),
    Variant("zero-width", zero_width, "exact"),
    Variant("crlf-spaces", crlf_and_spaces, "exact"),
    Variant("heading-points", heading_points(drop_table1=False), "exact"),
    Variant("heading-points-no-table1", heading_points(drop_table1=True), "exact"),
    Variant("heading-disagrees", heading_points(drop_table1=False, disagree=True), "heading-warning"),
    Variant("unknown-strengths-label", unknown_strengths_label, "lossy"),
]  # fmt: skip
