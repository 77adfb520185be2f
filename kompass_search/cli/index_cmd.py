"""`kompass index`: build or update the search index (a no-op loads no model)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import BarReporter, ConfigOpt, fail, get_config, handle_errors


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
    import time

    from ..corpus import load_corpus
    from ..index.build import build_index, describe_build, up_to_date
    from ..index.folder import check_writable
    from ..model.embed import configured_model_id, index_embedder
    from ..validate import check_corpus

    t0 = time.perf_counter()
    cfg = get_config(config, corpus=corpus, index=out)
    check_writable(cfg.index)  # before the model loads (torch takes seconds), not after
    meta = None if rebuild else up_to_date(cfg.index, cfg.corpus, configured_model_id(cfg))
    if meta is not None:  # no corpus file changed since the build: nothing to read or embed
        wall = time.perf_counter() - t0
        typer.echo(
            f"{cfg.index}: up to date ({meta.get('count')} passages; corpus unchanged) in {wall:.1f} s"
        )
        return

    errors = [p for p in check_corpus(cfg.corpus) if p.level == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: see `kompass check`)" if len(errors) > 1 else ""
        raise fail(f"{errors[0].file}: {errors[0].message}{more}")
    evals = load_corpus(cfg.corpus)
    rep = BarReporter()
    report = build_index(
        evals,
        cfg.index,
        index_embedder(cfg, rep),
        corpus=cfg.corpus,
        rebuild=rebuild,
        reporter=rep,
    )
    typer.echo(f"{cfg.index}: {describe_build(report, wall=time.perf_counter() - t0)}")
