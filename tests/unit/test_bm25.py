"""The numpy BM25 build (index/bm25.py) gives the arrays bm25s computes, so scores are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from searchkit import shipped

from kompass_search.index import bm25
from kompass_search.index.passages import cut


def _bm25s_arrays(texts: list[str], languages: list[str]) -> tuple[dict[str, int], np.ndarray]:
    """The dense (passage x term) score matrix and vocabulary of bm25s itself, as build used it."""
    bm25s = pytest.importorskip("bm25s")
    corpus = [bm25.tokens(t, lang) for t, lang in zip(texts, languages, strict=True)]
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    retriever = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    s = retriever.scores
    dense = np.zeros((len(texts), len(s["indptr"]) - 1), np.float32)
    for term in range(dense.shape[1]):
        a, b = s["indptr"][term], s["indptr"][term + 1]
        dense[s["indices"][a:b], term] = s["data"][a:b]
    return dict(retriever.vocab_dict), dense


def _ours(folder: Path, n_docs: int) -> tuple[dict[str, int], np.ndarray]:
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    data, indices, indptr = (np.load(folder / f"{n}.npy") for n in ("data", "indices", "indptr"))
    dense = np.zeros((n_docs, len(indptr) - 1), np.float32)
    for term in range(dense.shape[1]):
        dense[indices[indptr[term] : indptr[term + 1]], term] = data[
            indptr[term] : indptr[term + 1]
        ]
    return vocab, dense


def test_the_shipped_corpus_gets_the_arrays_of_bm25s(tmp_path: Path) -> None:
    drafts = [d for ev in shipped() for d in cut(ev)]
    texts = [d.text for d in drafts]
    languages = [d.evaluation.language for d in drafts]
    bm25.build(texts, languages, tmp_path)
    vocab, ours = _ours(tmp_path, len(texts))
    ref_vocab, ref = _bm25s_arrays(texts, languages)
    assert vocab == ref_vocab
    assert ours.shape == ref.shape and ours.shape[1] > 500
    np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=0)
    index = bm25.BM25(tmp_path)
    for query in ("synpunktshantering", "ledarutveckling för chefer", "næringsliv"):
        terms = [t for t in bm25.query_tokens(query) if t in ref_vocab]
        want = ref[:, [ref_vocab[t] for t in terms]].sum(axis=1) if terms else ref[:, 0] * 0
        np.testing.assert_allclose(index.scores(bm25.query_tokens(query)), want, rtol=1e-5)


def test_repeated_words_and_an_empty_passage(tmp_path: Path) -> None:
    texts = ["medborgardialog medborgardialog budget", "", "budget och uppföljning budget"]
    bm25.build(texts, ["sv"] * 3, tmp_path)
    vocab, ours = _ours(tmp_path, 3)
    ref_vocab, ref = _bm25s_arrays(texts, ["sv"] * 3)
    assert vocab == ref_vocab
    np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=0)


def test_no_passages(tmp_path: Path) -> None:
    bm25.build([], [], tmp_path)
    index = bm25.BM25(tmp_path)
    assert index.count == 0 and len(index.scores(["budget"])) == 0
