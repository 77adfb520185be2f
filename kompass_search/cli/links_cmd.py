"""`kompass links`: each strength's subquestion link, confidence and runner-up, for review."""

from __future__ import annotations

from .app import app
from .common import (
    BarReporter,
    ConfigOpt,
    CorpusOpt,
    IndexOpt,
    JsonOpt,
    MarkdownOpt,
    WhoArg,
    YearOpt,
    emit,
    fail,
    find,
    get_config,
    handle_errors,
    output_format,
)


@app.command()
@handle_errors
def links(
    evaluation: WhoArg,
    year: YearOpt = None,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List each strength with its subquestion link (reviewed, inferred or area only), confidence and runner-up."""
    import numpy as np

    from ..corpus import load_corpus
    from ..index.format import KIND_CODE
    from ..index.prepare import prepare_index
    from ..render import links as render

    fmt = output_format(json_out, markdown)
    cfg = get_config(config, corpus=corpus, index=index_dir)
    ev = find(load_corpus(cfg.corpus), evaluation, year)
    index = prepare_index(cfg, BarReporter())
    pos = index.position(ev.key)
    if pos is None:
        raise fail(f"{evaluation}: {ev.key} has no text in the index; run `kompass index`")
    strengths = (index.column("eval") == pos) & (index.column("kind") == KIND_CODE["strength"])
    ps = [index.passage(int(i)) for i in np.flatnonzero(strengths)]
    emit(
        fmt,
        json=lambda: render.links_json(ps),
        markdown=lambda: render.links_markdown(ps),
        text=lambda: render.links_text(ps),
    )
