"""YAML data files read fast: the package's own (glossary, templates, calibration) and the corpus's
evaluation files. The parsed data is kept in the user cache as marshal, like Python keeps bytecode,
so a cold command does not parse YAML.

The YAML stays the source: an entry is keyed by the file's path, size, modification and status
change times (and the Python version, marshal's format), so an edited file is parsed again, and a
file whose permissions changed is read again (an unreadable one fails as it would uncached). The
new entry replaces the file's older ones for this Python: the cache holds one entry per file.
Anything that cannot be cached (an unwritable cache, data marshal cannot hold) is simply parsed
each time.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from glob import escape
from pathlib import Path
from typing import Any

import yaml

from . import paths

_PY = f"{sys.implementation.cache_tag}-{marshal.version}"  # marshal's format is per Python
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same data


def parse(text: str) -> Any:
    """YAML text as data, with libyaml's loader when it is installed (else PyYAML's own)."""
    return yaml.load(text, Loader=_LOADER)


def _entry(path: Path) -> tuple[Path, str] | None:
    """The cache entry of the file at ``path`` as it is now, and the name prefix of all its entries."""
    try:
        st = path.stat()
    except OSError:
        return None
    where = zlib.crc32(str(path.resolve()).encode("utf-8", "surrogateescape"))
    prefix = f"{path.stem}-{where:08x}-"
    name = f"{prefix}{st.st_size}-{st.st_mtime_ns}-{st.st_ctime_ns}-{_PY}.marshal"
    return paths.data_cache() / name, prefix


def _read_text(path: Path) -> Any:
    return parse(path.read_text(encoding="utf-8"))


def load(path: Path, read: Callable[[Path], Any] = _read_text) -> Any:
    """The data of the YAML file at ``path`` (the cached copy when the file is unchanged); ``read``
    reads and parses the file when there is none (default: UTF-8 text, ``parse``).

    Raises what ``read`` raises (by default OSError, yaml.YAMLError); nothing is kept then.
    """
    found = _entry(path)
    if found is not None:
        try:
            return marshal.loads(found[0].read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = read(path)
    if found is not None:
        _keep(*found, data)
    return data


def _keep(entry: Path, prefix: str, data: Any) -> None:
    try:
        blob = marshal.dumps(data)
    except ValueError:  # e.g. a date: no marshal form
        return
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, entry)  # whole or absent, also for a concurrent reader
        # one entry per file: those of its earlier versions go (a corpus file edited often); another
        # Python's entries are its own (two venvs sharing the cache would else replace each other's)
        for old in entry.parent.glob(f"{escape(prefix)}*-{_PY}.marshal"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
