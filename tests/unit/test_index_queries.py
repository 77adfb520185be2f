"""Gap query vectors (index/queries.py): stored at index time, reused on update, stale detection, and
`kompass gaps` searching with exactly the vectors encoding would give, without loading an engine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from searchkit import FakeE5, config, fictional, provby, shipped, vannas, write_corpus

from kompass_search.cli.common import dense_texts
from kompass_search.errors import IndexStateError, KompassError
from kompass_search.index.build import build_index, up_to_date
from kompass_search.index.format import META, QUERIES
from kompass_search.index.prepare import prepare_index
from kompass_search.index.queries import RECIPE, TOP, gap_texts
from kompass_search.index.reader import Index
from kompass_search.model import embed
from kompass_search.model.prefetch import KnownQueries
from kompass_search.models import Evaluation, Subquestion
from kompass_search.progress import Advance
from kompass_search.search.practices import relevant_practices
from kompass_search.search.roles import gaps, weakest
from kompass_search.search.searcher import Searcher


class Counting(FakeE5):
    """FakeE5 that records the texts it embeds as queries."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += texts
        return super().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return super().embed_passages(texts, progress)


def _corpus() -> list[Evaluation]:
    return [*fictional(), vannas(), provby()]


def test_the_default_gaps_of_the_shipped_corpus_have_their_texts_kept() -> None:
    """gap_texts is what `kompass gaps` searches with by default (roles.weakest's first --top titles,
    as dense_texts makes them): a drift between them would only cost start-up time, and this test."""
    import inspect

    from kompass_search.cli import roles_cmds

    assert inspect.signature(roles_cmds.gaps).parameters["top"].default == TOP
    evals = shipped()
    for top in (TOP, 6):
        searched = set()
        for e in evals:
            try:
                searched |= set(dense_texts([g.title for g in weakest(e)[:top]]))
            except KompassError:  # a total-only record has no gaps
                continue
        assert searched and searched == set(gap_texts(evals, top))
    odd = replace(vannas(), subquestions=(Subquestion("1.1", "  Finns   en\tplan? ", 1, 2, 50),))
    assert gap_texts([odd]) == dense_texts(["  Finns   en\tplan? "]) == ["Finns en plan?"]


def test_the_index_keeps_each_gap_text_as_the_query_encoder_gives_it(tmp_path: Path) -> None:
    evals = _corpus()
    build_index(evals, tmp_path / "ix", FakeE5())
    ix = Index(tmp_path / "ix")
    texts = gap_texts(evals)
    assert ix.meta["queries"] == {"recipe": RECIPE, "texts": texts}
    assert list(ix.queries) == texts and len(texts) > 10
    fresh = FakeE5()
    for t in texts:  # bit for bit what encoding the text at search time gives
        assert np.array_equal(ix.queries[t], fresh.embed_queries([t])[0])


def test_an_update_reuses_kept_vectors_and_embeds_only_new_texts(tmp_path: Path) -> None:
    evals = _corpus()
    build_index(evals, tmp_path / "ix", FakeE5())
    twin = replace(vannas(), municipality="Tvillingby")  # the same titles
    again = Counting()
    build_index([*evals, twin], tmp_path / "ix", again)
    assert not set(again.queries) & set(gap_texts(evals))
    new_title = "Hur följer kommunen upp sina nya mål?"
    other = replace(
        provby(), municipality="Nyby", subquestions=(Subquestion("1.1", new_title, 1, 2, 50),)
    )
    third = Counting()
    build_index([*evals, twin, other], tmp_path / "ix", third)
    assert new_title in third.queries  # as a gap query (and as a description, for linking)
    assert not set(third.queries) & set(gap_texts([*evals, twin]))
    ix = Index(tmp_path / "ix")
    assert np.array_equal(ix.queries[new_title], FakeE5().embed_queries([new_title])[0])
    assert set(ix.queries) == set(gap_texts([*evals, twin, other]))


def test_a_missing_or_broken_table_is_one_line_and_the_next_build_embeds_it_again(
    tmp_path: Path,
) -> None:
    evals = _corpus()
    out = tmp_path / "ix"
    build_index(evals, out, FakeE5())
    (out / QUERIES).unlink()
    with pytest.raises(IndexStateError) as e:
        _ = Index(out).queries
    assert "\n" not in str(e.value) and QUERIES in str(e.value) and "kompass index" in str(e.value)
    again = Counting()
    build_index(evals, out, again)
    assert set(gap_texts(evals)) <= set(again.queries)
    assert set(Index(out).queries) == set(gap_texts(evals))


def test_another_recipe_is_stale_and_brought_up_to_date(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", _corpus())
    cfg = config(corpus, tmp_path / "ix")
    prepare_index(cfg, embedder=FakeE5)
    assert up_to_date(cfg.index, corpus, FakeE5().model_id) is not None
    meta_file = cfg.index / META
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["queries"]["recipe"] = "gap-titles"  # what an earlier version kept
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    assert up_to_date(cfg.index, corpus, FakeE5().model_id) is None
    again = Counting()
    ix = prepare_index(cfg, embedder=lambda: again)
    assert ix.meta["queries"]["recipe"] == RECIPE
    assert not again.queries  # same model, same texts: the vectors kept, nothing embedded
    assert up_to_date(cfg.index, corpus, FakeE5().model_id) is not None


def _gaps_json(searcher: Searcher, evals: list[Evaluation], top: int) -> dict[str, Any]:
    from kompass_search.render.roles import gaps_json

    target = next(e for e in evals if e.municipality == "Vännäs")
    report = gaps(evals, target, top=top, practices=partial(relevant_practices, searcher))
    out: dict[str, Any] = json.loads(gaps_json(report))
    return out


@pytest.mark.parametrize("top", [TOP, 6])  # 6: gaps beyond the kept ones are encoded
def test_gaps_search_with_the_kept_vectors_exactly_as_with_encoding(
    top: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evals = _corpus()
    build_index(evals, tmp_path / "ix", FakeE5())
    ix = Index(tmp_path / "ix")
    cfg = config(tmp_path, tmp_path / "ix")
    encoded = _gaps_json(Searcher.open(cfg, FakeE5(), index=ix), evals, top)
    engine: list[str] = []

    def counted(config: object) -> embed.Embedder:
        engine.append("loaded")
        return FakeE5()

    monkeypatch.setattr(embed, "query_embedder", counted)
    target = next(e for e in evals if e.municipality == "Vännäs")
    plan = gaps(evals, target, top=top)
    texts = dense_texts([g.title for g in plan.gaps if g.role_models and g.theme])
    known = KnownQueries.ahead(cfg, texts, ix.queries, ix.dim)
    assert known.encoding == (top > TOP) == (not set(texts) <= set(ix.queries))
    looked_up = _gaps_json(Searcher.open(cfg, known, index=ix), evals, top)
    assert looked_up == encoded
    assert any(m["practices"] for g in looked_up["gaps"] for m in g["role_models"])
    assert bool(engine) == (top > TOP)  # no engine at all when the index holds every gap


def test_a_text_the_index_lacks_is_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "query_embedder", lambda config: FakeE5())
    kept = {"Kommunens ledning": FakeE5().embed_queries(["Kommunens ledning"])[0]}
    cfg = config(Path("."), Path("."))
    known = KnownQueries.ahead(cfg, ["Kommunens ledning", "Något annat"], kept, 64)
    assert known.encoding
    for t in ("Kommunens ledning", "Något annat", "En tredje fråga"):
        assert np.array_equal(known.embed_queries([t]), FakeE5().embed_queries([t]))
