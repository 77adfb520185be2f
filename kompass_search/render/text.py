"""Text helpers shared by every renderer (CLI and TUI): terminal width, wrapping, bars, numbers, Markdown, JSON lines."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections.abc import Iterable
from typing import Any


def width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns))


def json_lines(objects: Iterable[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects)


_GLUED = re.compile(r"(\d) (%|/)")  # "35 %" stays on one line


def wrap(text: str, indent: str, w: int) -> str:
    glued = _GLUED.sub("\\1\u00a0\\2", text)
    filled = textwrap.fill(
        glued, width=w, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )
    return filled.replace("\u00a0", " ")


def bar(value: float | None, maximum: float = 100, width: int = 25) -> str:
    """A horizontal bar in eighths of a cell, e.g. '██████▍' for 26 of 100 at width 25."""
    if value is None:
        return " " * width
    eighths = round(max(0.0, min(1.0, value / maximum)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(width)


def fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def md_escape(text: str) -> str:
    """Escape what Markdown would read as emphasis or links in running text."""
    for ch in "\\*_[]`":
        text = text.replace(ch, "\\" + ch)
    return text
