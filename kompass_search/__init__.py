"""kompass-search: find role-model municipalities in Kommunkompassen / Kommunekompasset evaluations.

The public face for scripts; names load on first use, so ``import kompass_search`` stays light
(no torch, no faiss):

    from kompass_search import Filters, Searcher, load_config, prepare_index

    config = load_config()
    searcher = Searcher.open(config, index=prepare_index(config))
    for hit in searcher.search("synpunktshantering", Filters.parse(country="SE"), top=5):
        print(hit.passage.municipality, hit.passage.text, hit.citation)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {
    "Searcher": "kompass_search.search.searcher",
    "Filters": "kompass_search.search.filters",
    "load_corpus": "kompass_search.corpus",
    "load_config": "kompass_search.config",
    "prepare_index": "kompass_search.index.prepare",
    "build_index": "kompass_search.index.build",
}
__all__ = [
    "Filters",
    "Searcher",
    "build_index",
    "load_config",
    "load_corpus",
    "prepare_index",
]

if TYPE_CHECKING:
    from .config import load_config
    from .corpus import load_corpus
    from .index.build import build_index
    from .index.prepare import prepare_index
    from .search.filters import Filters
    from .search.searcher import Searcher


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kompass_search' has no attribute {name!r}")
