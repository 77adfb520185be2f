"""The typer application every command module adds its commands to (no commands here)."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from . import coercion

coercion.install()  # plain option types without pydantic: ~0.2 s off every command's start-up

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
