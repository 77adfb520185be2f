"""The package's own YAML data files (glossary, templates, calibration), read fast: the parsed data is
kept in the user cache as marshal, like Python keeps bytecode, so a cold command does not parse YAML.

The YAML stays the source: an entry is keyed by the file's path, size and modification time (and
the Python version, marshal's format), so an edited file is parsed again, and its new entry
replaces the old ones of the same file (the cache holds one entry per file, not one per upgrade).
Anything that cannot be cached (an unwritable cache, data marshal cannot hold) is simply parsed
each time.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

import yaml

from . import paths

_PY = f"{sys.implementation.cache_tag}-{marshal.version}"  # marshal's format is per Python
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same data


def parse(text: str) -> Any:
    """YAML text as data, with libyaml's loader when it is installed (else PyYAML's own)."""
    return yaml.load(text, Loader=_LOADER)


def _entry(path: Path) -> Path | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return paths.data_cache() / f"{_key(path)}-{st.st_size}-{st.st_mtime_ns}-{_PY}.marshal"


def _key(path: Path) -> str:
    """What the entries of the file at ``path`` are named by, whatever its version."""
    where = zlib.crc32(str(path.resolve()).encode("utf-8", "surrogateescape"))
    return f"{path.stem}-{where:08x}"


def load(path: Path) -> Any:
    """The data of the YAML file at ``path`` (the cached copy when the file is unchanged).

    Raises what reading and parsing the file raise (OSError, yaml.YAMLError).
    """
    entry = _entry(path)
    if entry is not None:
        try:
            return marshal.loads(entry.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = parse(path.read_text(encoding="utf-8"))
    if entry is not None and _keep(entry, data):
        _prune(entry, _key(path))
    return data


def _keep(entry: Path, data: Any) -> bool:
    """Write ``data`` to ``entry``; whether it was written."""
    try:
        blob = marshal.dumps(data)
    except ValueError:  # e.g. a date: no marshal form
        return False
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, entry)  # whole or absent, also for a concurrent reader
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


def _prune(entry: Path, key: str) -> None:
    """Remove the entries of the same file (``key``) made from another version of it for this
    Python: ``entry`` has just replaced them (another Python's entries are its own)."""
    for old in entry.parent.glob(f"{key}-*-{_PY}.marshal"):
        if old != entry:
            with contextlib.suppress(OSError):
                old.unlink()
