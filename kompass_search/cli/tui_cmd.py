"""`kompass tui`: start the Textual app (textual is imported only when the command runs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import (
    ConfigOpt,
    CorpusOpt,
    IndexOpt,
    LangOpt,
    fail,
    get_config,
    handle_errors,
    parse_lang,
)


@app.command()
@handle_errors
def tui(
    query: Annotated[
        str, typer.Argument(help="Start with this query (optional).", show_default=False)
    ] = "",
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for Markdown exports and saved citations (default: the current folder).",
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Search sessions in a terminal UI: ask, narrow, compare, copy a citation, ask again.

    Keys: / query, ? help, c copy citation, e export Markdown, g gaps, m/x compare, q quit.
    """
    lang_ = parse_lang(lang)
    if not (sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty()):
        # Textual draws on stderr and reads stdin; without a terminal it would hang unseen
        raise fail("kompass tui needs an interactive terminal; for scripts use `kompass search`")
    from ..tui.app import create_app

    create_app(get_config(config, corpus, index), out_dir=out, query=query, lang=lang_).run()
