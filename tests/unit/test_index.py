"""The index on disk: passages, incremental reuse, model check, atomic swap, lock, links, first use."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from searchkit import FakeE5, config, copy_shipped, fictional, provby, shipped, vannas, write_corpus

from kompass_search.errors import IndexStateError
from kompass_search.index import build as indexer
from kompass_search.index import writer
from kompass_search.index.build import build_index
from kompass_search.index.folder import lock
from kompass_search.index.format import FORMAT
from kompass_search.index.passages import cut
from kompass_search.index.practice import split_sentences
from kompass_search.index.prepare import prepare_index
from kompass_search.index.reader import Index, open_index
from kompass_search.model.fake import HashingEmbedder
from kompass_search.search.searcher import Searcher


class Notes:
    """A Reporter that keeps what it was told."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.advanced = 0

    def note(self, message: str) -> None:
        self.notes.append(message)

    def start(self, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None:
        self.advanced += n

    def finish(self) -> None: ...


@pytest.fixture
def evals() -> list:
    return [*shipped(), *fictional()]


def test_every_strength_improvement_and_summary_is_a_passage(tmp_path: Path) -> None:
    v = vannas()
    build_index([v], tmp_path / "ix", HashingEmbedder())
    ix = open_index(tmp_path / "ix")
    kinds = [ix.passage(i).kind for i in range(ix.count)]
    assert kinds.count("strength") == 48
    assert kinds.count("improvement") == 38
    # summaries are cut into sentences, each with its paragraph as context
    paragraphs = [" ".join(t.split()) for a in v.areas for t in a.summary]
    sentences = [ix.passage(i) for i in range(ix.count) if kinds[i] == "summary"]
    assert len(sentences) == sum(len(split_sentences(t)) for t in paragraphs) == 112
    assert {p.context for p in sentences} == set(paragraphs)
    assert all(p.text in (p.context or "") for p in sentences)
    assert {p.label for p in sentences} == {"practice", "deficit", "neutral"}
    p = ix.passage(0)
    assert (p.municipality, p.country, p.year, p.template, p.area_number, p.theme) == (
        "Vännäs",
        "SE",
        2016,
        "skl-2010",
        1,
        "democracy",
    )
    assert p.area_name == "Offentlighet och demokrati" and p.area_score == 67


def test_meta_records_model_dimension_format_and_hashes(tmp_path: Path, evals: list) -> None:
    build_index(evals, tmp_path / "ix", HashingEmbedder(32), corpus=None)
    meta = json.loads((tmp_path / "ix" / "meta.json").read_text())
    assert meta["model_id"] == "fake-hashing-32" and meta["dim"] == 32 and meta["format"] == FORMAT
    assert set(meta["evaluations"]) == {e.key for e in evals}  # score-only records too
    assert all(len(h) == 32 for h in meta["evaluations"].values())


def test_unchanged_passages_are_reused(tmp_path: Path, evals: list) -> None:
    first = build_index(evals, tmp_path / "ix", HashingEmbedder())
    assert first.reused == 0 and first.embedded == first.passages
    again = build_index(evals, tmp_path / "ix", HashingEmbedder())
    assert (again.embedded, again.reused, again.unchanged) == (0, first.passages, len(evals))
    v = vannas()
    area = replace(v.areas[0], strengths=(*v.areas[0].strengths[:-1], "En helt ny styrka"))
    changed = [replace(v, areas=(area, *v.areas[1:])) if e.key == v.key else e for e in evals]
    third = build_index(changed, tmp_path / "ix", HashingEmbedder())
    assert third.embedded == 1 and third.reused == first.passages - 1
    assert third.unchanged == len(evals) - 1
    ix = open_index(tmp_path / "ix")
    texts = [ix.text(i) for i in range(ix.count)]
    assert "En helt ny styrka" in texts and v.areas[0].strengths[-1] not in texts


def test_reused_vectors_equal_fresh_ones(tmp_path: Path, evals: list) -> None:
    build_index(evals[:5], tmp_path / "ix", HashingEmbedder())
    build_index(evals, tmp_path / "ix", HashingEmbedder())
    build_index(evals, tmp_path / "fresh", HashingEmbedder())
    a, b = Index(tmp_path / "ix"), Index(tmp_path / "fresh")
    for name in a.rows.dtype.names or ():
        np.testing.assert_array_equal(a.rows[name], b.rows[name])  # NaN equals NaN here
    assert np.allclose(a.vectors, b.vectors)


def test_another_model_is_refused_with_the_rebuild_command(tmp_path: Path, evals: list) -> None:
    build_index(evals, tmp_path / "ix", HashingEmbedder(64))
    with pytest.raises(IndexStateError, match="kompass index --rebuild"):
        build_index(evals, tmp_path / "ix", HashingEmbedder(32))
    with pytest.raises(IndexStateError, match=r"fake-hashing-64.*kompass index --rebuild"):
        Searcher.open(config(tmp_path, tmp_path / "ix"), HashingEmbedder(32))
    with pytest.raises(IndexStateError, match="multilingual-e5-small"):
        Searcher.open(config(tmp_path, tmp_path / "ix"))  # the configured default model
    report = build_index(evals, tmp_path / "ix", HashingEmbedder(32), rebuild=True)
    assert report.reused == 0 and open_index(tmp_path / "ix").model_id == "fake-hashing-32"


class Boom(HashingEmbedder):
    def embed_passages(self, texts, progress=None):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["embedding", "writing"])
