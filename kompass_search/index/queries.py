"""Gap query vectors: the texts `kompass gaps` searches with, embedded once, at index time, as queries.

`kompass gaps` searches each gap's subquestion title (an area name for an evaluation without
subquestions: search/roles.py ``weakest``) for the role models' practices. Those texts come with
the corpus, so the index embeds them when it is built, with the encoder a search uses for queries
(model.embed ``query_side``), and a cold `kompass gaps` looks them up instead of loading the
engine (start-up time: README Performance). Kept: each evaluation's ``TOP`` weakest, the gaps
`kompass gaps` shows by default (16 texts for the shipped corpus; all 71 titles and area names
would cost a first index ~1 s more). A text the index lacks (a larger --top, an index of another
corpus, a title edited since) is encoded as before; a lookup never changes what is searched with.

The vectors live in the index (QUERIES, rows in the order of meta ``queries`` ``texts``); an update
reuses those of texts it kept and embeds only new ones. ``RECIPE`` names which texts are kept: an
index made with another recipe is brought up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..bokmal import search_text
from ..models import Evaluation

if TYPE_CHECKING:
    import numpy as np

    from ..model.embed import Embedder

# meta["queries"]["recipe"]: which texts are kept (gap_texts) and how they are encoded ("-sv": as a
# search encodes them, bokmål words in Swedish: bokmal.search_text)
RECIPE = "gap-titles-top3-sv"
TOP = 3  # `kompass gaps --top`'s default (cli/roles_cmds.py; a test holds them equal)


def gap_texts(evals: Iterable[Evaluation], top: int = TOP) -> list[str]:
    """The texts the ``top`` weakest gaps of these evaluations are searched with, once each: their
    titles (``gap_titles``) as a dense search embeds them (bokmål words in Swedish:
    bokmal.search_text, as search/query.py ``dense_text``)."""
    return list(dict.fromkeys(search_text(t) for t in gap_titles(evals, top)))


def gap_titles(evals: Iterable[Evaluation], top: int = TOP) -> list[str]:
    """The ``top`` weakest gaps of these evaluations, once each: the subquestion titles of those
    with subquestions, the scored area names of the others (as search/roles.py ``weakest`` orders
    them), whitespace collapsed as a query's is (search/query.py ``Query.parse``)."""
    out: list[str] = []
    for e in evals:
        titles = (
            [s.title for s in e.weakest_subquestions()[:top]]
            if e.subquestions
            else [a.name for _, a in e.weakest_areas()[:top]]
        )
        out += [t for t in (" ".join(t.split()) for t in titles) if t]
    return list(dict.fromkeys(out))


def query_meta(texts: list[str]) -> dict[str, Any]:
    """What meta.json records about the query vectors: the recipe and the texts, in row order."""
    return {"recipe": RECIPE, "texts": texts}


def embed_gap_queries(
    encoder: Callable[[], Embedder], texts: list[str], old: Mapping[str, np.ndarray]
) -> np.ndarray:
    """The vectors of ``texts`` (float32, in their order): those ``old`` holds (the previous index's,
    same model), the others from ``encoder`` (made only when some are missing), as it returns them,
    so a lookup serves exactly what encoding the text at search time gives."""
    import numpy as np

    todo = [t for t in texts if t not in old]
    new: dict[str, np.ndarray] = {}
    if todo:
        got = np.asarray(encoder().embed_queries(todo), np.float32)
        new = dict(zip(todo, got, strict=True))
    if not texts:
        return np.zeros((0, 0), np.float32)
    return np.ascontiguousarray(
        np.stack([new[t] if t in new else np.asarray(old[t], np.float32) for t in texts])
    )
