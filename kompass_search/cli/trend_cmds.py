"""CLI command over scores through the years: trend (totals and area scores as bars)."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import app
from .common import (
    ConfigOpt,
    CorpusOpt,
    JsonOpt,
    MarkdownOpt,
    emit,
    get_config,
    handle_errors,
    output_format,
)


@app.command()
@handle_errors
def trend(
    municipality: Annotated[
        str, typer.Argument(help="Municipality (all its years are shown).", show_default=False)
    ],
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
) -> None:
    """A municipality's stated totals and area scores over the years, by theme across templates."""
    from ..corpus import load_corpus
    from ..render.trend import trend_json, trend_markdown, trend_text
    from ..search.trend import trend as find_trend

    fmt = output_format(json_out, markdown)
    evals = load_corpus(get_config(config, corpus=corpus).corpus)
    t = find_trend(evals, municipality)
    emit(
        fmt,
        json=lambda: trend_json(t),
        markdown=lambda: trend_markdown(t),
        text=lambda: trend_text(t),
    )
