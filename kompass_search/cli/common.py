"""Shared CLI pieces: the options every command declares the same way, the output format, progress on
stderr, finding an evaluation by NAME[:YEAR], and turning KompassError into one line + exit 1."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ..config import Config, load_config
from ..errors import KompassError

if TYPE_CHECKING:
    from ..models import Evaluation

F = TypeVar("F", bound=Callable[..., Any])

# ---------------------------------------------------------------- options, declared once

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
AreaOpt = Annotated[
    str | None,
    typer.Option(
        "--area", help="Area number (1-8, within each template) or theme (e.g. user_focus)."
    ),
]
AreaArg = Annotated[
    str,
    typer.Argument(
        help="Area number (1-8, within each template) or theme (e.g. user_focus).",
        show_default=False,
    ),
]
CountryOpt = Annotated[str | None, typer.Option("--country", help="SE or NO.")]
YearsOpt = Annotated[
    str | None,
    typer.Option("--year", help="A year (2016) or a range (2010-2016, 2014-, -2016)."),
]
YearOpt = Annotated[
    int | None, typer.Option("--year", help="Which evaluation (default: the latest).")
]
TopOpt = Annotated[
    int, typer.Option("--top", help="How many to show (results, gaps or evaluations).", min=1)
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of labels and citations: sv, no or en (default: each evaluation's own).",
        show_default=False,
    ),
]


def parse_lang(lang: str | None) -> str | None:
    """A --lang value: sv, no or en (case aside); a one-line error otherwise."""
    if lang is None:
        return None
    from ..taxonomy import LANGUAGES

    if lang.strip().lower() not in LANGUAGES:
        raise fail(f"--lang {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang.strip().lower()


WhoArg = Annotated[
    str,
    typer.Argument(help="Municipality, optionally with :YEAR (Vännäs:2016).", show_default=False),
]


# ---------------------------------------------------------------- output format

TEXT, JSON, MARKDOWN = "text", "json", "markdown"


def output_format(json_out: bool, markdown: bool = False) -> str:
    """The one output format a command prints: text, json or markdown."""
    if json_out and markdown:
        raise fail("--json, --markdown: choose one of them", code=USAGE)
    return JSON if json_out else MARKDOWN if markdown else TEXT


def emit(fmt: str, **renderers: Callable[[], str]) -> None:
    """Print what the renderer for ``fmt`` returns (text=..., json=..., markdown=...); ``[]`` for
    empty JSON, so a script always reads JSON."""
    out = renderers[fmt]()
    if out:
        typer.echo(out)
    elif fmt == JSON:
        typer.echo("[]")


# ---------------------------------------------------------------- errors, config, progress


USAGE = (
    2  # exit code of a command line that cannot be used as given (cli/app.py: click's errors too)
)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise (1: bad data or input)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


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


def load_evals(path: Path) -> list[Evaluation]:
    """The corpus at ``path``; each pipe or device named *.yaml there is one error line, skipped."""
    from ..corpus import IRREGULAR, irregular_files, load_corpus

    for p in irregular_files(path):
        typer.echo(f"error: {p}: {IRREGULAR}", err=True)
    return load_corpus(path)


class BarReporter:
    """A progress.Progress on stderr (notes and a bar), so stdout stays clean for results."""

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


# ---------------------------------------------------------------- queries encoded ahead


def dense_texts(queries: Sequence[str]) -> list[str]:
    """The texts dense retrieval embeds for the raw ``queries``, for model/prefetch.py to encode
    while a command starts up (search, gaps): none for a query that is no query (the command
    reports it, or skips it, where it parses it)."""
    from ..search.query import Query, dense_text

    out = []
    for q in queries:
        try:
            out.append(dense_text(Query.parse(q)))
        except KompassError:
            continue
    return out


# ---------------------------------------------------------------- NAME[:YEAR]


def find(evals: list[Evaluation], spec: str, year: int | None = None) -> Evaluation:
    """'Vännäs', 'Vännäs:2016' or 'Vännäs@2016' -> the evaluation (the latest when no year)."""
    from ..names import find_evaluation

    return find_evaluation(evals, spec, year)
