"""Building the index: first use and refresh, a lock so two builds never mix, written aside and swapped in."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .config import DEFAULT_MODEL, Config
from .corpus import corpus_files
from .embed import Embedder
from .errors import IndexStateError
from .index import Index, open_index
from .indexplan import Plan, write
from .models import Evaluation
from .passages import DEFAULT_RECIPE

LOCK_TIMEOUT = 10.0  # seconds a second `kompass index` waits for the first before it stops


class Reporter(Protocol):
    """Where a build tells what it does: notes, and one progress bar at a time (the CLI draws it)."""

    def note(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class Quiet:
    """A Reporter that says nothing."""

    def note(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


@dataclass(frozen=True)
class BuildReport:
    passages: int
    embedded: int  # passages whose vectors were computed in this build
    reused: int  # passages whose vectors came from the previous index
    evaluations: int
    unchanged: int  # evaluations whose content hash equals the previous index's
    seconds: float
    embed_seconds: float

    @property
    def passages_per_s(self) -> float:
        return self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0


def _siblings(out: Path) -> tuple[Path, Path]:
    return out.with_name(f".{out.name}.lock"), out.with_name(f".{out.name}.old")


def lock(out: Path, timeout: float = LOCK_TIMEOUT) -> Any:
    """An acquired file lock for the index at ``out``; a second writer waits ``timeout`` s, then stops."""
    from filelock import FileLock, Timeout

    out.parent.mkdir(parents=True, exist_ok=True)
    lock_file = _siblings(out)[0]
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
    old = _siblings(out)[1]
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


def corpus_stamp(corpus: Path) -> list[list[Any]]:
    """Names, sizes and modification times of the corpus files: a cheap 'did it change?' check."""
    out: list[list[Any]] = []
    for p in corpus_files(corpus):
        st = p.stat()
        out.append([p.name, st.st_size, st.st_mtime_ns])
    return out


def _previous(out: Path, embedder: Embedder, rebuild: bool) -> Index | None:
    if not out.exists():
        return None
    if not (out / "meta.json").exists():
        if any(not _kept(p) for p in out.iterdir()):
            raise IndexStateError(
                "exists and is not a kompass index; choose another --out or empty it", out
            )
        return None
    try:
        old = Index(out)
    except IndexStateError:
        if rebuild:
            return None
        raise
    if rebuild:
        return None
    old.check_model(embedder.model_id, embedder.dim)
    return old


def build_index(
    evals: Sequence[Evaluation],
    out: Path,
    embedder: Embedder,
    *,
    corpus: Path | None = None,
    rebuild: bool = False,
    recipe: str = DEFAULT_RECIPE,  # passages.RECIPES
    reporter: Reporter | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> BuildReport:
    """Index ``evals`` into ``out``. Vectors of unchanged passage texts are reused from the previous
    index unless ``rebuild``; the new index is written beside ``out`` and renamed into place."""
    rep = reporter or Quiet()
    t0 = time.perf_counter()
    fl = lock(out, lock_timeout)
    try:
        _clean_leftovers(out)
        old = _previous(out, embedder, rebuild)
        plan = Plan(evals, recipe, old)
        vectors, embed_s = plan.embed(embedder, rep)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; an index is as readable as its parent
            source = {
                "corpus": str(corpus.resolve()) if corpus is not None else None,
                "corpus_stamp": corpus_stamp(corpus) if corpus is not None else None,
            }
            write(tmp, plan, vectors, embedder, source)
            _swap(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        fl.release()
    return BuildReport(
        passages=len(plan.texts),
        embedded=plan.n_new,
        reused=len(plan.texts) - plan.n_new,
        evaluations=len(evals),
        unchanged=plan.unchanged,
        seconds=time.perf_counter() - t0,
        embed_seconds=embed_s,
    )


def _clean_leftovers(out: Path) -> None:
    """Remove temp folders of builds that died (safe: the lock is held, so none is running)."""
    for p in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
    old = _siblings(out)[1]
    if old.exists():
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, out)


def _kept(p: Path) -> bool:
    """Files an index folder may hold besides the index (index/README.md): carried into every build."""
    return p.is_file() and (
        p.name.upper().startswith("README") or p.name in (".gitignore", ".gitkeep")
    )


def _swap(tmp: Path, out: Path) -> None:
    old = _siblings(out)[1]
    if out.exists():
        for p in out.iterdir():
            if _kept(p) and not (tmp / p.name).exists():
                shutil.copy2(p, tmp / p.name)
        os.rename(out, old)
    os.rename(tmp, out)  # a crash between the renames is undone by recover()
    shutil.rmtree(old, ignore_errors=True)


def restamp(out: Path, corpus: Path) -> None:
    """Record the corpus's current file stamp (its content was checked unchanged) without rebuilding."""
    fl = lock(out)
    try:
        meta_file = out / "meta.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        meta["corpus_stamp"] = corpus_stamp(corpus)
        tmp = meta_file.with_name(".meta.json.tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, meta_file)
    finally:
        fl.release()


def configured_model_id(config: Config) -> str:
    """The model id an index must have been built with for ``config`` (no model is loaded)."""
    if config.model == DEFAULT_MODEL:
        return DEFAULT_MODEL
    from .embed import local_model_id

    return local_model_id(Path(config.model).expanduser())


def prepare_index(
    config: Config,
    reporter: Reporter | None = None,
    embedder: Callable[[], Embedder] | None = None,
) -> Index:
    """The index at config.index, built from config.corpus on first use and brought up to date when
    the corpus changed since (only changed evaluations are embedded again).

    ``embedder`` makes the indexing embedder when one is needed (default: embed.index_embedder).
    """
    from .corpus import load_corpus

    rep = reporter or Quiet()
    path = config.index
    recover(path)

    def make() -> Embedder:
        if embedder is not None:
            return embedder()
        from .embed import index_embedder

        return index_embedder(config, rep.note)

    if not (path / "meta.json").exists():
        rep.note(
            f"no index at {path}: building it from {config.corpus} (first use; later searches reuse it)"
        )
        evals = load_corpus(config.corpus)
        _report(
            rep,
            build_index(evals, path, make(), corpus=config.corpus, reporter=rep, lock_timeout=600),
        )
        return open_index(path)
    index = open_index(path)
    built_from = index.meta.get("corpus")
    if built_from != str(config.corpus.resolve()):
        if built_from is not None:  # built from another corpus on purpose: use it, but say so
            rep.note(
                f"note: {path} was built from {built_from}, not {config.corpus}; "
                f"`kompass index {config.corpus} --out {path}` indexes that one"
            )
        return index
    if index.meta.get("corpus_stamp") == corpus_stamp(config.corpus):
        return index
    from .passages import evaluation_hash

    evals = load_corpus(config.corpus)
    if {e.key: evaluation_hash(e) for e in evals} == index.meta["evaluations"]:
        restamp(path, config.corpus)  # files touched, content the same
        return index
    index.check_model(configured_model_id(config))
    try:
        lock(path, timeout=0).release()
    except IndexStateError:  # a `kompass index` run is updating it: don't wait for that run
        rep.note(f"note: another run is updating {path}; answering from the index as it was")
        return index
    rep.note(f"the corpus changed since the index was built: updating {path}")
    _report(
        rep, build_index(evals, path, make(), corpus=config.corpus, reporter=rep, lock_timeout=600)
    )
    return open_index(path)


def _report(rep: Reporter, r: BuildReport) -> None:
    rep.note(describe_build(r))


def describe_build(r: BuildReport) -> str:
    speed = f" at {r.passages_per_s:.0f} passages/s" if r.embedded else ""
    return (
        f"indexed {r.passages} passages from {r.evaluations} evaluations in {r.seconds:.1f} s: "
        f"{r.embedded} embedded{speed}, {r.reused} reused ({r.unchanged} evaluations unchanged)"
    )
