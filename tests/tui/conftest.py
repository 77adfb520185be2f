"""TUI fixtures: the shipped corpus indexed once with the fake embedder, and an app factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kompass_search.config import Config
from kompass_search.model.fake import HashingEmbedder
from kompass_search.tui.app import KompassApp, create_app

SHIPPED = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus indexed with HashingEmbedder(64): built once, read by every test."""
    from kompass_search.corpus import load_corpus
    from kompass_search.index.build import build_index

    path = tmp_path_factory.mktemp("tui") / "index"
    build_index(load_corpus(SHIPPED), path, HashingEmbedder(64), corpus=SHIPPED)
    return path


MakeApp = Callable[..., KompassApp]


@pytest.fixture
def make_app(fake_index: Path, tmp_path: Path) -> MakeApp:
    """create_app over the shipped corpus and the fake index; exports go to tmp_path/out."""

    def make(embedder: Any = None, **overrides: Any) -> KompassApp:
        config = Config(
            corpus=overrides.pop("corpus", SHIPPED), index=overrides.pop("index", fake_index)
        )
        return create_app(
            config,
            embedder=embedder or HashingEmbedder(64),
            out_dir=tmp_path / "out",
            **overrides,
        )

    return make
