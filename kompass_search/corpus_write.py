"""Corpus YAML, written: one file per evaluation, deterministic (key order fixed, diffs review
well), replaced whole or not at all. Reading is corpus.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .corpus import FORMAT
from .models import Area, Evaluation


def _num(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def to_mapping(ev: Evaluation) -> dict[str, Any]:
    """The YAML structure of an evaluation; key order is fixed so diffs review well."""
    src = {k: v for k, v in vars(ev.source).items() if v not in (None, "")}
    out: dict[str, Any] = {
        "format": FORMAT,
        "municipality": ev.municipality,
        "country": ev.country,
        "year": ev.year,
        "template": ev.template,
        "language": ev.language,
        "date": ev.date,
        "evaluators": list(ev.evaluators),
        "total": _num(ev.total),
        "score_only": ev.score_only,
        "source": src,
        "areas": [],
        "subquestions": [
            {
                "id": s.id,
                "title": s.title,
                "achieved": _num(s.achieved),
                "max": _num(s.max),
                "percent": s.percent,
            }
            for s in ev.subquestions
        ],
    }
    for a in ev.areas:
        area: dict[str, Any] = {
            "number": a.number,
            "theme": a.theme,
            "name": a.name,
            "score": _num(a.score),
            "max": _num(a.max),
        }
        if a.overview is not None:
            area["overview"] = {
                "achieved": _num(a.overview.achieved),
                "max": _num(a.overview.max),
                "percent": a.overview.percent,
            }
        for key in ("topics", "summary", "strengths", "improvements"):
            if getattr(a, key):
                area[key] = list(getattr(a, key))
        if (a.gold_stars or a.reviewed_links) and a.strengths:
            area["strengths"] = [_practice(a, t) for t in a.strengths]
        out["areas"].append(area)
    if not out["subquestions"]:
        del out["subquestions"]
    for key in ("date", "evaluators", "total"):
        if out[key] in (None, []):
            del out[key]
    return out


def _practice(a: Area, text: str) -> str | dict[str, Any]:
    """A strength as written: text, or a mapping when it has a gold star or a reviewed link."""
    item: dict[str, Any] = {"text": text}
    if text in a.gold_stars:
        item["gold_star"] = True
    sq = a.reviewed_link(text)
    if sq is not None:
        item["subquestion"] = sq
    return item if len(item) > 1 else text


def dump(ev: Evaluation) -> str:
    return yaml.safe_dump(
        to_mapping(ev), allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False
    )


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: not on a search's way (start-up)

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it 0600; a corpus file is as any other
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def corpus_path(out_dir: Path, ev: Evaluation) -> Path:
    return out_dir / f"{ev.slug}.yaml"
