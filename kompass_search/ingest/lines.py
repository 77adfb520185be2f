"""Normalized report lines: NFC text, cells split on tabs or runs of spaces, page furniture marked."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]{1,200}>")
# NEL, LS and PS too: YAML reads them as line breaks, so kept they would not survive the corpus file
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u3000\x85\u2028\u2029]+")
# Invisible characters a copy-paste or a converter leaves inside words ("Sty\u200brkor"): zero-width
# spaces and joiners, word joiner, BOM, soft hyphen. They are removed, never turned into spaces.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CELL_SPLIT = re.compile(r"\t+| {2,}")
# Page numbers and running headers/footers as converters leave them in the text: "12",
# "Sida 12 av 24", "2 (25)", "Sveriges Kommuner och Landsting 2017-05-13 2 (25)", "KS-K rapport 27/2015".
_FURNITURE = re.compile(
    r"^(?:(?:sida|side|page|s\.)\s*\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3})?"
    r"|(?:.{0,100}\S\s+)?\d{1,3}\s*\(\d{1,3}\)"
    r"|ks-k rapport \d{1,3}/(?:19|20)\d\d)$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")


def normalize(text: str) -> str:
    """NFC (a macOS copy-paste is NFD), no invisible characters, one kind of line end."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Line:
    """One line of a report: its cells (tab/space-separated columns) and its text."""

    number: int  # 1-based line number in the source text
    cells: tuple[str, ...]
    indented: bool = False  # began with a tab: a table row whose first cells are empty

    @property
    def text(self) -> str:
        return " ".join(self.cells)

    @property
    def blank(self) -> bool:
        return not self.cells

    @property
    def furniture(self) -> bool:
        """A page number, running header or footer (a bare number only counts inside prose/lists)."""
        return len(self.cells) <= 2 and bool(_FURNITURE.match(self.text))

    @property
    def page_number(self) -> bool:
        return len(self.cells) == 1 and bool(_BARE_NUMBER.match(self.cells[0]))


def clean(text: str) -> str:
    """One cell's text with HTML tags removed and whitespace collapsed."""
    return _SPACES.sub(" ", _TAG.sub(" ", text)).strip()


def split_lines(text: str) -> list[Line]:
    out = []
    for i, raw in enumerate(normalize(text).split("\n"), 1):
        # A leading tab is an empty first column; leading spaces before a tag ("<ul> • a") are not.
        indented = raw[:1] == "\t" or raw.startswith("    ")
        raw = _TAG.sub(" ", raw).replace("\u00a0", " ")
        cells = tuple(c for c in (clean(c) for c in _CELL_SPLIT.split(raw)) if c)
        out.append(Line(i, cells, indented=indented and bool(cells)))
    return out
