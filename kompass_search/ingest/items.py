"""Bulleted lists -> items, whatever the glyph ("•", "–", "-", "*", "▪", "○", "·"), inline or one a line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import clean

# Never used inside words: a separator wherever it stands. U+F0B7 and U+F0A7 are the Symbol and
# Wingdings bullets a Word document keeps when it is converted to text or PDF.
ROUND = "•▪●◦○·■◆❖➢►✓\uf0b7\uf0a7"
DASHES = (
    "–—-*"  # used inside items too ("arbetsgivare - personalpolitik"): a separator only as a bullet
)
GLYPHS = ROUND + DASHES
_START = re.compile(rf"^\s*(?:[{ROUND}]|[{re.escape(DASHES)}](?=\s))\s*")
# What makes an item look like two or more merged ones: bullet-like separators inside it, i.e. a
# round glyph, or a dash or any other symbol standing alone between spaces (" – ", " → ").
_MERGE_MARK = re.compile(rf"[{ROUND}]|(?<=\s)[^\w\s,.;:!?()\"'”“’/%&+<>=]+(?=\s)")
LONG_ITEM = 400  # characters; the longest item of the Vännäs report has 240


def starts_bullet(text: str) -> bool:
    return bool(_START.match(text))


def strip_bullet(text: str) -> str:
    return _START.sub("", text, count=1).strip()


def list_glyph(text: str) -> str | None:
    """The bullet a list uses: the glyph its first line starts with, else an inline '•'."""
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    g = first[:1]
    if g and (g in ROUND or (g in DASHES and first[1:2].isspace())):
        return g
    return "•" if "•" in text else None


def _separator(glyph: str) -> re.Pattern[str]:
    if glyph in ROUND:
        return re.compile(rf"\s*{re.escape(glyph)}\s*")
    return re.compile(rf"(?:^|\s+){re.escape(glyph)}\s+")


@dataclass
class ItemList:
    items: list[str]
    glyph: str | None
    dash_inline: bool = False  # split inside lines on a dash: an item holding that dash was cut


def _lower_start(text: str) -> bool:
    first = next((c for c in text if c.isalpha()), "")
    return first.islower()


def split_list(text: str) -> ItemList:
    """The items of a cell or block: its glyph splits it; lines without one continue an item."""
    glyph = list_glyph(text)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    sep = _separator(glyph) if glyph else None
    # A dash splits inside a line only where items run on one line (a one-line list, or a line
    # holding three or more); one item a line means a dash inside a line belongs to its item.
    inline = glyph is not None and (
        glyph in ROUND
        or len(lines) == 1
        or any(len(_separator(glyph).findall(" " + strip_bullet(ln))) >= 2 for ln in lines)
    )
    parts: list[str] = []
    dash_inline = False
    for line in lines:
        new = starts_bullet(line)
        body = strip_bullet(line) if new else line
        pieces = sep.split(body) if (sep and inline) else [body]
        if glyph and glyph in DASHES and len(pieces) > 1:
            # "Etik – motverkan av korruption": a lower-case start is the rest of the same item.
            capitalised = sum(not _lower_start(p) for p in pieces) * 2 > len(pieces)
            merged: list[str] = []
            for k, piece in enumerate(pieces):
                if k and capitalised and _lower_start(piece):
                    merged[-1] += f" {glyph} {piece}"
                else:
                    merged.append(piece)
            pieces = merged
            dash_inline = dash_inline or len(pieces) > 1
        head, rest = pieces[0], pieces[1:]
        if new or not parts:
            parts.append(head)
        elif head.strip():
            parts[-1] += " " + head  # a wrapped item continues
        parts.extend(rest)
    items = [c for c in (clean(p) for p in parts) if c]
    return ItemList(items, glyph, dash_inline)


def split_items(text: str) -> list[str]:
    return split_list(text).items


def looks_merged(item: str) -> bool:
    return len(_MERGE_MARK.findall(item)) >= 2 or len(item) > LONG_ITEM
