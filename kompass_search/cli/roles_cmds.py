"""CLI commands over the scores: gaps (weakest subquestions and their role models), compare, top."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from .app import app
from .common import (
    AreaArg,
    BarReporter,
    ConfigOpt,
    CorpusOpt,
    CountryOpt,
    IndexOpt,
    JsonOpt,
    MarkdownOpt,
    TopOpt,
    WhoArg,
    YearOpt,
    dense_texts,
    emit,
    fail,
    find,
    get_config,
    handle_errors,
    output_format,
    warn,
)


@app.command()
@handle_errors
def gaps(
    municipality: WhoArg,
    year: YearOpt = None,
    top: TopOpt = 3,
    models: Annotated[int, typer.Option("--models", help="Role models per gap.", min=1)] = 3,
    practices: Annotated[
        int, typer.Option("--practices", help="Practices per role model.", min=0)
    ] = 3,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The weakest subquestions (areas for score-only records) and who scored highest there."""
    from ..corpus import load_corpus
    from ..index.prepare import prepare_index
    from ..render.roles import gaps_json, gaps_markdown, gaps_text
    from ..search.practices import relevant_practices
    from ..search.roles import gaps as find_gaps
    from ..search.roles import require_area_scores
    from ..search.searcher import Searcher

    fmt = output_format(json_out, markdown)
    cfg = get_config(config, corpus=corpus, index=index_dir)
    evals = load_corpus(cfg.corpus)
    target = find(evals, municipality, year)
    require_area_scores(evals, target)  # a total-only record fails here, before any index work
    finder = None
    if practices:  # practices come from the index, chosen by a search for each gap
        texts = None
        if cfg.mode != "bm25":
            # the texts the gaps with role models will be searched with: the index holds their
            # vectors (index/queries.py); only those it lacks are encoded, while the index opens
            plan = find_gaps(evals, target, top=top, models=models, per_model=practices)
            texts = dense_texts([g.title for g in plan.gaps if g.role_models and g.theme])
        index = prepare_index(cfg, BarReporter())
        encoder = None
        if texts is not None:
            from ..model.prefetch import KnownQueries

            encoder = KnownQueries.ahead(cfg, texts, index.queries, index.dim)
            if encoder.encoding:
                index.faiss  # noqa: B018 - faiss loads while the missing gaps are being encoded
        searcher = Searcher.open(cfg, encoder, index=index)
        finder = partial(relevant_practices, searcher)
    report = find_gaps(evals, target, top=top, models=models, per_model=practices, practices=finder)
    emit(
        fmt,
        json=lambda: gaps_json(report),
        markdown=lambda: gaps_markdown(report, target.language),
        text=lambda: gaps_text(report),
    )


@app.command()
@handle_errors
def compare(
    a: Annotated[
        str, typer.Argument(help="First municipality, optionally :YEAR.", show_default=False)
    ],
    b: Annotated[
        str, typer.Argument(help="Second municipality, optionally :YEAR.", show_default=False)
    ],
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Two evaluations' area profiles side by side, by theme (marked where templates differ)."""
    from ..corpus import load_corpus
    from ..render.roles import compare_json, compare_markdown, compare_text
    from ..search.roles import compare as compare_profiles

    fmt = output_format(json_out, markdown)
    evals = load_corpus(get_config(config, corpus=corpus).corpus)
    ea, eb = find(evals, a), find(evals, b)
    if ea.key == eb.key:
        raise fail(
            f"both name {ea.municipality} {ea.year}; compare two evaluations (e.g. {ea.municipality}:YEAR)"
        )
    c = compare_profiles(ea, eb)
    emit(
        fmt,
        json=lambda: compare_json(c),
        markdown=lambda: compare_markdown(c),
        text=lambda: compare_text(c),
    )


@app.command()
@handle_errors
def top(
    area: AreaArg,
    n: TopOpt = 10,
    country: CountryOpt = None,
    improved: Annotated[
        bool,
        typer.Option(
            "--improved",
            help="Rank municipalities by how much they climbed in the area between consecutive "
            "evaluations (by the stated total where area scores are missing).",
        ),
    ] = False,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Evaluations ranked by one area's score (or, with --improved, by their climb there)."""
    from ..corpus import load_corpus
    from ..render.roles import top_json, top_markdown, top_text
    from ..search.filters import area_spec, parse_country
    from ..search.roles import top_by_area, unranked

    fmt = output_format(json_out, markdown)
    area_spec(area, "AREA")  # errors name the argument, not --area
    evals = load_corpus(get_config(config, corpus=corpus).corpus)
    if country is not None:
        c = parse_country(country)
        evals = [e for e in evals if e.country == c]
    if improved:
        from ..render.trend import improved_json, improved_markdown, improved_text
        from ..search.trend import most_improved

        r = most_improved(evals, area, n)
        for line in r.left_out if fmt == "json" else ():
            warn(line)  # JSON lines stay rows only
        emit(
            fmt,
            json=lambda: improved_json(r),
            markdown=lambda: improved_markdown(r),
            text=lambda: improved_text(r),
        )
        return
    rows, note = top_by_area(evals, area, n)
    left_out = unranked(evals, area)
    for line in left_out if fmt == "json" else ():
        warn(line)  # JSON lines stay rows only; what was left out goes to stderr
    emit(
        fmt,
        json=lambda: top_json(rows),
        markdown=lambda: top_markdown(rows, note, left_out),
        text=lambda: top_text(rows, note, left_out),
    )
