"""CLI commands over the corpus: ingest, check, show."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import KompassError
from ..models import Evaluation
from ..names import find_evaluation
from ..words import count
from .app import app
from .common import (
    USAGE,
    ConfigOpt,
    CorpusOpt,
    JsonOpt,
    fail,
    get_config,
    handle_errors,
    load_evals,
    warn,
)


@app.command()
@handle_errors
def ingest(
    reports: Annotated[
        list[str],
        typer.Argument(
            help="Report files (.txt or .pdf), folders of them, or https:// addresses of reports.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Corpus folder to write to (default: the corpus).")
    ] = None,
    published: Annotated[
        bool,
        typer.Option(
            "--published", help="REPORTS are published-results YAML: write score-only records."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a corpus file that differs (e.g. hand-corrected)."),
    ] = False,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Parse evaluation reports into corpus/<municipality>-<year>.yaml, with a fidelity report per area."""
    import tempfile

    from ..ingest import IngestResult, ingest_path, ingest_url, report_files, write_result
    from ..ingest.fetch import is_url
    from ..ingest.published import ingest_published

    out_dir = out or get_config(config).corpus
    inputs: list[str | Path] = []
    for r in reports:
        inputs += [r] if is_url(r) or published or not Path(r).is_dir() else report_files(Path(r))
    progress = _Progress(len(inputs) if len(inputs) > 1 and not as_json else 0)
    rows: list[tuple[str, str, str, int]] = []  # file, evaluation, counts, warnings
    records: list[dict[str, object]] = []
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kompass-download-") as tmp:
        for k, item in enumerate(inputs):
            progress.step(k, str(item))
            try:
                results: list[IngestResult]
                if isinstance(item, str) and is_url(item):
                    results = [ingest_url(item, Path(tmp) / str(k))]
                elif published:
                    results = ingest_published(Path(item))
                else:
                    results = [ingest_path(Path(item))]
                written = [(res, *write_result(res, out_dir, force=force)) for res in results]
            except KompassError as e:
                progress.clear()
                typer.echo(f"error: {e}", err=True)
                rows.append((str(item), "FAILED", str(e.message)[:60], 0))
                records.append({"input": str(item), "error": str(e)})
                failed += 1
                continue
            progress.clear()
            for res, path, what in written:
                ev = res.evaluation
                counts = ", ".join(count(v, k[:-1], k) for k, v in res.counts.items() if v)
                if ev.score_only:
                    counts = f"score only, total {ev.total:g}" + (f", {counts}" if counts else "")
                rows.append((str(item), f"{ev.municipality} {ev.year}", counts, len(res.warnings)))
                records.append(
                    {
                        "input": str(item),
                        "evaluation": ev.slug,
                        "written": str(path),
                        "status": what,
                        "counts": res.counts,
                        "warnings": res.warnings,
                        "fidelity": res.fidelity.to_json() if res.fidelity else None,
                    }
                )
                if as_json:
                    continue
                typer.echo(
                    f"{item}: {ev.municipality} {ev.year} ({ev.template}, {ev.language}): {counts}"
                )
                if res.fidelity is not None:
                    typer.echo(res.fidelity.text(warnings=False))
                typer.echo(f"  -> {path} ({what})")
                for w in res.warnings:
                    warn(f"{item}: {w}")
    progress.clear()
    if as_json:
        typer.echo(json.dumps({"results": records, "failed": failed}, ensure_ascii=False))
    elif len(inputs) > 1:
        typer.echo(_summary(rows))
    if failed:
        raise typer.Exit(1)


class _Progress:
    """A one-line progress bar on stderr while a folder or several reports are ingested."""

    def __init__(self, total: int) -> None:
        self.total, self.tty = total, sys.stderr.isatty()

    def step(self, k: int, name: str) -> None:
        if not self.total:
            return
        done = int(20 * k / self.total)
        line = f"[{'#' * done}{'.' * (20 - done)}] {k + 1}/{self.total} {Path(name).name[:50]}"
        typer.echo(f"\r{line}\x1b[K" if self.tty else line, err=True, nl=not self.tty)

    def clear(self) -> None:
        if self.total and self.tty:
            typer.echo("\r\x1b[K", err=True, nl=False)


def _summary(rows: list[tuple[str, str, str, int]]) -> str:
    width = min(50, max(len(Path(r[0]).name) for r in rows))
    lines = [f"{'file':<{width}}  {'evaluation':<22} {'warnings':>8}  counts"]
    for file, ev, counts, warnings in rows:
        lines.append(f"{Path(file).name[:width]:<{width}}  {ev:<22} {warnings:>8}  {counts}")
    failed = sum(r[1] == "FAILED" for r in rows)
    lines.append(f"{len(rows) - failed} ingested, {failed} failed")
    return "\n".join(lines)


@app.command()
@handle_errors
def check(
    path: Annotated[
        Path | None, typer.Argument(help="Corpus folder or one YAML file (default: the corpus).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Validate corpus YAML: templates, areas, scores against maxima and subquestions, duplicates."""
    from ..validate import check_corpus

    target = path or get_config(config).corpus
    problems = check_corpus(target)
    for p in problems:
        typer.echo(str(p), err=True)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(f"{target}: {errors} error(s), {warnings} warning(s)")
    if errors:
        raise typer.Exit(1)


@app.command()
@handle_errors
def show(
    municipality: Annotated[
        str | None, typer.Argument(help="Municipality, e.g. Vännäs.", show_default=False)
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Evaluation year (default: the latest).")
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the evaluations in the corpus.")
    ] = False,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A readable profile of one evaluation (NAME or NAME:YEAR): area bars, subquestions, strengths, improvements, source."""
    from ..render.profile import profile_json, profile_text
    from ..validate import check_evaluation

    path = get_config(config, corpus=corpus).corpus
    evals = load_evals(path)
    if list_ or municipality is None:
        if municipality is None and not list_:
            raise fail("MUNICIPALITY: missing; give one, or --list to see them", code=USAGE)
        seen: dict[str, Evaluation] = {}
        for e in evals:
            if e.key in seen:
                warn(
                    f"{e.municipality} {e.year} is in the corpus twice; `kompass check {path}` names the files"
                )
            seen.setdefault(e.key, e)
        if as_json:
            typer.echo(json.dumps([_list_row(e) for e in seen.values()], ensure_ascii=False))
            return
        for e in seen.values():
            kind = "score only" if e.score_only else "report"
            total = f"{e.total:g}" if e.total is not None else "-"
            typer.echo(
                f"{e.municipality:<16} {e.year}  {e.country}  {e.template:<9} total {total:>4}  {kind}"
            )
        return
    ev = find_evaluation(evals, municipality, year)
    errors = [p for p in check_evaluation(ev) if p.level == "error"]
    if errors:  # show it as written, but never as if it were sound
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        warn(
            f"{ev.municipality} {ev.year} fails `kompass check {path}`: {errors[0].message}{more}; "
            "the figures below are as written in the file"
        )
    if as_json:
        out = profile_json(ev)
        out["check_errors"] = [p.message for p in errors]
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        text = profile_text(ev)
        if errors:
            text = f"FAILS CHECK: {errors[0].message}{more}\n{text}"
        typer.echo(text)


def _list_row(e: Evaluation) -> dict[str, object]:
    return {
        "municipality": e.municipality,
        "year": e.year,
        "country": e.country,
        "template": e.template,
        "total": e.total,
        "score_only": e.score_only,
        "slug": e.slug,
    }
