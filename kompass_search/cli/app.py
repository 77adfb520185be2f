"""The typer application every command module adds its commands to (no commands here)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.24 carries its own copy of click: its usage errors are that copy's classes
    from typer._click import core as click
    from typer._click import exceptions as cx
except ImportError:  # pragma: no cover - an older typer uses click itself
    import click  # type: ignore[no-redef]
    from click import exceptions as cx  # type: ignore[no-redef]

from .. import __version__
from . import coercion

coercion.install()  # plain option types without pydantic: ~0.2 s off every command's start-up


class UsageLine(cx.UsageError):
    """A usage error shown as one line, ``error: <argument>: <what is wrong>; see --help``."""

    def show(self, file: Any = None) -> None:
        typer.echo(f"error: {self.format_message()}", err=True)


def _usage_line(e: cx.UsageError, command: str | None = None) -> UsageLine:
    ctx = e.ctx
    path = ctx.command_path if ctx is not None and ctx.parent is not None else command
    where = f"`{path or 'kompass'} --help`"
    if isinstance(e, cx.BadParameter) and e.param is not None:
        if e.param.param_type_name == "argument":
            name = (e.param.name or "argument").upper()
        else:
            name = "/".join(getattr(e.param, "opts", ())) or str(e.param.name)
        what = "missing; give it" if isinstance(e, cx.MissingParameter) else e.message.rstrip(".")
        message = f"{name}: {what}"
    else:
        message = e.message.rstrip(".")
        if "unexpected extra argument" in message:
            message += '; put a name with spaces in quotes, e.g. "Midtre Gauldal"'
    return UsageLine(f"{message}; see {where}", ctx)


class OneLineErrors(TyperGroup):
    """Click's usage errors (a bad option value, a missing or extra argument, an unknown option or
    command) become one ``error:`` line on stderr and exit 2, for every command at once."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except cx.NoArgsIsHelpError:
            raise
        except cx.UsageError as e:
            raise _usage_line(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        sub = getattr(ctx, "_protected_args", None) or [None]  # the command being parsed
        try:
            return super().invoke(ctx)
        except (cx.NoArgsIsHelpError, UsageLine):
            raise
        except cx.UsageError as e:
            raise _usage_line(e, f"{ctx.command_path} {sub[0]}" if sub[0] else None) from None


app = typer.Typer(
    name="kompass",
    cls=OneLineErrors,
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
