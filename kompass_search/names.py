"""Municipality names as people type them: case, accents, 'kommun(e)' and NAME:YEAR, matched to evaluations."""

from __future__ import annotations

import re

from .errors import NotFoundError
from .models import Evaluation, slugify

_WHO = re.compile(r"^(.*?)(?:\s*[:@]\s*(\d{4}))?$")
_SUFFIX = re.compile(r"\s+kommune?$", re.IGNORECASE)


def name_key(name: str) -> str:
    """How a municipality name is matched: case, accents and a trailing 'kommun(e)' aside."""
    return slugify(_SUFFIX.sub("", name.strip()))


def split_who(spec: str) -> tuple[str, int | None]:
    """'Vännäs', 'Vännäs:2016' or 'Vännäs@2016' -> (name, year or None)."""
    m = _WHO.match(spec.strip())
    if not m:
        return spec.strip(), None
    return m.group(1).strip(), int(m.group(2)) if m.group(2) else None


def find_evaluation(
    evals: list[Evaluation], municipality: str, year: int | None = None
) -> Evaluation:
    """The evaluation of ``municipality`` ('Vännäs', 'VÄNNÄS KOMMUN', 'Vännäs:2016'; the latest, or
    of ``year``); close names are suggested."""
    municipality, named_year = split_who(municipality)
    if named_year is not None:
        if year is not None and year != named_year:
            raise NotFoundError(f"{municipality}:{named_year} and --year {year} disagree; give one")
        year = named_year
    if not municipality.strip():
        raise NotFoundError(
            "give a municipality name, e.g. Vännäs (`kompass show --list` lists them)"
        )
    want = name_key(municipality)
    matches = [e for e in evals if name_key(e.municipality) == want]
    if not matches:
        names = sorted({e.municipality for e in evals})
        import difflib  # here: not on a search's way (start-up)

        close = difflib.get_close_matches(municipality, names, n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}?" if close else "see `kompass show --list`"
        # cut and repr'd: a 10 kB argument or a terminal escape is not echoed as it is
        shown = municipality if len(municipality) <= 60 else municipality[:57] + "..."
        raise NotFoundError(f"no evaluation of {shown!r} in the corpus; {hint}")
    if year is not None:
        for e in matches:
            if e.year == year:
                return e
        years = ", ".join(str(e.year) for e in matches)
        raise NotFoundError(f"no evaluation of {matches[0].municipality} in {year}; years: {years}")
    return max(matches, key=lambda e: e.year)
