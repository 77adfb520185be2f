"""Two `kompass index` runs at once, and searches while one runs: never a mixed index, never a wait without end.

A first run (the real CLI with the fake embedder, fake_kompass.py) is stopped inside embedding
while holding the index lock. Meanwhile a second run must wait for it or stop with a one-line
message, and a search must answer from the previous index.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kompass_search.corpus import load_corpus
from kompass_search.errors import IndexStateError
from kompass_search.index.build import build_index
from kompass_search.model.fake import HashingEmbedder

from ._procs import (
    Corpora,
    build,
    index_of_a,
    kill,
    kompass,
    leftovers,
    search_json,
    snapshot,
    start,
    start_held,
)


def _finish(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def test_a_second_run_waits_for_the_first_then_completes(
    corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    index = index_of_a(corpora, tmp_path)
    hold = tmp_path / "hold"
    first = start_held("embed", hold, "index", corpora.b, "--out", index)
    second = start("index", corpora.a, "--out", index)
    try:
        time.sleep(1.5)
        assert second.poll() is None, "the second run did not wait for the lock"
        assert snapshot(index, corpora.a) == expected["A"]  # still the previous index
        hold.unlink()  # let the first run go on
        code1, _, err1 = _finish(first)
        code2, _, err2 = _finish(second)
    finally:
        kill(first)
        kill(second)
    assert (code1, code2) == (0, 0), err1 + err2
    # The second run wrote last: its index is A's, whole (the first run's B is not mixed in).
    assert snapshot(index, corpora.a) == expected["A"]
    assert leftovers(index) == []


def test_a_second_run_stops_with_one_line_after_waiting(
    corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    """While the first run writes, a second gives up after the lock timeout; searches still answer."""
    index = index_of_a(corpora, tmp_path)
    hold = tmp_path / "hold"
    first = start_held("write", hold, "index", corpora.b, "--out", index)
    started = time.monotonic()
    second = start("index", corpora.b, "--out", index)
    try:
        # Meanwhile searches answer from the previous index, from the shell and in the library.
        assert search_json(index, corpora.a, "synpunktshantering") == expected["A-cli"]
        assert snapshot(index, corpora.a) == expected["A"]
        code2, out2, err2 = _finish(second, timeout=60)
        waited = time.monotonic() - started
    finally:
        hold.unlink(missing_ok=True)
        code1, _, err1 = _finish(first)
        kill(second)
    assert code2 == 1, (out2, err2)
    assert err2.count("\n") == 1, err2
    assert err2.startswith(f"error: {index}: another `kompass index` run is writing this index")
    assert "let it finish, then try again" in err2
    assert 5 < waited < 30, waited  # it waited for the lock before giving up
    assert code1 == 0, err1
    assert snapshot(index, corpora.b) == expected["B"]


def test_search_while_its_changed_corpus_is_being_indexed(
    corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    """A user edits the corpus and runs `kompass index`; a search meanwhile answers from the previous
    index instead of waiting for that run (prepare_index would wait up to 600 s for the lock)."""
    live = tmp_path / "corpus"
    shutil.copytree(corpora.a, live)
    index = tmp_path / "data" / "index"
    build(live, index)
    shutil.copytree(corpora.b, live, dirs_exist_ok=True)  # the edit: two evaluations added
    hold = tmp_path / "hold"
    first = start_held("embed", hold, "index", live, "--out", index)
    try:
        try:
            r = kompass(
                "search", "synpunktshantering", "--index", index, "--corpus", live,
                "--json", "--top", "5", timeout=8,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail(
                "`kompass search` waited for the running `kompass index` instead of answering"
            )
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert [json.loads(x) for x in r.stdout.splitlines()] == expected["A-cli"]
    finally:
        hold.unlink(missing_ok=True)
        code, _, err = _finish(first)
    assert code == 0, err
    assert snapshot(index, live) == expected["B"]


def test_library_build_stops_at_once_with_zero_timeout(corpora: Corpora, tmp_path: Path) -> None:
    index = index_of_a(corpora, tmp_path)
    hold = tmp_path / "hold"
    first = start_held("embed", hold, "index", corpora.b, "--out", index)
    try:
        with pytest.raises(
            IndexStateError, match="another `kompass index` run is writing this index"
        ):
            build_index(load_corpus(corpora.a), index, HashingEmbedder(64), lock_timeout=0.2)
    finally:
        hold.unlink(missing_ok=True)
        code, _, err = _finish(first)
    assert code == 0, err


def test_two_runs_started_together_give_one_whole_index(
    corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    """No holds: two runs race from the start, several times; the index is always one of the two."""
    index = tmp_path / "data" / "index"
    for _ in range(2):
        runs = [start("index", c, "--out", index) for c in (corpora.a, corpora.b)]
        results = [_finish(p) for p in runs]
        assert all(code == 0 for code, _, _ in results), results
        assert snapshot(index, corpora.a) in (expected["A"], expected["B"])
        assert leftovers(index) == []
