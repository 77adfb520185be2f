"""Index formats 2 (fp16 vectors) to 6 (concept vectors of the gap queries only): an index of format 1,
of format 4 (no queries.npy) or of format 5 (every concept's vector), is rebuilt or refused, never
misread."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from searchkit import FakeE5, config, fictional, write_corpus
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.errors import IndexStateError
from kompass_search.index.build import build_index
from kompass_search.index.format import ENGINE_KEY, FORMAT, VECTORS
from kompass_search.index.prepare import prepare_index
from kompass_search.index.queries import gap_texts
from kompass_search.index.reader import Index
from kompass_search.search.searcher import Searcher

# A real format-1 index (IndexIDMap(IndexFlatIP) fp32 vectors) of the fictional reports under
# tests/data/reports, written by the code of format 1 with FakeE5's hashing vectors (64-d).
OLD = Path(__file__).resolve().parents[1] / "data" / "index-format1"


@pytest.fixture
def old_index(tmp_path: Path) -> Path:
    out = tmp_path / "ix"
    shutil.copytree(OLD, out)
    return out


def test_the_fixture_is_format_1() -> None:
    assert FORMAT == 6
    assert json.loads((OLD / "meta.json").read_text())["format"] == 1


def test_an_old_index_is_refused_with_one_line_saying_how_to_rebuild(old_index: Path) -> None:
    with pytest.raises(IndexStateError) as e:
        Index(old_index)
    msg = str(e.value)
    assert "\n" not in msg
    assert f"index format 1 is not the supported {FORMAT}" in msg
    assert f"kompass index --rebuild --out {old_index}" in msg


def test_kompass_index_rebuilds_an_old_index(old_index: Path) -> None:
    evals = fictional()
    fresh = build_index(evals, old_index.parent / "fresh", FakeE5())
    report = build_index(evals, old_index, FakeE5())  # no --rebuild: the old format forces it
    assert report.embedded == report.passages == fresh.passages
    ix, ref = Index(old_index), Index(old_index.parent / "fresh")
    assert ix.meta["format"] == FORMAT and ix.meta["vectors"] == "fp16"
    assert ix.meta[ENGINE_KEY] == "hashing"
    assert np.array_equal(ix.vectors, ref.vectors)
    assert [ix.text(i) for i in range(ix.count)] == [ref.text(i) for i in range(ref.count)]


def test_first_search_rebuilds_an_old_index_of_its_corpus(old_index: Path, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", fictional())
    meta = json.loads((old_index / "meta.json").read_text())
    meta["corpus"] = str(corpus.resolve())  # as if built from this corpus (the path is absolute)
    (old_index / "meta.json").write_text(json.dumps(meta))
    notes: list[str] = []

    class Notes:
        def note(self, msg: str) -> None:
            notes.append(msg)

        def start(self, label: str, total: int) -> None: ...

        def advance(self, n: int = 1) -> None: ...

        def finish(self) -> None: ...

    cfg = config(corpus, old_index)
    ix = prepare_index(cfg, Notes(), embedder=FakeE5)  # type: ignore[arg-type]
    assert ix.meta["format"] == FORMAT
    assert any(f"index format 1 is not this version's {FORMAT}; rebuilding it" in n for n in notes)
    hits = Searcher.open(cfg, FakeE5(), index=ix).search("medarbetare", top=3)
    assert hits and all(h.passage.text == ix.text(h.passage.id) for h in hits)


def test_search_refuses_an_old_index_of_another_corpus_in_one_line(old_index: Path) -> None:
    r = CliRunner().invoke(app, ["search", "medarbetare", "--index", str(old_index)])
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "index format 1" in lines[0] and "kompass index --rebuild" in lines[0]


def _as_format(
    tmp_path: Path, n: int, older: Callable[[Path, dict[str, Any]], None]
) -> tuple[Path, Path]:
    """An index of the fictional reports as format ``n`` wrote it, and their corpus: this version's
    index, its files and meta made as that format's by ``older`` (index folder, meta to edit)."""
    corpus = write_corpus(tmp_path / "corpus", fictional())
    out = tmp_path / f"ix{n}"
    build_index(fictional(), out, FakeE5(), corpus=corpus)
    meta = json.loads((out / "meta.json").read_text())
    older(out, meta)
    (out / "meta.json").write_text(json.dumps({**meta, "format": n}))
    return out, corpus


@pytest.fixture
def format4_index(tmp_path: Path) -> tuple[Path, Path]:
    """An index as format 4 wrote it (no gap query vectors) of a corpus, and that corpus."""
    from kompass_search.index.format import QUERIES

    def older(out: Path, meta: dict[str, Any]) -> None:
        (out / QUERIES).unlink()
        del meta["queries"]

    return _as_format(tmp_path, 4, older)


def test_a_format_4_index_is_refused_in_one_line_and_rebuilt_by_kompass_index(
    format4_index: tuple[Path, Path],
) -> None:
    out, _ = format4_index
    with pytest.raises(IndexStateError) as e:
        Index(out)
    assert "\n" not in str(e.value) and f"index format 4 is not the supported {FORMAT}" in str(
        e.value
    )
    report = build_index(fictional(), out, FakeE5())  # no --rebuild: the old format forces it
    assert report.embedded == report.passages
    ix = Index(out)
    assert ix.meta["format"] == FORMAT and set(ix.queries) == set(gap_texts(fictional()))


