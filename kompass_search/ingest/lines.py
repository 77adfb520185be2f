"""Normalized report lines: cells split on tabs or runs of spaces, HTML leftovers and odd spaces removed."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]{1,200}>")
# NEL, LS and PS too: YAML reads them as line breaks, so kept they would not survive the corpus file
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f\u3000\x85\u2028\u2029]+")
_CELL_SPLIT = re.compile(r"\t+| {2,}")
BULLET_INLINE = "•"
BULLET_START = re.compile(r"^\s*(?:[•▪●◦·*]|[–—-](?=\s))\s*")


@dataclass(frozen=True)
class Line:
    """One line of a report: its cells (tab/space-separated columns) and its text."""

    number: int  # 1-based line number in the source text
    cells: tuple[str, ...]
    indented: bool = False  # began with a tab or spaces: a table row whose first cells are empty

    @property
    def text(self) -> str:
        return " ".join(self.cells)

    @property
    def blank(self) -> bool:
        return not self.cells


def clean(text: str) -> str:
    """One cell's text with HTML tags removed and whitespace collapsed."""
    return _SPACES.sub(" ", _TAG.sub(" ", text)).strip()


def split_lines(text: str) -> list[Line]:
    out = []
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        raw = _TAG.sub(" ", raw).replace("\u00a0", " ")
        cells = tuple(c for c in (clean(c) for c in _CELL_SPLIT.split(raw)) if c)
        out.append(Line(i, cells, indented=bool(raw[:1].isspace() and cells)))
    return out


def split_items(text: str) -> list[str]:
    """Bulleted items of a cell or block: inline '•' bullets, or one item per line after •, – or -."""
    parts: list[str] = []
    for line in text.split("\n"):
        if BULLET_INLINE in line:
            head, *rest = line.split(BULLET_INLINE)
            if head.strip() and parts:
                parts[-1] += " " + head.strip()
            elif head.strip():
                parts.append(head.strip())
            parts.extend(r.strip() for r in rest)
        elif BULLET_START.match(line):
            parts.append(BULLET_START.sub("", line, count=1).strip())
        elif line.strip() and parts:
            parts[-1] += " " + line.strip()  # a wrapped item continues
        elif line.strip():
            parts.append(line.strip())
    return [clean(p) for p in parts if clean(p)]
