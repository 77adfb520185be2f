"""Template profiles (areas, themes, labels per template and language), loaded from templates/*.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import datafiles
from .errors import TemplateError


@dataclass(frozen=True)
class AreaDef:
    number: int
    theme: str
    name: str
    variants: tuple[str, ...] = ()
    subquestions: int | None = None  # scored subquestion rows the template has, where known

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@dataclass(frozen=True)
class Template:
    id: str
    description: str
    publisher: str
    tool: str
    country: str
    language: str
    areas: tuple[AreaDef, ...]
    labels: dict[str, Any]

    def area(self, number: int) -> AreaDef:
        for a in self.areas:
            if a.number == number:
                return a
        raise TemplateError(
            f"area {number} does not exist in template {self.id} (areas are 1-{len(self.areas)})"
        )

    def area_by_theme(self, theme: str) -> AreaDef | None:
        return next((a for a in self.areas if a.theme == theme), None)

    def match_area_name(self, text: str) -> AreaDef | None:
        """The area whose name or heading variant matches ``text`` (case and punctuation aside)."""
        key = _norm(text)
        for a in self.areas:
            if any(_norm(n) == key for n in a.names):
                return a
        return None

    def label(self, name: str) -> list[str]:
        return list(self.labels.get(name, []))


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


# the package's own folder, not importlib.resources (~5 ms of imports on every cold citation)
_TEMPLATES = Path(__file__).with_name("templates")


def _read(name: str) -> Any:
    # parsed once per version of the file (datafiles.py): on the cold path of every citation
    return datafiles.load(_TEMPLATES / name)


@cache
def themes() -> dict[str, dict[str, str]]:
    """Theme slug -> names per language (sv, no, en)."""
    return dict(_read("themes.yaml")["themes"])


@cache
def _labels() -> dict[str, dict[str, Any]]:
    return dict(_read("labels.yaml"))


LANGUAGES = ("sv", "no", "en")  # languages of labels and citations (--lang)


def language_labels(lang: str) -> dict[str, Any]:
    """The labels of one language (labels.yaml): words of citations and displays, month names."""
    return dict(_labels().get(lang) or _labels()["sv"])


def label_section(lang: str, section: str, fallback: str) -> dict[str, str]:
    """One section of ``lang``'s labels (labels.yaml: ``words``, ``ui``), or ``fallback``'s when
    ``lang`` has none."""
    return dict(language_labels(lang).get(section) or language_labels(fallback)[section])


@cache
def templates() -> dict[str, Template]:
    """All template profiles shipped in the package, by id."""
    out: dict[str, Template] = {}
    for entry in sorted(_TEMPLATES.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml") or entry.name in ("themes.yaml", "labels.yaml"):
            continue
        raw = _read(entry.name)
        lang = str(raw["language"])
        labels = {**_labels()[lang], **(raw.get("labels") or {})}
        areas = tuple(
            AreaDef(
                int(n),
                str(a["theme"]),
                str(a["name"]),
                tuple(a.get("variants", ())),
                int(a["subquestions"]) if a.get("subquestions") is not None else None,
            )
            for n, a in sorted(raw["areas"].items())
        )
        out[raw["id"]] = Template(
            id=raw["id"],
            description=raw.get("description", ""),
            publisher=raw.get("publisher", ""),
            tool=raw.get("tool", ""),
            country=str(raw["country"]),
            language=lang,
            areas=areas,
            labels=labels,
        )
    return out


def get_template(template_id: str) -> Template:
    try:
        return templates()[template_id]
    except KeyError:
        known = ", ".join(sorted(templates()))
        raise TemplateError(f"unknown template '{template_id}'; known templates: {known}") from None


def theme_name(theme: str, language: str = "sv") -> str:
    names = themes().get(theme)
    if names is None:
        raise TemplateError(f"unknown theme '{theme}'; known themes: {', '.join(themes())}")
    return names.get(language) or names["en"]


def resolve_area(spec: str, what: str = "--area") -> tuple[int | None, str | None]:
    """An area argument: a number within a template ('2'), a theme slug ('user_focus'), a theme's
    name ('Brukarorientering') or a template's area name or a part of one ('Tillgänglighet')."""
    s = spec.strip()
    if s.isascii() and s.isdigit():
        n = int(s)
        if not 1 <= n <= 8:
            raise TemplateError(f"{what} {s}: area numbers run from 1 to 8")
        return n, None
    if s in themes():
        return None, s
    key = _norm(s)
    for slug, names in themes().items():
        if any(_norm(v) == key for v in names.values()):
            return None, slug
    found = {a.theme for t in templates().values() for a in t.areas if _names_area(a, key)}
    if len(found) == 1:
        return None, found.pop()
    why = (
        f"names areas of several themes ({', '.join(sorted(found))})"
        if found
        else "not an area number (1-8) or theme"
    )
    raise TemplateError(f"{what} {s!r}: {why}; themes: {', '.join(themes())}")


_JOINS = re.compile(r",|\b(?:och|og|and|samt)\b")


def _names_area(area: AreaDef, key: str) -> bool:
    """``key`` (normalized) is one of the area's names, or one part of a name ('Tillgänglighet'
    of 'Tillgänglighet, bemötande och brukarorientering')."""
    for name in area.names:
        if _norm(name) == key or key in (_norm(p) for p in _JOINS.split(name.casefold())):
            return True
    return False