def test_a_first_search_rebuilds_a_format_4_index_of_its_corpus_and_refuses_another(
    format4_index: tuple[Path, Path], tmp_path: Path
) -> None:
    out, corpus = format4_index
    r = CliRunner().invoke(app, ["gaps", "Vännäs", "--index", str(out)])
    assert r.exit_code == 1 and "index format 4" in r.stderr and len(r.stderr.splitlines()) == 1
    ix = prepare_index(config(corpus, out), embedder=FakeE5)
    assert ix.meta["format"] == FORMAT and set(ix.queries) == set(gap_texts(fictional()))


@pytest.fixture
def format5_index(tmp_path: Path) -> tuple[Path, Path]:
    """An index as format 5 wrote it (a vector for every glossary concept) of a corpus, and that
    corpus."""
    from kompass_search.glossary import glossary_digest, load_glossary
    from kompass_search.index.concepts import concept_text
    from kompass_search.index.format import CONCEPTS

    def older(out: Path, meta: dict[str, Any]) -> None:
        every = load_glossary()
        np.save(out / CONCEPTS, FakeE5().embed_queries([concept_text(c) for c in every]))
        meta["concepts"] = {"glossary": glossary_digest(), "ids": [c.id for c in every]}

    return _as_format(tmp_path, 5, older)


def test_a_format_5_index_is_refused_in_one_line_and_rebuilt_with_the_gap_concepts_only(
    format5_index: tuple[Path, Path],
) -> None:
    from kompass_search.glossary import load_glossary
    from kompass_search.index.concepts import held_at_build

    out, corpus = format5_index
    r = CliRunner().invoke(app, ["search", "klagehåndtering", "--index", str(out)])
    assert r.exit_code == 1 and "index format 5" in r.stderr and len(r.stderr.splitlines()) == 1
    assert "kompass index" in r.stderr
    ix = prepare_index(config(corpus, out), embedder=FakeE5)  # a first search of its corpus
    assert ix.meta["format"] == FORMAT
    held = [c.id for c in held_at_build(gap_texts(fictional()))]
    assert ix.concepts[0]["ids"] == held and len(held) < len(load_glossary())
    assert ix.concepts[1].shape == (len(held), ix.dim)


def test_stored_vectors_are_fp16_views_of_the_faiss_file(tmp_path: Path) -> None:
    build_index(fictional(), tmp_path / "ix", FakeE5())
    ix = Index(tmp_path / "ix")
    v = ix.vectors
    assert v.dtype == np.float16 and v.shape == (ix.count, ix.dim)
    assert isinstance(v, np.memmap) and Path(v.filename) == (tmp_path / "ix" / VECTORS).resolve()
    assert np.allclose(v.astype(np.float32), ix.faiss.reconstruct_n(0, ix.count))


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_the_vectors_are_mapped_shared_not_copied(tmp_path: Path) -> None:
    """faiss maps the file (IO_FLAG_MMAP_IFC) and numpy maps the same pages: page cache shared
    between processes, no private copy of the vectors."""
    build_index(fictional(), tmp_path / "ix", FakeE5())
    ix = Index(tmp_path / "ix")
    ix.faiss  # noqa: B018 - loading it is the test
    ix.vectors  # noqa: B018
    file = str((tmp_path / "ix" / VECTORS).resolve())
    maps = [
        line for line in Path("/proc/self/maps").read_text().splitlines() if line.endswith(file)
    ]
    assert len(maps) >= 2  # faiss's mapping and numpy's
    perms = [line.split()[1] for line in maps]
    assert all(p[0] == "r" and p[1] == "-" for p in perms), (
        perms
    )  # read-only: never copied on write


def test_an_index_written_before_descriptions_were_kept_is_read_and_updated(
    tmp_path: Path,
) -> None:
    """descriptions.npy came within format 3 (an optional file, no bump): an index without it is
    read as it is, and an update embeds only what is new and keeps the descriptions from then on."""
    from dataclasses import replace

    from searchkit import vannas

    from kompass_search.index.format import DESCRIPTIONS

    v = vannas()
    out = tmp_path / "ix"
    build_index([*fictional(), v], out, FakeE5())
    (out / DESCRIPTIONS).unlink()  # as the code before it wrote the index
    before = Index(out)
    assert before.meta["format"] == FORMAT and before.count > 0
    assert Searcher.open(config(tmp_path, out), FakeE5(), index=before).search("medarbetare")
    twin = replace(v, municipality="Nyby")  # same texts: every vector is there already
    report = build_index([*fictional(), v, twin], out, FakeE5())
    assert report.reused == report.passages  # nothing rebuilt
    kept = np.load(out / DESCRIPTIONS)
    assert len(kept) == len(set(_descs(v))) > 0


def _descs(ev: object) -> list[str]:
    from kompass_search.index.link_texts import subquestion_descriptions

    return list(subquestion_descriptions(ev).values())  # type: ignore[arg-type]
