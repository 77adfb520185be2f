"""The index folder's lifecycle: a lock so two builds never mix, write aside and swap in, recover a crash."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from ..errors import IndexStateError
from .format import META

LOCK_TIMEOUT = 10.0  # seconds a second `kompass index` waits for the first before it stops


def siblings(out: Path) -> tuple[Path, Path]:
    """The lock file and the aside name of the index at ``out``."""
    return out.with_name(f".{out.name}.lock"), out.with_name(f".{out.name}.old")


def lock(out: Path, timeout: float = LOCK_TIMEOUT) -> Any:
    """An acquired file lock for the index at ``out``; a second writer waits ``timeout`` s, then stops."""
    from filelock import FileLock, Timeout

    out.parent.mkdir(parents=True, exist_ok=True)
    lock_file = siblings(out)[0]
    fl = FileLock(lock_file)
    try:
        fl.acquire(timeout=timeout)
    except Timeout:
        raise IndexStateError(
            f"another `kompass index` run is writing this index (lock {lock_file.name}); "
            "let it finish, then try again",
            out,
        ) from None
    return fl


def recover(out: Path) -> None:
    """Put back an index a crash left renamed aside (between the two renames of a swap)."""
    old = siblings(out)[1]
    if out.exists() or not old.exists():
        return
    try:
        fl = lock(out, timeout=0)
    except IndexStateError:
        return  # a build is running; it will finish the swap itself
    try:
        if not out.exists() and old.exists():
            os.rename(old, out)
    finally:
        fl.release()


def clean_leftovers(out: Path) -> None:
    """Remove temp folders of builds that died (safe: the lock is held, so none is running)."""
    for p in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
    old = siblings(out)[1]
    if old.exists():
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, out)


def kept(p: Path) -> bool:
    """Files an index folder may hold besides the index (index/README.md): carried into every build."""
    return p.is_file() and (
        p.name.upper().startswith("README") or p.name in (".gitignore", ".gitkeep")
    )


def swap(tmp: Path, out: Path) -> None:
    """Put the finished folder ``tmp`` in place of ``out`` (two renames; recover() undoes a crash between)."""
    old = siblings(out)[1]
    if out.exists():
        for p in out.iterdir():
            if kept(p) and not (tmp / p.name).exists():
                shutil.copy2(p, tmp / p.name)
        os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def update_meta(out: Path, **changes: Any) -> None:
    """Change keys of ``out``'s meta.json in place (atomically), under the lock."""
    fl = lock(out)
    try:
        meta_file = out / META
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        meta.update(changes)
        tmp = meta_file.with_name(f".{META}.tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, meta_file)
    finally:
        fl.release()
