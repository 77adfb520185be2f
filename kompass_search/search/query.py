"""A query and a retrieval mode, each checked once (``Query.parse``, ``Mode.parse``); the text dense retrieval embeds for a query."""

from __future__ import annotations

from ..bokmal import search_text
from ..errors import QueryError

MODES = ("dense", "bm25", "hybrid")
MAX_QUERY_CHARS = 1000  # e5 reads 512 tokens; a longer "query" is a pasted document, not a question


def is_utf8(text: str) -> bool:
    """False for text that came from bytes that were not UTF-8: surrogate escapes (how Python
    passes such command-line bytes on) or U+FFFD (where they were replaced)."""
    return "\ufffd" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


class Query(str):
    """A query that passed ``Query.parse``: whitespace collapsed, has words, not too long.

    The CLI parses the query before any index work; the searcher takes a ``Query`` as it is and
    parses a plain str itself, so each query is checked once on its way.
    """

    @classmethod
    def parse(cls, raw: str) -> Query:
        if isinstance(raw, Query):
            return raw
        if not is_utf8(raw):
            raise QueryError(
                "not valid UTF-8 (the terminal or script sent other bytes); "
                "set a UTF-8 locale (e.g. LANG=sv_SE.UTF-8) or type the query again",
                "query",
            )
        q = " ".join(raw.split())
        if not q:
            raise QueryError(
                'empty query; ask in a few words, e.g. kompass search "synpunktshantering"'
            )
        if not any(ch.isalnum() for ch in q):
            # Emoji or punctuation only: every passage would be an equally arbitrary "best match".
            raise QueryError(
                f'the query {q[:40]!r} has no words to search for; ask in words, e.g. "medborgardialog"'
            )
        if len(q) > MAX_QUERY_CHARS:
            raise QueryError(
                f"query is {len(q)} characters long; keep it under {MAX_QUERY_CHARS} (a question, not a document)"
            )
        return cls(q)


class Mode(str):
    """A retrieval mode that passed ``Mode.parse`` (one of MODES)."""

    @classmethod
    def parse(cls, raw: str) -> Mode:
        if isinstance(raw, Mode):
            return raw
        if raw not in MODES:
            raise QueryError(f"--mode {raw!r}: use one of {', '.join(MODES)}")
        return cls(raw)


def dense_text(query: str) -> str:
    """The text dense retrieval embeds for ``query`` (``Searcher.evidence``): the query, its bokmål
    words in Swedish (bokmal.py; the glossary concepts it names are added as vectors,
    index/concepts.py). A caller that encodes ahead (model/prefetch.py) must encode this text, or
    its vector is not the one searched with."""
    return search_text(query)
