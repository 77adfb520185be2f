"""The KompassError family: every message names the file or argument and says what to do."""

from __future__ import annotations

from pathlib import Path


class KompassError(Exception):
    """A user-facing error. ``str(err)`` is one line: ``<where>: <what is wrong and the fix>``."""

    def __init__(self, message: str, where: str | Path | None = None) -> None:
        self.where = str(where) if where is not None else None
        self.message = " ".join(message.split())
        super().__init__(f"{self.where}: {self.message}" if self.where else self.message)


class IngestError(KompassError):
    """A report could not be read or parsed."""


class CorpusError(KompassError):
    """A corpus YAML file is missing, unreadable or invalid."""


class TemplateError(KompassError):
    """An unknown template, area or label."""


class IndexStateError(KompassError):
    """The index is missing, stale, locked or built with another model."""


class ModelError(KompassError):
    """The embedding model is missing or cannot be built."""


class ConfigError(KompassError):
    """The configuration file is invalid."""


class QueryError(KompassError):
    """A query or filter the search cannot answer."""


class NotFoundError(KompassError):
    """A municipality or evaluation that is not in the corpus."""
