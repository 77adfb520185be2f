"""The CLI tests' shared set-up: a copy of the shipped corpus, a config naming it, the fake model."""

from __future__ import annotations

from pathlib import Path

import pytest
from searchkit import FakeE5, copy_shipped

from kompass_search.model import embed


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A copy of the shipped corpus, a config naming it and an index path; the model is the fake."""
    corpus = copy_shipped(tmp_path / "corpus")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"corpus: {corpus}\nindex: {tmp_path / 'index'}\n", encoding="utf-8")
    monkeypatch.setattr(embed, "query_embedder", lambda config: FakeE5())
    monkeypatch.setattr(embed, "index_embedder", lambda config, progress=None: FakeE5())
    monkeypatch.delenv("KOMPASS_CONFIG", raising=False)
    return {"corpus": corpus, "config": cfg, "index": tmp_path / "index", "tmp": tmp_path}
