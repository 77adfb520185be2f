"""CLI commands over the index: search and eval (`index` is in index_cmd.py)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..words import count
from .app import app
from .common import (
    JSON,
    AreaOpt,
    BarReporter,
    ConfigOpt,
    CorpusOpt,
    CountryOpt,
    IndexOpt,
    JsonOpt,
    LangOpt,
    MarkdownOpt,
    TopOpt,
    YearsOpt,
    dense_texts,
    emit,
    fail,
    get_config,
    handle_errors,
    output_format,
    parse_lang,
)

if TYPE_CHECKING:
    from ..models import Hit
    from ..search.filters import Filters
    from ..search.groups import Group

DEFAULT_KINDS = "strength,summary"  # the practices; improvements say what a municipality lacks

ModeOpt = Annotated[
    str | None,
    typer.Option(
        "--mode",
        help="Retrieval: dense, bm25 or hybrid (default: the config's mode).",
        show_default=False,
    ),
]


@app.command()
@handle_errors
def search(
    query: Annotated[
        str, typer.Argument(help="A question in Swedish, Norwegian or English.", show_default=False)
    ],
    area: AreaOpt = None,
    country: CountryOpt = None,
    year: YearsOpt = None,
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
    ] = DEFAULT_KINDS,
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
    top: TopOpt = 10,
    group: Annotated[
        bool, typer.Option("--group", help="One row per evaluation, its best practices beneath.")
    ] = False,
    per_group: Annotated[
        int, typer.Option("--per-group", help="Practices per evaluation with --group.", min=1)
    ] = 3,
    mode: ModeOpt = None,
    rank: Annotated[
        str,
        typer.Option(
            "--rank",
            help="role-model (relevance and score), or improved: also favour municipalities "
            "that climbed in the practice's area between consecutive evaluations.",
        ),
    ] = "role-model",
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Show weak matches too (marked), not only good ones."),
    ] = False,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Find practices for a question, ranked by relevance and by how well the municipality scored there."""
    fmt = output_format(json_out, markdown)
    lang_ = parse_lang(lang)
    cfg = get_config(config, corpus=corpus, index=index_dir)
    encoder = None
    if (mode or cfg.mode) != "bm25":
        from ..model.prefetch import PrefetchedQuery

        # the engine loads and encodes the text the searcher will embed while the imports below
        # and the index opening run (start-up time: README Performance, cold search)
        encoder = PrefetchedQuery(cfg, functools.partial(dense_texts, [query]))
    from ..search.filters import Filters
    from ..search.improved import RANKS
    from ..search.query import Mode, Query

    q = Query.parse(query)  # before any index work: a bad query or mode fails at once
    mode_ = Mode.parse(mode) if mode is not None else None
    if rank not in RANKS:
        raise fail(f"--rank {rank[:40]!r}: use one of {', '.join(RANKS)}")
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
    from ..index.prepare import prepare_index
    from ..render import hits as render
    from ..search.groups import group_hits
    from ..search.searcher import Searcher

    index = prepare_index(cfg, BarReporter())
    if encoder is not None:
        index.faiss  # noqa: B018 - faiss loads while the query is still being encoded, not after
    searcher = Searcher.open(cfg, encoder, index=index).with_lang(lang_)
    groups: list[Group] = []
    hits: list[Hit] = []
    if rank == "improved":
        from ..corpus import load_corpus
        from ..search.improved import rerank_improved

        wide = max(searcher.ranking.candidates, top * (per_group if group else 1))
        every_hit = searcher.search(q, filters, mode_, top=wide, include_weak=True)
        ranked = rerank_improved(every_hit, load_corpus(cfg.corpus), wide)
        kept = ranked if show_all else [h for h in ranked if not h.weak]
        hidden = len(ranked) - len(kept)
        if group:
            groups = group_hits(kept, top, per_group)
        else:
            hits = kept[:top]
    elif group:
        every = searcher.search_grouped(
            q, filters, mode_, top=top, per_group=per_group, include_weak=True
        )
        strong = [h for g in every for h in g.hits if not h.weak]  # still grouped, in order
        groups = every if show_all else group_hits(strong, len(every), per_group)
        hidden = 0 if show_all else sum(len(g.hits) for g in every) - len(strong)
    else:
        every_hit = searcher.search(q, filters, mode_, top=top, include_weak=True)
        hits = every_hit if show_all else [h for h in every_hit if not h.weak]
        hidden = len(every_hit) - len(hits)
    if groups or hits or fmt == JSON:
        if group:
            emit(
                fmt,
                json=lambda: render.groups_json(groups),
                markdown=lambda: render.groups_markdown(groups, lang_),
                text=lambda: render.groups_text(groups, language=lang_),
            )
        else:
            emit(
                fmt,
                json=lambda: render.hits_json(hits),
                markdown=lambda: render.hits_markdown(hits, lang_),
                text=lambda: render.hits_text(hits, language=lang_),
            )
    if groups or hits:
        return
    if hidden:  # an answer that is not an answer: say so, on stderr (exit 0: nothing went wrong)
        typer.echo(
            f"no good match for {str(q)[:60]!r}; {count(hidden, 'weak match', 'weak matches')} hidden "
            "(--all shows them)",
            err=True,
        )
    elif fmt != JSON:
        typer.echo(_no_match(filters, mode_ or cfg.mode))


def _no_match(filters: Filters, mode: str) -> str:
    """Why a search found nothing, and what to try: names only the filters that were given."""
    from dataclasses import fields

    from ..search.filters import Filters

    default_kind = Filters.parse(kind=DEFAULT_KINDS).kind
    given = [
        f.name.replace("_", " ")
        for f in fields(filters)
        if getattr(filters, f.name) is not None
        and not (f.name == "kind" and filters.kind == default_kind)
    ]
    if given:
        return f"no passages match the filters ({', '.join(given)}); loosen them"
    if mode == "bm25":
        return (
            "no passage shares a word with the query (bm25 matches words); "
            "try other words, or --mode dense or hybrid"
        )
    return "no passages match; try other words"


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
    from ..index.prepare import prepare_index
    from ..search.evaluate import (
        evaluate_all,
        held_out_off_topic,
        load_queries,
        off_topic_by_split,
        report_json,
        table,
    )
    from ..search.searcher import Searcher

    labelled = load_queries(queries)
    off_topic = held_out_off_topic(queries)
    cfg = get_config(config, corpus=corpus, index=index_dir)
    searcher = Searcher.open(cfg, index=prepare_index(cfg, BarReporter()))
    results = evaluate_all(searcher, labelled, with_score=with_score)
    off = off_topic_by_split(searcher, off_topic)
    weak_below = searcher.ranking.weak_below
    typer.echo(
        report_json(results, off, weak_below) if json_out else table(results, off, weak_below)
    )
