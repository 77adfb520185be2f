"""Corpus YAML: one file per evaluation; read (safe loading only) and found. Writing is corpus_write.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from . import datafiles
from .errors import CorpusError, KompassError
from .models import Area, Evaluation, Overview, Source, Subquestion, slugify

FORMAT = 1


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading with YAML 1.2 booleans: only true/false, so `country: NO` stays Norway.

    On libyaml's parser where installed: `kompass gaps` reads the whole corpus on every run."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


# ---------------------------------------------------------------- from YAML


class _Fields:
    """Reads fields of one mapping, raising CorpusError that names the file and the field."""

    def __init__(self, raw: Any, path: Path, where: str = "") -> None:
        if not isinstance(raw, dict):
            raise CorpusError(f"{where or 'top level'}: expected a mapping", path)
        self.raw, self.path, self.where = raw, path, where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(
        self, key: str, typ: type | tuple[type, ...], default: Any = ..., *, required: bool = True
    ) -> Any:
        if key not in self.raw or self.raw[key] is None:
            if default is not ... or not required:
                return None if default is ... else default
            raise CorpusError(
                f"missing field '{self._name(key)}'; add it (see corpus/README.md)", self.path
            )
        value = self.raw[key]
        if typ in (float, (int, float)) and isinstance(value, bool):
            raise CorpusError(
                f"field '{self._name(key)}' must be a number, not {value!r}", self.path
            )
        if not isinstance(value, typ):
            want = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
            raise CorpusError(
                f"field '{self._name(key)}' must be {want}, not {type(value).__name__} ({str(value)[:40]!r})",
                self.path,
            )
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.get(key, list, [])
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise CorpusError(f"field '{self._name(key)}[{i}]' must be text", self.path)
        return tuple(items)

    def practices(self, key: str) -> list[tuple[str, bool, str | None]]:
        """Strengths: text, or {text: ..., gold_star: true, subquestion: "8.4"} (a gold-star
        practice, a reviewed link; either key optional)."""
        out: list[tuple[str, bool, str | None]] = []
        for i, item in enumerate(self.get(key, list, [])):
            if isinstance(item, dict):
                it = _Fields(item, self.path, f"{self._name(key)}[{i}]")
                sq = it.get("subquestion", (str, int, float), required=False)
                if sq is not None and not _SUB_ID.fullmatch(str(sq)):
                    raise CorpusError(
                        f"field '{self._name(key)}[{i}].subquestion' must be like \"8.4\", "
                        f"not {str(sq)[:40]!r}",
                        self.path,
                    )
                out.append(
                    (
                        it.get("text", str),
                        bool(it.get("gold_star", bool, False)),
                        None if sq is None else str(sq),
                    )
                )
            elif isinstance(item, str):
                out.append((item, False, None))
            else:
                raise CorpusError(
                    f"field '{self._name(key)}[{i}]' must be text or "
                    f'{{text: ..., gold_star: true, subquestion: "8.4"}}',
                    self.path,
                )
        return out


NUM = (int, float)
_SUB_ID = re.compile(r"[0-9]{1,2}\.[0-9]{1,3}")


def from_mapping(raw: Any, path: Path) -> Evaluation:
    f = _Fields(raw, path)
    src = _Fields(f.get("source", dict), path, "source")
    areas = []
    for i, a in enumerate(f.get("areas", list, [])):
        af = _Fields(a, path, f"areas[{i}]")
        strengths = af.practices("strengths")
        ov = af.get("overview", dict, required=False)
        overview = None
        if ov is not None:
            of = _Fields(ov, path, f"areas[{i}].overview")
            overview = Overview(
                of.get("achieved", NUM), of.get("max", NUM), of.get("percent", int, required=False)
            )
        areas.append(
            Area(
                number=af.get("number", int),
                theme=af.get("theme", str),
                name=af.get("name", str),
                score=af.get("score", NUM, required=False),
                max=af.get("max", NUM, 100),
                topics=af.strings("topics"),
                summary=af.strings("summary"),
                strengths=tuple(t for t, _, _ in strengths),
                improvements=af.strings("improvements"),
                overview=overview,
                gold_stars=tuple(t for t, star, _ in strengths if star),
                reviewed_links=tuple((t, sq) for t, _, sq in strengths if sq is not None),
            )
        )
    subs = []
    for i, s in enumerate(f.get("subquestions", list, [])):
        sf = _Fields(s, path, f"subquestions[{i}]")
        sid = str(sf.get("id", (str, int, float)))
        if not _SUB_ID.fullmatch(sid):  # Subquestion.area_number needs '<area>.<n>'
            raise CorpusError(
                f"field 'subquestions[{i}].id' must be like '2.5', not {sid[:40]!r}", path
            )
        subs.append(
            Subquestion(
                id=sid,
                title=sf.get("title", str),
                achieved=sf.get("achieved", NUM),
                max=sf.get("max", NUM),
                percent=sf.get("percent", int, required=False),
            )
        )
    return Evaluation(
        municipality=f.get("municipality", str),
        country=f.get("country", str),
        year=f.get("year", int),
        template=f.get("template", str),
        language=f.get("language", str),
        date=str(f.get("date", (str,), required=False) or "") or None,
        evaluators=f.strings("evaluators"),
        total=f.get("total", NUM, required=False),
        source=Source(
            kind=src.get("kind", str),
            title=src.get("title", str, ""),
            publisher=src.get("publisher", str, ""),
            file=src.get("file", str, required=False),
            url=src.get("url", str, required=False),
            note=src.get("note", str, required=False),
        ),
        areas=tuple(areas),
        subquestions=tuple(subs),
    )


def read_bytes(
    path: Path, error: type[KompassError] = CorpusError, folder: str = "pass a file"
) -> bytes:
    """A file's bytes; a missing, folder or unreadable path is ``error`` naming it and the fix."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error("file not found; check the path", path) from None
    except IsADirectoryError:
        raise error(f"is a folder; {folder}", path) from None
    except OSError as e:
        raise error(f"cannot read ({e.strerror}); check permissions", path) from None


