"""Published results (totals, sometimes area scores, each with its source page) -> score-only evaluations."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..corpus import read_yaml
from ..errors import IngestError, KompassError
from ..models import Area, Evaluation, Source
from ..taxonomy import get_template
from . import IngestResult


def ingest_published(path: Path) -> list[IngestResult]:
    """Each entry of a published-results YAML (see corpus/sources/published-results.yaml) as a record."""
    try:
        raw = read_yaml(path)
    except KompassError as e:
        raise IngestError(e.message, path) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("results"), list):
        raise IngestError("expected a mapping with a 'results:' list of published results", path)
    out = []
    for i, r in enumerate(raw["results"]):
        where = f"{path}: results[{i}]"
        try:
            tmpl = get_template(str(r["template"]))
            areas: tuple[Area, ...] = ()
            if r.get("areas"):
                scores = [float(x) for x in r["areas"]]
                if len(scores) != len(tmpl.areas):
                    raise IngestError(
                        f"has {len(scores)} area scores; give all {len(tmpl.areas)} or none", where
                    )
                areas = tuple(
                    Area(number=a.number, theme=a.theme, name=a.name, score=s)
                    for a, s in zip(tmpl.areas, scores, strict=True)
                )
            ev = Evaluation(
                municipality=unicodedata.normalize("NFC", str(r["municipality"])),
                country=str(r["country"]),
                year=int(r["year"]),
                template=tmpl.id,
                language=tmpl.language,
                total=float(r["total"]),
                areas=areas,
                source=Source(
                    kind="published",
                    title="published result",
                    publisher=tmpl.publisher,
                    url=str(r["source"]),
                    file=f"sources/{path.name}",
                    note=str(r["note"]) if r.get("note") else None,
                ),
            )
        except KeyError as e:
            raise IngestError(f"missing field {e.args[0]!r}", where) from None
        except (TypeError, ValueError) as e:
            raise IngestError(f"bad value ({e})", where) from None
        except KompassError as e:
            raise IngestError(e.message, where) from None
        out.append(IngestResult(ev, [], path))
    return out
