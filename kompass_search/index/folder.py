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


def unwritable(out: Path) -> str | None:
    """Why an index cannot be written at ``out`` (a file, inside a file, no permission), or None.
    Cheap: `kompass index` asks before it loads the model; it leaves nothing behind."""
    if out.exists() and not out.is_dir():
        return "is a file, not an index folder; choose a folder (a new one is created)"
    probe = out if out.exists() else out.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"cannot be created: {probe} is a file; choose a folder elsewhere"
    for folder in [out, out.parent] if out.exists() else [probe]:
        try:  # a real try, not os.access: root, read-only mounts and /proc answer it wrongly
            import tempfile  # here: not on a search's way (start-up)

            tempfile.NamedTemporaryFile(dir=folder, prefix=".kompass-probe-").close()
        except OSError as e:
            return f"cannot write in {folder} ({e.strerror}); choose a folder you can write"
    return None


def check_writable(out: Path) -> None:
    """Raise the one-line IndexStateError of ``unwritable`` when the index cannot be written."""
    why = unwritable(out)
    if why is not None:
        raise IndexStateError(why, out)


def lock(out: Path, timeout: float = LOCK_TIMEOUT) -> Any:
    """An acquired file lock for the index at ``out``; a second writer waits ``timeout`` s, then stops."""
    from filelock import FileLock, Timeout

    check_writable(
        out
    )  # never a lock file beside a regular file, nor a wait on a folder we can't write
    lock_file = siblings(out)[0]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(lock_file, os.O_WRONLY | os.O_CREAT, 0o644))
    except OSError as e:  # e.g. /proc: writable on paper, but no file can be made there
        raise IndexStateError(
            f"cannot create files beside it ({e.strerror}); choose another folder", out
        ) from None
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
