"""Building the index: a full or incremental build (written aside, swapped in) and prepare_index for first use and refresh."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config
from ..corpus import corpus_files
from ..errors import IndexStateError
from ..glossary import glossary_digest
from ..model.embed import Embedder, IndexEmbedder
from ..models import Evaluation
from ..progress import Progress, Quiet
from ..words import count
from .folder import (
    LOCK_TIMEOUT,
    check_writable,
    clean_leftovers,
    kept,
    lock,
    swap,
    unwritable,
    update_meta,
)
from .format import CONCEPTS, DEFAULT_RECIPE, ENGINE_KEY, FORMAT, LINK_METHOD, META, QUERIES
from .queries import RECIPE as QUERY_RECIPE
from .reader import Index, open_index


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
    if not (out / META).exists():
        if any(not kept(p) for p in out.iterdir()):
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
    # a lazy embedder's dim would load the model: its model id settles the question already
    old.check_model(
        embedder.model_id, None if isinstance(embedder, IndexEmbedder) else embedder.dim
    )
    return old


def _old_concepts(old: Index | None) -> tuple[dict[str, Any], Any] | None:
    """The previous index's concept vectors, if it has readable ones."""
    try:
        return old.concepts if old is not None else None
    except IndexStateError:
        return None


def _old_queries(old: Index | None) -> dict[str, Any]:
    """The previous index's gap query vectors by text, if it has readable ones."""
    try:
        return old.queries if old is not None else {}
    except IndexStateError:
        return {}


def stored_format(path: Path) -> object:
    """The format recorded in the index at ``path`` (None when there is none or it is unreadable)."""
    try:
        meta = json.loads((path / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta.get("format") if isinstance(meta, dict) else None


def outdated(path: Path) -> str | None:
    """Why the index at ``path`` must be rebuilt for this version (another format), else None."""
    fmt = stored_format(path)
    if fmt is None or fmt == FORMAT:
        return None
    return f"{path}: index format {fmt} is not this version's {FORMAT}; rebuilding it"


def up_to_date(path: Path, corpus: Path, model_id: str) -> dict[str, Any] | None:
    """The meta of the index at ``path`` if it was built, in this format and with ``model_id``, from
    ``corpus`` exactly as its files are now (names, sizes, times), its links made by this version's
    method: indexing has nothing to do."""
    try:
        held = lock(path, timeout=0)  # another run writing it: the normal path waits for it
    except IndexStateError:
        return None
    try:
        clean_leftovers(path)  # what a killed run left beside it, as every index run does first
        meta = json.loads((path / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        held.release()
    fresh = (
        isinstance(meta, dict)
        and meta.get("format") == FORMAT
        and meta.get("model_id") == model_id
        and meta.get("recipe") == DEFAULT_RECIPE
        and meta.get("link_method") == LINK_METHOD
        and meta.get("corpus") == str(corpus.resolve())
        and meta.get("corpus_stamp") == corpus_stamp(corpus)
        and _new_in_this_version(meta) is None
    )
    return meta if fresh else None


def _new_in_this_version(meta: dict[str, Any]) -> str | None:
    """What this version of kompass-search makes otherwise than the index whose ``meta`` this is,
    with the same corpus: its glossary (concept and passage vectors, links), then its choice of gap
    queries; None when neither."""
    concepts, queries = meta.get("concepts"), meta.get("queries")
    if not isinstance(concepts, dict) or concepts.get("glossary") != glossary_digest():
        return "glossary of this version"
    if not isinstance(queries, dict) or queries.get("recipe") != QUERY_RECIPE:
        return "gap queries of this version"
    return None


def build_index(
    evals: Sequence[Evaluation],
    out: Path,
    embedder: Embedder,
    *,
    corpus: Path | None = None,
    rebuild: bool = False,
    recipe: str = DEFAULT_RECIPE,  # passages.RECIPES
    reporter: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> BuildReport:
    """Index ``evals`` into ``out``. Vectors of unchanged passage texts are reused from the previous
    index unless ``rebuild``; the new index is written beside ``out`` and renamed into place."""
    import numpy as np  # here, not at the top: a search that finds its index fresh needs

    from ..model.embed import query_side
    from .concepts import (
        concept_meta,
        embed_concepts,
        held_at_build,
    )  # none of these (start-up time, see
    from .plan import Plan  # README Performance)
    from .queries import embed_gap_queries, gap_texts, query_meta
    from .writer import write

    rep = reporter or Quiet()
    t0 = time.perf_counter()
    fl = lock(out, lock_timeout)
    try:
        clean_leftovers(out)
        why = None if rebuild else outdated(out)
        if why:
            rep.note(why)
        old = _previous(out, embedder, rebuild or why is not None)
        plan = Plan(evals, recipe, old)
        if isinstance(embedder, IndexEmbedder):
            # picks the engine; nothing is loaded when it stays 0
            embedder.work = plan.n_new + len(plan.link_texts)
        vectors, embed_s = plan.embed(embedder, rep)
        gap_queries = gap_texts(evals)
        queries = embed_gap_queries(lambda: query_side(embedder), gap_queries, _old_queries(old))
        concept_ids, concepts = embed_concepts(
            lambda: query_side(embedder),
            held_at_build(gap_queries),
            _old_concepts(old),
            vectors.shape[1],
        )
        import tempfile  # here: not on a search's way (start-up)

        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; an index is as readable as its parent
            source: dict[str, Any] = {
                "corpus": str(corpus.resolve()) if corpus is not None else None,
                "corpus_stamp": corpus_stamp(corpus) if corpus is not None else None,
            }
            source["concepts"] = concept_meta(concept_ids)
            np.save(tmp / CONCEPTS, concepts)
            source["queries"] = query_meta(gap_queries)
            np.save(tmp / QUERIES, queries)
            if getattr(embedder, "engine", "") is None and old is not None:
                source[ENGINE_KEY] = old.meta.get(ENGINE_KEY)  # nothing embedded: vectors as before
            write(tmp, plan, vectors, embedder, source)
            swap(tmp, out)
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
    version_new = _new_in_this_version(index.meta)
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


def describe_build(r: BuildReport, wall: float | None = None) -> str:
    """One line about a build; ``wall``: the seconds the user waited (model loading included),
    reported instead of the build's own."""
    speed = f" at {r.passages_per_s:.0f} passages/s" if r.embedded else ""
    seconds = r.seconds if wall is None else wall
    return (
        f"indexed {count(r.passages, 'passage')} from {count(r.evaluations, 'evaluation')} in "
        f"{seconds:.1f} s: {r.embedded} embedded{speed}, {r.reused} reused "
        f"({r.unchanged} of {count(r.evaluations, 'evaluation')} unchanged)"
    )
