"""CLI commands over the index: index, search, eval (and gaps, compare, top from roles_cmds)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from .common import (
    ConfigOpt,
    CorpusOpt,
    IndexOpt,
    JsonOpt,
    MarkdownOpt,
    fail,
    get_config,
    handle_errors,
)

ModeOpt = Annotated[
    str | None,
    typer.Option(
        "--mode",
        help="Retrieval: dense, bm25 or hybrid (default: the config's mode).",
        show_default=False,
    ),
]


class BarReporter:
    """Notes and a progress bar on stderr, so stdout stays clean for results."""

    def __init__(self) -> None:
        self._bar: Any = None

    def note(self, message: str) -> None:
        typer.echo(message, err=True)

    def start(self, label: str, total: int) -> None:
        import click

        self._bar = click.progressbar(
            length=total, label=label, file=sys.stderr, show_pos=True, width=30
        )
        self._bar.__enter__()

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def one_format(json_out: bool, markdown: bool) -> None:
    if json_out and markdown:
        raise fail("choose one of --json and --markdown")


@app.command()
@handle_errors
def index(
    corpus: Annotated[
        Path | None,
        typer.Argument(
            help="Corpus folder (default: config, else the shipped corpus/).", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Index folder (default: config, else index/).")
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild", help="Embed everything again (also: switch the index to another model)."
        ),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Build or update the search index (unchanged passages are not embedded again)."""
    from ..corpus import load_corpus
    from ..embed import index_embedder
    from ..indexer import build_index
    from ..search import describe_build

    cfg = get_config(config, corpus=corpus, index=out)
    from ..validate import check_corpus

    errors = [p for p in check_corpus(cfg.corpus) if p.level == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: see `kompass check`)" if len(errors) > 1 else ""
        raise fail(f"{errors[0].file}: {errors[0].message}{more}")
    evals = load_corpus(cfg.corpus)
    rep = BarReporter()
    report = build_index(
        evals,
        cfg.index,
        index_embedder(cfg, rep.note),
        corpus=cfg.corpus,
        rebuild=rebuild,
        reporter=rep,
    )
    typer.echo(f"{cfg.index}: {describe_build(report)}")


@app.command()
@handle_errors
def search(
    query: Annotated[
        str, typer.Argument(help="A question in Swedish, Norwegian or English.", show_default=False)
    ],
    area: Annotated[
        str | None,
        typer.Option(
            "--area", help="Area number (1-8, within each template) or theme (e.g. user_focus)."
        ),
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="SE or NO.")] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", help="A year (2016) or a range (2010-2016, 2014-, -2016)."),
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Template id, e.g. skl-2010.")
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="strength, improvement, summary, a comma list, or all. Default: the practices "
            "(strengths and summaries); improvements say what a municipality lacks.",
        ),
    ] = "strength,summary",
    min_area_score: Annotated[
        float | None,
        typer.Option("--min-area-score", help="Keep areas scoring at least this (0-100)."),
    ] = None,
    min_subquestion_score: Annotated[
        float | None,
        typer.Option(
            "--min-subquestion-score",
            help="Keep strengths whose linked subquestion scores at least this (0-100).",
        ),
    ] = None,
    municipality: Annotated[
        str | None, typer.Option("--municipality", help="Only this municipality.")
    ] = None,
    top: Annotated[
        int, typer.Option("--top", help="Number of results (groups with --group).", min=1)
    ] = 10,
    group: Annotated[
        bool, typer.Option("--group", help="One row per evaluation, its best practices beneath.")
    ] = False,
    per_group: Annotated[
        int, typer.Option("--per-group", help="Practices per evaluation with --group.", min=1)
    ] = 3,
    mode: ModeOpt = None,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Find practices for a question, ranked by relevance and by how well the municipality scored there."""
    from ..filters import Filters
    from ..search import MODES, Searcher, check_query, prepare_index

    one_format(json_out, markdown)
    q = check_query(query)  # before any index work: a bad query fails at once
    if mode is not None and mode not in MODES:
        raise fail(f"--mode {mode!r}: use one of {', '.join(MODES)}")
    filters = Filters.parse(
        area=area,
        country=country,
        year=year,
        template=template,
        kind=kind,
        min_area_score=min_area_score,
        min_subquestion_score=min_subquestion_score,
        municipality=municipality,
    )
    cfg = get_config(config, corpus=corpus, index=index_dir)
    searcher = Searcher.open(cfg, index=prepare_index(cfg, BarReporter()))
    from .. import render

    if group:
        groups = searcher.search_grouped(q, filters, mode, top=top, per_group=per_group)
        text = (
            render.groups_json(groups)
            if json_out
            else render.groups_markdown(groups)
            if markdown
            else render.groups_text(groups)
        )
    else:
        hits = searcher.search(q, filters, mode, top=top)
        text = (
            render.hits_json(hits)
            if json_out
            else render.hits_markdown(hits)
            if markdown
            else render.hits_text(hits)
        )
    if text:
        typer.echo(text)


@app.command("eval")
@handle_errors
def eval_cmd(
    queries: Annotated[
        Path | None,
        typer.Option("--queries", help="Labelled queries YAML (default: the shipped set)."),
    ] = None,
    with_score: Annotated[
        bool,
        typer.Option(
            "--with-score",
            help="Measure the role-model ranking (score term included), not retrieval alone.",
        ),
    ] = False,
    json_out: JsonOpt = False,
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Retrieval quality on labelled queries: recall@1, recall@5 and MRR for dense, bm25 and hybrid."""
    import json

    from ..evaluate import as_json, evaluate_all, load_queries, table
    from ..search import Searcher, prepare_index

    labelled = load_queries(queries)
    cfg = get_config(config, corpus=corpus, index=index_dir)
    searcher = Searcher.open(cfg, index=prepare_index(cfg, BarReporter()))
    results = evaluate_all(searcher, labelled, with_score=with_score)
    typer.echo(json.dumps(as_json(results), ensure_ascii=False) if json_out else table(results))


from . import roles_cmds  # noqa: E402, F401  - registers gaps, compare, top
