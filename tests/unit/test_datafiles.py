"""The package's YAML data files read through the cache (datafiles.py): the same data as PyYAML's
own loader, parsed again when a file changes, and still read when nothing can be cached."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from kompass_search import datafiles, paths

PKG = Path(datafiles.__file__).parent
SHIPPED = sorted(
    [
        PKG / "glossary.yaml",
        PKG / "practice_cues.yaml",
        PKG / "eval_queries.yaml",
        PKG / "search" / "calibration.yaml",
        *(PKG / "templates").glob("*.yaml"),
    ]
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(paths, "data_cache", lambda: folder)
    return folder


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_as_pyyaml_reads_them_parsed_and_cached(cache: Path, path: Path) -> None:
    expected = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert datafiles.load(path) == expected  # parsed (libyaml's loader), then kept
    assert len(list(cache.iterdir())) == 1
    assert datafiles.load(path) == expected  # from the cache


def test_an_edited_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    f = tmp_path / "data.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert datafiles.load(f) == {"a": 1}
    f.write_text("a: 2\nb: [x]\n", encoding="utf-8")
    assert datafiles.load(f) == {"a": 2, "b": ["x"]}
    # same size, another modification time
    f.write_text("a: 3\nb: [y]\n", encoding="utf-8")
    os.utime(f, ns=(1, 1))
    assert datafiles.load(f) == {"a": 3, "b": ["y"]}


def test_an_edited_file_replaces_its_entry_and_leaves_other_files_entries(
    cache: Path, tmp_path: Path
) -> None:
    f, g = tmp_path / "data.yaml", tmp_path / "other" / "data.yaml"
    g.parent.mkdir()
    g.write_text("g: 1\n", encoding="utf-8")
    assert datafiles.load(g) == {"g": 1}
    for version in range(3):
        f.write_text(f"a: {version}\n", encoding="utf-8")
        os.utime(f, ns=(version + 1, version + 1))
        assert datafiles.load(f) == {"a": version}
    names = sorted(e.name for e in cache.iterdir())
    assert len(names) == 2, names  # f's newest entry and g's: the old versions of f were removed
    assert datafiles.load(g) == {"g": 1} and datafiles.load(f) == {"a": 2}
    assert sorted(e.name for e in cache.iterdir()) == names  # both read from the cache


def test_a_damaged_cache_entry_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    f = tmp_path / "data.yaml"
    f.write_text("{a: 1, 2: two}\n", encoding="utf-8")
    assert datafiles.load(f) == {"a": 1, 2: "two"}  # keys keep their types through the cache
    (entry,) = cache.iterdir()
    entry.write_bytes(b"\x00garbage")
    assert datafiles.load(f) == {"a": 1, 2: "two"}


def test_nothing_cached_when_the_cache_cannot_be_written_or_hold_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(paths, "data_cache", lambda: blocked / "cache")  # under a file: unwritable
    f = tmp_path / "data.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert datafiles.load(f) == {"a": 1}
    monkeypatch.setattr(paths, "data_cache", lambda: tmp_path / "cache")
    f.write_text("when: 2016-05-01\n", encoding="utf-8")  # a date: no marshal form
    assert str(datafiles.load(f)["when"]) == "2016-05-01"
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_broken_file_raises_the_yaml_error(cache: Path, tmp_path: Path) -> None:
    f = tmp_path / "data.yaml"
    f.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        datafiles.load(f)
    assert not cache.exists() or not any(cache.iterdir())


def test_a_corpus_file_is_read_through_the_cache_and_an_edit_replaces_its_entry(
    cache: Path, tmp_path: Path
) -> None:
    """Evaluation files too (corpus.load_file): parsed once, then from the cache; an edited file is
    parsed again and its earlier entry goes, so a corpus edited often keeps one entry a file."""
    from searchkit import ROOT

    from kompass_search.corpus import load_file
    from kompass_search.corpus_write import dump

    src = ROOT / "corpus" / "vannas-2016.yaml"
    f = tmp_path / src.name
    f.write_bytes(src.read_bytes())
    first = load_file(f)
    assert len(list(cache.iterdir())) == 1
    assert load_file(f) == first
    from dataclasses import replace

    f.write_text(dump(replace(first, total=first.total - 1 if first.total else 1)), "utf-8")
    os.utime(f, ns=(2, 2))
    again = load_file(f)
    assert again.total != first.total
    assert len(list(cache.iterdir())) == 1  # the entry of the edited file only


def test_a_corpus_file_that_breaks_is_an_error_not_its_cached_copy(
    cache: Path, tmp_path: Path
) -> None:
    from searchkit import ROOT

    from kompass_search.corpus import load_file
    from kompass_search.errors import CorpusError

    f = tmp_path / "x.yaml"
    f.write_bytes((ROOT / "corpus" / "vannas-2016.yaml").read_bytes())
    load_file(f)
    f.write_text("municipality: [unclosed\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="not valid YAML"):
        load_file(f)


def test_a_file_whose_permissions_changed_is_read_again(cache: Path, tmp_path: Path) -> None:
    """chmod leaves the modification time; the status change time in the key makes the next read go
    to the file (an unreadable file fails as it would uncached) and replace the entry."""
    f = tmp_path / "data.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert datafiles.load(f) == {"a": 1}
    (before,) = cache.iterdir()
    time.sleep(0.01)
    f.chmod(0o600)
    assert datafiles.load(f) == {"a": 1}
    (after,) = cache.iterdir()
    assert after.name != before.name