def read_yaml(path: Path) -> Any:
    """Safe-load one YAML file; every failure is a CorpusError naming the file."""
    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError("not UTF-8 text; save the file as UTF-8", path) from None
    try:
        return safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise CorpusError(f"not valid YAML{at} ({problem}); fix or remove the file", path) from None
    except (ValueError, TypeError, AttributeError, LookupError, RecursionError) as e:
        # PyYAML's safe constructors raise these on values like `!!int x` or `date: 2016-13-45`
        why = str(e).splitlines()[0] if str(e).strip() else type(e).__name__
        raise CorpusError(f"not valid YAML (a value cannot be read: {why}); fix it", path) from None


def load_file(path: Path) -> Evaluation:
    """The evaluation in a corpus file; its parsed YAML comes from the user cache when the file is
    unchanged (datafiles.py: a cold `kompass gaps` parses no YAML)."""
    raw = datafiles.load(path, read_yaml)
    if raw is None:
        raise CorpusError("empty file; remove it or fill in an evaluation", path)
    return from_mapping(raw, path)


IRREGULAR = "not a regular file (a pipe, socket or device); skipped: remove it from the corpus"
EMPTY = (
    "the corpus is empty (no evaluation YAML files); fill it with "
    "`kompass ingest REPORT --out {path}`, or point --corpus at a corpus folder"
)


def _yaml_entries(path: Path) -> list[Path]:
    return sorted(p for p in path.glob("*.yaml") if not p.name.startswith("."))


def corpus_files(path: Path) -> list[Path]:
    """The evaluation files of a corpus folder (or the one file); pipes and devices are left out
    (reading one would wait forever): ``irregular_files`` names them."""
    if path.is_file():
        return [path]
    if path.exists() and not path.is_dir():
        raise CorpusError(
            IRREGULAR.replace("skipped: remove it from the corpus", "pass a file"), path
        )
    if not path.is_dir():
        raise CorpusError(
            "corpus not found; give a folder (or file) of evaluation YAML, e.g. --corpus DIR", path
        )
    return [p for p in _yaml_entries(path) if p.is_file()]


def irregular_files(path: Path) -> list[Path]:
    """*.yaml entries of a corpus folder that are not regular files (a FIFO, socket, device)."""
    if not path.is_dir():
        return []
    return [p for p in _yaml_entries(path) if p.exists() and not p.is_file() and not p.is_dir()]


def load_corpus(path: Path) -> list[Evaluation]:
    """All evaluations in a corpus folder (or one file), sorted by municipality and year; an empty
    corpus is a CorpusError that says how to fill it."""
    files = corpus_files(path)
    if not files:
        raise CorpusError(EMPTY.format(path=path), path)
    evals = [load_file(p) for p in files]
    return sorted(evals, key=lambda e: (slugify(e.municipality), e.year))
