"""CLI commands over the corpus: ingest, check, show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..corpus import find_evaluation, load_corpus
from ..errors import KompassError
from .app import app
from .common import ConfigOpt, CorpusOpt, JsonOpt, fail, get_config, handle_errors, warn


@app.command()
@handle_errors
def ingest(
    reports: Annotated[
        list[Path], typer.Argument(help="Report files (.txt or .pdf).", show_default=False)
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
) -> None:
    """Parse evaluation reports into corpus/<municipality>-<year>.yaml."""
    from ..ingest import ingest_path, write_result
    from ..ingest.published import ingest_published

    out_dir = out or get_config(config).corpus
    failed = 0
    for report in reports:
        try:
            results = ingest_published(report) if published else [ingest_path(report)]
        except KompassError as e:
            typer.echo(f"error: {e}", err=True)
            failed += 1
            continue
        for result in results:
            ev = result.evaluation
            path, what = write_result(result, out_dir, force=force)
            counts = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
            if ev.score_only:
                counts = f"score only, total {ev.total:g}" + (f", {counts}" if counts else "")
            typer.echo(
                f"{report}: {ev.municipality} {ev.year} ({ev.template}, {ev.language}): {counts}"
            )
            typer.echo(f"  -> {path} ({what})")
            for w in result.warnings:
                warn(f"{report}: {w}")
    if failed:
        raise typer.Exit(1)


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
    """A readable profile of one evaluation: area bars, subquestions, strengths, improvements, source."""
    from ..render.profile import profile_json, profile_text

    evals = load_corpus(get_config(config, corpus=corpus).corpus)
    if list_ or municipality is None:
        if municipality is None and not list_:
            raise fail("give a MUNICIPALITY (or --list to see them)")
        for e in evals:
            kind = "score only" if e.score_only else "report"
            total = f"{e.total:g}" if e.total is not None else "-"
            typer.echo(
                f"{e.municipality:<16} {e.year}  {e.country}  {e.template:<9} total {total:>4}  {kind}"
            )
        return
    ev = find_evaluation(evals, municipality, year)
    if as_json:
        typer.echo(json.dumps(profile_json(ev), ensure_ascii=False))
    else:
        typer.echo(profile_text(ev))
