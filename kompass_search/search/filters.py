"""Exact search filters (area, theme, country, years, template, kind, scores, municipality) as row masks."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from ..errors import NotFoundError, QueryError
from ..index.format import KIND_CODE, LABEL_CODE
from ..models import COUNTRIES, KINDS
from ..names import name_key, split_who
from ..taxonomy import resolve_area, templates

if TYPE_CHECKING:
    from ..index.reader import Index

_KIND_ALIASES = {"strengths": "strength", "improvements": "improvement", "summaries": "summary"}
_YEARS = re.compile(r"^\s*(\d{4})?\s*(?:(-|\.\.)\s*(\d{4})?)?\s*$")


def _kinds(spec: str) -> str | None:
    """'strength', 'strengths,summary' or 'all' -> a canonical comma list (None for all kinds)."""
    if spec.strip().lower() == "all":
        return None
    kinds = []
    for part in spec.split(","):
        k = _KIND_ALIASES.get(part.strip().lower(), part.strip().lower())
        if k not in KINDS:
            raise QueryError(
                f"--kind {part.strip()!r}: use one of {', '.join(KINDS)}, a comma list, or all"
            )
        if k not in kinds:
            kinds.append(k)
    return ",".join(k for k in KINDS if k in kinds)


@dataclass(frozen=True)
class Filters:
    """Conditions every result must meet; ``None`` means no condition. Applied before ranking.

    ``area`` is an area number within each evaluation's own template; ``theme`` matches areas
    across templates. ``min_subquestion_score`` keeps only strengths linked to a subquestion
    scoring at least that (other passages have no subquestion score and are left out).
    """

    area: int | None = None
    theme: str | None = None
    country: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    template: str | None = None
    kind: str | None = None
    min_area_score: float | None = None
    min_subquestion_score: float | None = None
    municipality: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        area: str | None = None,
        country: str | None = None,
        year: str | None = None,
        template: str | None = None,
        kind: str | None = None,
        min_area_score: float | None = None,
        min_subquestion_score: float | None = None,
        municipality: str | None = None,
    ) -> Filters:
        """Filters from command-line style values; bad values raise a one-line error naming the option."""
        number, theme = area_spec(area) if area is not None else (None, None)
        if country is not None:
            country = parse_country(country)
        year_from, year_to = _years(year) if year is not None else (None, None)
        if template is not None and template not in templates():
            raise QueryError(
                f"--template {template!r}: known templates are {', '.join(sorted(templates()))}"
            )
        if kind is not None:
            kind = _kinds(kind)
        for name, value in (
            ("--min-area-score", min_area_score),
            ("--min-subquestion-score", min_subquestion_score),
        ):
            if value is not None and not 0 <= value <= 100:
                raise QueryError(f"{name} {value:g}: scores run from 0 to 100")
        if municipality is not None and not municipality.strip():
            raise QueryError("--municipality: give a municipality name")
        return cls(
            number,
            theme,
            country,
            year_from,
            year_to,
            template,
            kind,
            min_area_score,
            min_subquestion_score,
            municipality,
        )

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def mask(self, index: Index) -> np.ndarray | None:
        """A boolean mask over the index's passages, or None when nothing is filtered."""
        if self.is_empty():
            return None
        col = index.column
        m = np.ones(index.count, dtype=bool)
        if self.area is not None:
            m &= col("area") == self.area
        if self.theme is not None:
            m &= col("theme") == index.code("themes", self.theme)
        if self.country is not None:
            m &= col("country") == index.code("countries", self.country)
        if self.template is not None:
            m &= col("template") == index.code("templates", self.template)
        if self.kind is not None:
            m &= kind_mask(index, self.kind.split(","))
        if self.year_from is not None:
            m &= col("year") >= self.year_from
        if self.year_to is not None:
            m &= col("year") <= self.year_to
        if self.min_area_score is not None:
            m &= col("area_score") >= self.min_area_score  # NaN (no score) compares False
        if self.min_subquestion_score is not None:
            m &= col("sq_score") >= self.min_subquestion_score
        if self.municipality is not None:
            m &= np.isin(col("eval"), self._evaluations(index))
        return m

    def _evaluations(self, index: Index) -> np.ndarray:
        assert self.municipality is not None
        name, year = split_who(self.municipality)
        want = name_key(name)
        found = [
            i
            for i, e in enumerate(index.evaluations)
            if name_key(e.municipality) == want and year in (None, e.year)
        ]
        if not found:
            names = sorted({e.municipality for e in index.evaluations})
            import difflib  # here: not on a search's way (start-up)

            close = difflib.get_close_matches(self.municipality, names, n=3, cutoff=0.5)
            hint = (
                f"did you mean {' or '.join(close)}?"
                if close
                else f"indexed: {', '.join(names[:10])}"
            )
            raise NotFoundError(
                f"--municipality {self.municipality[:60]!r}: no passages in the index; {hint}"
            )
        return np.asarray(found, dtype=np.int32)


def kind_mask(index: Index, kinds: list[str]) -> np.ndarray:
    """Rows of the given kinds. Summaries are sentences: "summary" selects the practice sentences
    only, "improvement" also the deficit and advice sentences of summaries; neutral sentences are
    context, never results of their own."""
    kind, label = index.column("kind"), index.column("label")
    summary = kind == KIND_CODE["summary"]
    m = np.isin(kind, [KIND_CODE[k] for k in kinds if k != "summary"]) & ~summary
    if "summary" in kinds:
        m |= summary & (label == LABEL_CODE["practice"])
    if "improvement" in kinds:
        m |= summary & (label == LABEL_CODE["deficit"])
    return m


def parse_country(spec: str) -> str:
    """A --country value: 'se', ' NO ' -> 'SE', 'NO'; a one-line error otherwise."""
    country = spec.strip().upper()
    if country not in COUNTRIES:
        raise QueryError(f"--country {spec!r}: use one of {', '.join(COUNTRIES)}")
    return country


def area_spec(spec: str, what: str = "--area") -> tuple[int | None, str | None]:
    """An area value (``what``: --area, or AREA for top's argument): (number, None) or (None,
    theme); a one-line error naming ``what`` otherwise."""
    try:
        return resolve_area(spec, what)
    except ValueError:  # '²'.isdigit() is true, int('²') fails
        raise QueryError(f"{what} {spec!r}: not an area number (1-8) or theme") from None


def _years(spec: str) -> tuple[int | None, int | None]:
    """'2016' -> (2016, 2016); '2010-2016', '2010..2016', '2014-', '-2016' -> ranges."""
    m = _YEARS.match(spec)
    if not m or not (m.group(1) or m.group(3)):
        raise QueryError(
            f"--year {spec!r}: give a year (2016) or a range (2010-2016, 2014-, -2016)"
        )
    lo = int(m.group(1)) if m.group(1) else None
    hi = int(m.group(3)) if m.group(3) else (None if m.group(2) else lo)
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"--year {spec!r}: the range runs backwards; write {hi}-{lo}")
    return lo, hi
