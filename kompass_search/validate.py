"""`kompass check`: validate evaluations and corpus folders; one Problem per finding, naming file and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .corpus import EMPTY, IRREGULAR, corpus_files, irregular_files, load_file
from .errors import KompassError, TemplateError
from .models import COUNTRIES, Evaluation
from .taxonomy import get_template


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "warning"
    message: str  # names the field
    file: str | None = None

    def __str__(self) -> str:
        return (
            f"{self.level}: {self.file}: {self.message}"
            if self.file
            else f"{self.level}: {self.message}"
        )


def _tolerance(maxes: list[float]) -> float:
    # Each printed percent is rounded (±0.5 % of its max) and so is the area score (±0.5).
    return 0.5 * sum(maxes) / 100 + 0.5 + 1e-9


def check_evaluation(ev: Evaluation) -> list[Problem]:
    out: list[Problem] = []

    def err(msg: str) -> None:
        out.append(Problem("error", msg))

    def warn(msg: str) -> None:
        out.append(Problem("warning", msg))

    if ev.country not in COUNTRIES:
        err(f"country: '{ev.country}' is not one of {', '.join(COUNTRIES)}")
    if not 1990 <= ev.year <= 2100:
        err(f"year: {ev.year} is not a plausible evaluation year")
    if ev.source.kind not in ("report", "published"):
        err(f"source.kind: '{ev.source.kind}' must be 'report' or 'published'")
    if not (ev.source.file or ev.source.url):
        err("source: needs a file or a url, so every figure can be traced")
    try:
        tmpl = get_template(ev.template)
    except TemplateError as e:
        return [*out, Problem("error", f"template: {e.message}")]
    if ev.country != tmpl.country:
        err(f"country: '{ev.country}' but template {tmpl.id} is for {tmpl.country}")
    if ev.language != tmpl.language:
        warn(f"language: '{ev.language}' but template {tmpl.id} is '{tmpl.language}'")
    numbers = [a.number for a in ev.areas]
    for i, a in enumerate(ev.areas):
        f = f"areas[{i}]"
        if not 1 <= a.number <= len(tmpl.areas):
            err(
                f"{f}.number: area {a.number} does not exist in {tmpl.id} (areas are 1-{len(tmpl.areas)})"
            )
            continue
        if numbers.count(a.number) > 1:
            err(f"{f}.number: area {a.number} appears {numbers.count(a.number)} times")
        adef = tmpl.area(a.number)
        if a.theme != adef.theme:
            err(f"{f}.theme: '{a.theme}' but area {a.number} of {tmpl.id} is '{adef.theme}'")
        if a.score is not None and not 0 <= a.score <= a.max:
            err(f"{f}.score: {a.score:g} is outside 0-{a.max:g}")
        if a.overview is not None and a.score is not None and a.overview.achieved != a.score:
            warn(
                f"{f}.overview: area {a.number} scores {a.score:g} but its score overview row prints "
                f"{a.overview.achieved:g}"
                + (f" ({a.overview.percent} %)" if a.overview.percent is not None else "")
                + "; both kept as printed"
            )
        for j, strength in enumerate(a.strengths):
            sq = a.reviewed_link(strength)
            if sq is None:
                continue
            where = f"{f}.strengths[{j}].subquestion"
            if ev.subquestion(sq) is None:
                known = ", ".join(s.id for s in ev.subquestions_of(a.number)) or "none"
                err(
                    f"{where}: '{sq}' is no subquestion of this evaluation (area {a.number}: {known})"
                )
            elif int(sq.split(".")[0]) != a.number:
                err(
                    f"{where}: '{sq}' belongs to area {sq.split('.')[0]}, but the strength is listed "
                    f"under area {a.number}; link it to a subquestion of its own area"
                )
        subs = ev.subquestions_of(a.number)
        if subs and a.score is not None:
            implied = sum(s.share * s.max / 100 for s in subs)
            if abs(implied - a.score) > _tolerance([s.max for s in subs]):
                warn(
                    f"{f}.score: area {a.number} scores {a.score:g} but its subquestions add up to "
                    f"{implied:.1f} (beyond rounding)"
                )
    if ev.areas:
        missing = sorted(set(range(1, len(tmpl.areas) + 1)) - set(numbers))
        if missing:
            err(
                f"areas: area(s) {', '.join(map(str, missing))} missing; give all {len(tmpl.areas)} or none"
            )
        scored = [a.score for a in ev.areas if a.score is not None]
        if (
            ev.total is not None
            and len(scored) == len(tmpl.areas)
            and abs(sum(scored) - ev.total) > 0.5
        ):
            warn(f"total: {ev.total:g} but the area scores add up to {sum(scored):g}")
    elif ev.total is None:
        err("total: a record without areas needs a total")
    if ev.total is not None and not 0 <= ev.total <= 100 * len(tmpl.areas):
        err(f"total: {ev.total:g} is outside 0-{100 * len(tmpl.areas)}")
    ids = [s.id for s in ev.subquestions]
    for i, s in enumerate(ev.subquestions):
        f = f"subquestions[{i}]"
        if ids.count(s.id) > 1:
            err(f"{f}.id: '{s.id}' appears {ids.count(s.id)} times")
        if s.id.count(".") != 1 or not s.id.replace(".", "").isdigit():
            err(f"{f}.id: '{s.id}' is not of the form '2.5'")
            continue
        if ev.areas and s.area_number not in numbers:
            err(f"{f}.id: '{s.id}' belongs to area {s.area_number}, which this evaluation lacks")
        if s.max <= 0 or not 0 <= s.achieved <= s.max:
            err(f"{f}.achieved: {s.achieved:g} of {s.max:g} is outside 0-max")
        if s.percent is not None:
            if not 0 <= s.percent <= 100:
                err(f"{f}.percent: {s.percent} is outside 0-100")
            elif (
                s.max > 0
                and abs(100 * s.achieved / s.max - s.percent) > 100 * 0.5 / s.max + 0.5 + 1e-9
            ):
                warn(
                    f"{f}.percent: {s.achieved:g} of {s.max:g} printed as {s.percent} % (beyond rounding)"
                )
    return out


def check_corpus(path: Path) -> list[Problem]:
    """Check every YAML file under ``path``; problems name the file."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    try:
        files = corpus_files(path)
    except KompassError as e:
        return [Problem("error", e.message, e.where)]
    problems += [Problem("error", IRREGULAR, str(p)) for p in irregular_files(path)]
    if not files:
        return [*problems, Problem("error", EMPTY.format(path=path), str(path))]
    for file in files:
        try:
            ev = load_file(file)
        except KompassError as e:
            problems.append(Problem("error", e.message, str(file)))
            continue
        problems += [Problem(p.level, p.message, str(file)) for p in check_evaluation(ev)]
        key = (ev.slug, ev.year)
        if key in seen:
            problems.append(
                Problem(
                    "error",
                    f"municipality/year: duplicate of {seen[key]} ({ev.municipality} {ev.year})",
                    str(file),
                )
            )
        else:
            seen[key] = file.name
        expected = f"{ev.slug}.yaml"
        if file.name != expected and file.is_file():
            problems.append(
                Problem(
                    "warning",
                    f"file name: expected {expected} for {ev.municipality} {ev.year}",
                    str(file),
                )
            )
    return problems
