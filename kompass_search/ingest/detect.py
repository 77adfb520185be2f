"""Which language and template a report uses, and the label matching the parser shares."""

from __future__ import annotations

import re

from ..taxonomy import Template, templates
from .lines import Line

AREA_ROW = re.compile(r"^(\d)\.?\s+(\S.*)$")
# "Område 1 Offentlighet och demokrati 49 poäng": 2016 reports end the heading with the points
_HEADING_POINTS = re.compile(r"^(.*?\S)\s+(\d{1,3}(?:[.,]\d)?)\s*(?:poäng|poeng|p\.?)?$", re.I)


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def is_label(line: Line, labels: list[str]) -> bool:
    return bool(line.cells) and fold(line.cells[0]) in {fold(x) for x in labels}


def area_heading(line: Line, tmpl: Template) -> tuple[int, str, float | None] | None:
    """(number, name, points printed in the heading or None) of an area heading line."""
    if not line.cells or len(line.cells) > 2:
        return None
    text = line.text
    for pattern in tmpl.label("area_heading"):
        rx = re.escape(pattern).replace(re.escape("{n}"), r"(\d)")
        m = re.match(rf"^{rx}\b\s*[:.\-–]?\s*(.{{0,120}})$", text, flags=re.IGNORECASE)
        if m and 1 <= int(m.group(1)) <= len(tmpl.areas):
            name, points = m.group(2).strip(), None
            p = _HEADING_POINTS.match(name)
            if p and float(p.group(2).replace(",", ".")) <= 100:
                name, points = p.group(1), float(p.group(2).replace(",", "."))
            return int(m.group(1)), name, points
    return None


def detect_language(lines: list[Line]) -> str | None:
    """The language whose part labels (Styrkor/Styrker, Område/Fokusområde, ...) occur most often."""
    best, best_hits = None, 0
    for lang, tmpl in {t.language: t for t in templates().values()}.items():
        keys = ("strengths", "improvements", "summary", "topics_table", "score_overview", "general")
        labels = {fold(x) for k in keys for x in tmpl.label(k)}
        hits = sum(1 for ln in lines for c in ln.cells[:2] if fold(c) in labels)
        hits += sum(1 for ln in lines if area_heading(ln, tmpl) is not None)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best if best_hits >= 3 else None


def detect_template(lines: list[Line], language: str) -> Template:
    """The template of ``language`` whose area names match the most names printed in the report."""
    candidates = [t for t in templates().values() if t.language == language]
    texts = {fold(AREA_ROW.sub(r"\2", c)) for ln in lines for c in ln.cells[:2]}
    texts |= {fold(h[1]) for ln in lines if (h := area_heading(ln, candidates[0])) is not None}

    def hits(t: Template) -> tuple[int, int]:
        exact = sum(1 for a in t.areas if fold(a.name) in texts)
        variants = sum(1 for a in t.areas if any(fold(n) in texts for n in a.names))
        return exact + variants, -len(t.id)

    return max(sorted(candidates, key=lambda t: t.id), key=hits)
