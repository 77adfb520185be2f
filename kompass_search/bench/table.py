"""Plain-text table helpers shared by the benchmark's reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _fmt(x: Any, spec: str = ".1f") -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x != x:  # NaN
        return "—"
    return format(x, spec) if isinstance(x, int | float) else str(x)


def _ms(x: float | None) -> str:
    return _fmt(x, ".2f" if x is not None and x < 10 else ".1f")


def _grid(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows)]
