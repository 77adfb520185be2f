"""The index a search uses: opened when fresh, built on first use or brought up to date from the
configured corpus, or answered from as it is (read-only, being updated elsewhere) with a note."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..config import Config
from ..errors import IndexStateError
from ..model.embed import Embedder
from ..progress import Progress, Quiet
from .build import (
    BuildReport,
    build_index,
    corpus_stamp,
    describe_build,
    new_in_this_version,
    outdated,
)
from .folder import check_writable, lock, unwritable, update_meta
from .format import META
from .reader import Index, open_index


def prepare_index(
    config: Config,
    reporter: Progress | None = None,
    embedder: Callable[[], Embedder] | None = None,
) -> Index:
    """The index at config.index, built from config.corpus on first use and brought up to date when
    the corpus changed since (only changed evaluations are embedded again).

    ``embedder`` makes the indexing embedder when one is needed (default: embed.index_embedder).
    """
    from ..corpus import load_corpus

    rep = reporter or Quiet()
    path = config.index

    def make() -> Embedder:
        if embedder is not None:
            return embedder()
        from ..model.embed import index_embedder

        return index_embedder(config, rep)

    check_index_path(path)
    if not (path / META).exists():
        check_writable(path)
        evals = load_corpus(config.corpus)  # an empty corpus says so before "building"
        rep.note(
            f"no index at {path}: building it from {config.corpus} (first use; later searches reuse it)"
        )
        _report(
            rep,
            build_index(evals, path, make(), corpus=config.corpus, reporter=rep, lock_timeout=600),
        )
        return open_index(path)
    why = outdated(path)
    if why and _built_from(path) == str(config.corpus.resolve()):
        rep.note(why)
        evals = load_corpus(config.corpus)
        _report(
            rep,
            build_index(
                evals,
                path,
                make(),
                corpus=config.corpus,
                rebuild=True,
                reporter=rep,
                lock_timeout=600,
            ),
        )
        return open_index(path)
    index = open_index(path)  # an outdated index of another corpus is refused: how to rebuild it
    built_from = index.meta.get("corpus")
    if built_from != str(config.corpus.resolve()):
        if built_from is not None:  # built from another corpus on purpose: use it, but say so
            rep.note(
                f"note: {path} was built from {built_from}, not {config.corpus}; "
                f"`kompass index {config.corpus} --out {path}` indexes that one"
            )
        return index
    version_new = new_in_this_version(index.meta)
    if index.meta.get("corpus_stamp") == corpus_stamp(config.corpus) and version_new is None:
        return index
    from .passages import evaluation_hash

    evals = load_corpus(config.corpus)
    read_only = unwritable(path)
    same = {e.key: evaluation_hash(e) for e in evals} == index.meta["evaluations"]
    if same and version_new is None:
        if read_only is None:  # files touched, content the same
            update_meta(path, corpus_stamp=corpus_stamp(config.corpus))
        return index
    from ..model.embed import configured_model_id

    index.check_model(configured_model_id(config))
    what = "corpus" if not same else version_new
    if read_only is not None:  # answer from what is there, and say it is out of date
        rep.note(
            f"warning: {path} is stale (the {what} changed since it was built) and cannot be "
            f"updated here ({read_only.split(';')[0]}); answering from it as it is. Update it with "
            f"`kompass index {config.corpus} --out {path}` as a user who can write there"
        )
        return index
    try:
        lock(path, timeout=0).release()
    except IndexStateError:  # a `kompass index` run is updating it: don't wait for that run
        rep.note(f"note: another run is updating {path}; answering from the index as it was")
        return index
    rep.note(f"the {what} changed since the index was built: updating {path}")
    _report(
        rep, build_index(evals, path, make(), corpus=config.corpus, reporter=rep, lock_timeout=600)
    )
    return open_index(path)


def _built_from(path: Path) -> object:
    try:
        return json.loads((path / META).read_text(encoding="utf-8")).get("corpus")
    except (OSError, ValueError, AttributeError):
        return None


def check_index_path(path: Path) -> None:
    """An --index that is a regular file is named as such (not 'no index here'), before any work."""
    if path.exists() and not path.is_dir():
        raise IndexStateError(
            "is a file, not an index folder; point --index at an index folder", path
        )


def _report(rep: Progress, r: BuildReport) -> None:
    rep.note(describe_build(r))
