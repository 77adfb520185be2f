"""Shared CLI pieces: options, config loading and turning KompassError into one line + exit 1."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..config import Config, load_config
from ..errors import KompassError

F = TypeVar("F", bound=Callable[..., Any])

CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Corpus folder of evaluation YAML (default: config, else the shipped corpus/).",
    ),
]
IndexOpt = Annotated[
    Path | None,
    typer.Option("--index", help="Index folder (default: config, else index/)."),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Config YAML (default: the user config file if present)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
MarkdownOpt = Annotated[
    bool, typer.Option("--markdown", help="Markdown ready to paste into a report.")
]


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def handle_errors(func: F) -> F:
    """Turn the project's own errors (and Ctrl-C) into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KompassError as e:
            raise fail(str(e)) from None
        except KeyboardInterrupt:
            typer.echo("error: interrupted; nothing was changed", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def get_config(
    config: Path | None, corpus: Path | None = None, index: Path | None = None
) -> Config:
    return load_config(config).with_overrides(corpus=corpus, index=index)


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)
