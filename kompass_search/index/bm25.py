"""BM25 over passages: Swedish/Norwegian stemming, built and scored with numpy (bm25s's arrays).

Language: a passage is stemmed with the stemmer of its evaluation's language (the template says
sv or no). A query's language is not known (and is often a third one), so each query word is
stemmed with both stemmers and the distinct stems are the query terms; a stem that one language
does not use simply matches nothing there. After stemming, Norwegian æ/ø are folded to Swedish
ä/ö so that cognates meet across the two languages (næringsliv / näringsliv).

Neither building nor querying imports bm25s (it pulls in scipy: ~0.5 s of every index build, ~0.1 s
of a cold start): the index is saved as plain arrays of the score matrix bm25s computes (term ->
passages, CSC) plus a vocabulary; tests/unit/test_bm25.py checks the two agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

_WORD = re.compile(r"\b\w\w+\b")
_FOLD = str.maketrans({"æ": "ä", "ø": "ö"})
STEMMERS = {"sv": "swedish", "no": "norwegian"}
FORMAT = 1
PARAMS = {"k1": 1.5, "b": 0.75, "method": "lucene"}  # bm25s.BM25's, whose arrays build() makes


@cache
def _stemmer(language: str) -> Any:
    import Stemmer

    return Stemmer.Stemmer(STEMMERS[language])


@cache
def _stopwords(language: str) -> frozenset[str]:
    return frozenset(_STOPWORDS[language].split())


def _words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in stop and not w.isdigit()]


def tokens(text: str, language: str) -> list[str]:
    """Lower-cased words of two letters or more, minus stopwords, stemmed in ``language``, folded."""
    words = _words(text, _stopwords(language))
    return [s.translate(_FOLD) for s in _stemmer(language).stemWords(words)]


def query_tokens(text: str) -> list[str]:
    """The distinct stems of a query under every known language, in first-seen order.

    A word that is a stopword in any of the languages is dropped ("för" is not Norwegian).
    """
    words = _words(text, frozenset().union(*(_stopwords(lang) for lang in STEMMERS)))
    seen: dict[str, None] = {}
    for language in STEMMERS:
        for s in _stemmer(language).stemWords(words):
            seen.setdefault(s.translate(_FOLD), None)
    return list(seen)


def build(texts: Sequence[str], languages: Sequence[str], folder: Path) -> None:
    """Index ``texts`` (each stemmed in its language) and save plain arrays in ``folder``.

    The arrays are those bm25s (``BM25(k1=1.5, b=0.75, method="lucene")``) computes, here in
    numpy: bm25s imports scipy, half a second of every index build (a test checks they agree).
    """
    corpus = [tokens(t, lang) for t, lang in zip(texts, languages, strict=True)]
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    data, indices, indptr = _score_matrix(ids, len(vocab))
    if texts:
        vocab[""] = len(vocab)  # bm25s's empty token; no passage has it
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "data.npy", data)
    np.save(folder / "indices.npy", indices)
    np.save(folder / "indptr.npy", indptr)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    params = {"format": FORMAT, "count": len(texts), **PARAMS}
    (folder / "params.json").write_text(json.dumps(params), encoding="utf-8")


def _score_matrix(
    ids: Sequence[Sequence[int]], n_vocab: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The BM25 (Lucene variant) score of every (passage, term) pair, as a term-major sparse matrix
    (CSC: data, passage indices, term pointers): idf * tf / (tf + k1 * (1 - b + b * len / avg))."""
    k1, b = PARAMS["k1"], PARAMS["b"]
    assert isinstance(k1, float) and isinstance(b, float)
    n_docs = len(ids)
    if not n_docs:
        return np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64)
    lengths = np.array([len(doc) for doc in ids], np.int64)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    term = np.fromiter((t for d in ids for t in d), np.int64, int(lengths.sum()))
    pair, tf = np.unique(term * n_docs + doc, return_counts=True)  # sorted: term, then passage
    term, doc = pair // n_docs, pair % n_docs
    df = np.bincount(term, minlength=n_vocab)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    avg = lengths.mean()
    tfc = tf / (k1 * ((1 - b) + b * lengths[doc] / avg) + tf)
    data = (idf[term] * tfc).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return data, doc.astype(np.int32), indptr


class BM25:
    """A saved BM25 index, memory-mapped; ``scores`` gives every passage's score for a query."""

    def __init__(self, folder: Path) -> None:
        self.count = int(json.loads((folder / "params.json").read_text(encoding="utf-8"))["count"])
        self.vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.data = np.load(folder / "data.npy", mmap_mode="r")
        self.indices = np.load(folder / "indices.npy", mmap_mode="r")
        self.indptr = np.load(folder / "indptr.npy", mmap_mode="r")

    def scores(self, terms: Iterable[str]) -> np.ndarray:
        """(count,) float32: the BM25 score of each passage for the (distinct) query ``terms``."""
        ids = [self.vocab[t] for t in dict.fromkeys(terms) if t in self.vocab]
        if not ids:
            return np.zeros(self.count, np.float32)
        spans = [(int(self.indptr[i]), int(self.indptr[i + 1])) for i in ids]
        docs = np.concatenate([self.indices[a:b] for a, b in spans])
        weights = np.concatenate([self.data[a:b] for a, b in spans])
        return np.bincount(docs, weights=weights, minlength=self.count).astype(np.float32)


# Function words only (from the Snowball lists), so that "hur" or "og" does not decide a ranking.
_STOPWORDS = {
    "sv": """alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din
    dina ditt du där då efter ej eller en er era ert ett från för ha hade han hans har henne hennes
    hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt
    mot mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitta själv skulle
    som så sådan sådana sådant till under upp ut utan vad var vara varför varit varje vars vart vem
    vi vid vilka vilkas vilken vilket vår våra vårt än är åt över""",
    "no": """alle at av bare begge ble blei bli blir blitt både båe da de deg dei deim deira deires dem
    den denne der dere deres det dette di din disse ditt du dykk dykkar då eg ein eit eitt eller elles
    en enn er et ett etter for fordi fra før ha hadde han hans har hennar henne hennes her hjå ho hoe
    honom hoss hossen hun hva hvem hver hvilke hvilken hvis hvor hvordan hvorfor i ikke ikkje ingen
    ingi inkje inn inni ja jeg kan kom korleis korso kun kunne kva kvar kvarhelst kven kvi kvifor man
    mange me med medan meg meget mellom men mi min mine mitt mot mykje ned no noe noen noka noko nokon
    nokor nokre nå når og også om opp oss over på samme seg selv si sia sidan siden sin sine sitt sjøl
    skal skulle slik so som somme somt så sånn til um upp ut uten var vart varte ved vere verte vi vil
    ville vore vors vort vår være vært å""",
}