def test_an_interrupted_build_leaves_the_previous_index_whole(
    tmp_path: Path, evals: list, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ix"
    build_index([vannas()], out, HashingEmbedder())
    before = sorted(p.name for p in out.iterdir()), Index(out).count
    embedder = HashingEmbedder()
    if where == "embedding":
        embedder = Boom()
    else:

        def fail(*args: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(writer, "write", fail)  # build_index imports it when it runs
    with pytest.raises((KeyboardInterrupt, OSError)):
        build_index(evals, out, embedder)
    assert (sorted(p.name for p in out.iterdir()), Index(out).count) == before
    assert Searcher.open(config(tmp_path, out), HashingEmbedder()).search("dialog", top=3)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ix.tmp")] == []


def test_a_crash_between_the_renames_is_undone(tmp_path: Path, evals: list) -> None:
    out = tmp_path / "ix"
    build_index([vannas()], out, HashingEmbedder())
    os.rename(out, tmp_path / ".ix.old")  # as if killed between the two renames of a swap
    assert open_index(out).count > 0
    assert not (tmp_path / ".ix.old").exists()


def test_a_second_build_waits_then_stops_with_a_clear_message(tmp_path: Path, evals: list) -> None:
    held = lock(tmp_path / "ix")
    try:
        with pytest.raises(
            IndexStateError, match="another `kompass index` run is writing this index"
        ):
            build_index(evals, tmp_path / "ix", HashingEmbedder(), lock_timeout=0.2)
    finally:
        held.release()
    build_index(evals, tmp_path / "ix", HashingEmbedder(), lock_timeout=0.2)


def test_a_folder_that_is_not_an_index_is_never_replaced(tmp_path: Path, evals: list) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("precious")
    with pytest.raises(IndexStateError, match="not a kompass index"):
        build_index(evals, tmp_path / "docs", HashingEmbedder())
    assert (tmp_path / "docs" / "thesis.txt").read_text() == "precious"


@pytest.mark.parametrize("broken", ["meta.json", "rows.npy", "vectors.faiss"])
def test_a_damaged_index_says_how_to_rebuild(tmp_path: Path, evals: list, broken: str) -> None:
    build_index(evals, tmp_path / "ix", HashingEmbedder())
    (tmp_path / "ix" / broken).write_bytes(b"garbage")
    with pytest.raises(IndexStateError, match=r"rebuild|kompass index"):
        ix = open_index(tmp_path / "ix")
        ix.faiss  # noqa: B018 - loading it is the test


def test_strengths_link_to_a_subquestion_of_their_own_area(tmp_path: Path) -> None:
    v = vannas()
    build_index([v], tmp_path / "ix", HashingEmbedder())
    ix = open_index(tmp_path / "ix")
    ps = [ix.passage(i) for i in range(ix.count)]
    strengths = [p for p in ps if p.kind == "strength"]
    # every strength has a best guess in its own area; only a confident one is stated
    assert all(p.link_best and p.link_best.split(".")[0] == str(p.area_number) for p in strengths)
    assert all(p.subquestion in (None, p.link_best) for p in strengths)
    for p in strengths:
        assert p.link_confidence is not None and 0 <= p.link_confidence <= 1
        if p.subquestion is None:  # area only: the area score, not a subquestion's
            assert p.subquestion_percent is None
    assert all(p.link_similarity is not None and -1 <= p.link_similarity <= 1 for p in strengths)
    share = {s.id: s.share for s in v.subquestions}
    assert all(p.subquestion_percent == share[p.subquestion] for p in strengths if p.subquestion)
    assert all(
        p.subquestion is None and p.link_similarity is None for p in ps if p.kind != "strength"
    )


def test_a_score_only_record_has_no_passages(tmp_path: Path) -> None:
    score_only = [e for e in shipped() if e.score_only]
    assert score_only and all(not cut(e) for e in score_only)
    report = build_index(score_only, tmp_path / "ix", HashingEmbedder())
    assert report.passages == 0
    assert (
        Searcher.open(config(tmp_path, tmp_path / "ix"), HashingEmbedder()).search("dialog") == []
    )


def test_first_use_builds_and_a_changed_corpus_is_updated(tmp_path: Path) -> None:
    corpus = copy_shipped(tmp_path / "corpus")
    cfg = config(corpus, tmp_path / "ix")
    notes = Notes()
    ix = prepare_index(cfg, notes, embedder=FakeE5)
    assert any("building it from" in n for n in notes.notes) and ix.count > 0
    notes.notes.clear()
    prepare_index(cfg, notes, embedder=FakeE5)
    assert notes.notes == []  # nothing changed: no work, no words
    write_corpus(corpus, [provby()])
    prepare_index(cfg, notes, embedder=FakeE5)
    assert any("corpus changed" in n for n in notes.notes)
    assert any("0 reused" not in n and "reused" in n for n in notes.notes)
    assert "provby-2018" in open_index(cfg.index).meta["evaluations"]
    notes.notes.clear()
    os.utime(corpus / "provby-2018.yaml", ns=(1, 1))  # touched, not changed
    prepare_index(cfg, notes, embedder=FakeE5)
    assert notes.notes == []
    assert json.loads((cfg.index / "meta.json").read_text())[
        "corpus_stamp"
    ] == indexer.corpus_stamp(corpus)


def test_a_readme_in_the_index_folder_is_kept(tmp_path: Path, evals: list) -> None:
    (tmp_path / "ix").mkdir()
    (tmp_path / "ix" / "README.md").write_text("# index/\n")
    build_index(evals, tmp_path / "ix", HashingEmbedder())
    build_index([vannas()], tmp_path / "ix", HashingEmbedder())
    assert (tmp_path / "ix" / "README.md").read_text() == "# index/\n"
    assert open_index(tmp_path / "ix").count > 0
