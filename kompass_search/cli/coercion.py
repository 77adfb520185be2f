"""Typer's argument coercion without pydantic for the plain types our options use (start-up time).

typer 0.29 coerces every parameter value through a pydantic TypeAdapter, built while the arguments
are parsed: importing pydantic and building the adapters was ~0.23 s of a 0.71 s cold
`kompass search` (issue #13), more than the query itself. Our options are str, int, float, Path
and bool (optionally None), with at most a lower/upper bound: for those, ``install`` makes typer
use a converter with pydantic's messages instead. Anything else (e.g. ``list[str]``), and a typer
without this hook, keeps typer's own coercion unchanged.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

_MESSAGES: dict[type, str] = {
    int: "Input should be a valid integer, unable to parse string as an integer",
    float: "Input should be a valid number, unable to parse string as a number",
}


def _plain(annotation: Any) -> type | None:
    """``annotation`` without ``| None`` when it is one of the plain types, else None."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        annotation = args[0]
    return annotation if annotation in (str, int, float, Path, bool) else None


def _convert(kind: type, value: Any) -> Any:
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if kind is bool:
        raise ValueError("Input should be a valid boolean")
    if kind in (int, float):
        if isinstance(value, str):
            value = value.strip()
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ValueError(_MESSAGES[kind]) from None
    return kind(value)  # str, Path


def install() -> bool:
    """Make typer coerce plain-typed parameters without pydantic; False if this typer has no hook."""
    try:
        import typer.core as core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
        from typer._param_types import coerce_cli_path
    except ImportError:
        return False
    original: Callable[[Any], Any] | None = getattr(core, "build_runtime_param", None)
    if original is None or getattr(original, "_kompass", False):
        return original is not None

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        kind: type

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            try:
                out = _convert(self.kind, value)
            except ValueError as e:
                raise BadParameter(str(e), ctx=ctx, param=param) from None
            if self.kind is Path:  # typer's own checks (exists, resolve_path...), given a Path
                return coerce_cli_path(out, info, path_type=Path, param=param, ctx=ctx)
            if info.min is not None and out < info.min:
                raise BadParameter(
                    f"Input should be greater than or equal to {info.min}", ctx=ctx, param=param
                )
            if info.max is not None and out > info.max:
                raise BadParameter(
                    f"Input should be less than or equal to {info.max}", ctx=ctx, param=param
                )
            return out

    def build_runtime_param(descriptor: Any) -> Any:
        kind = _plain(descriptor.annotation)
        info = descriptor.parameter_info
        simple = (
            kind is not None
            and descriptor.file_annotation is None
            and not getattr(info, "clamp", False)
            and getattr(info, "parser", None) is None
            and getattr(info, "path_type", None) in (None, Path)
            and (kind in (int, float) or (info.min is None and info.max is None))
        )
        if kind is None or not simple:
            return original(descriptor)
        return PlainRuntimeParam(parameter_info=info, annotation=descriptor.annotation, kind=kind)

    build_runtime_param._kompass = True  # type: ignore[attr-defined]
    core.build_runtime_param = build_runtime_param
    return True
