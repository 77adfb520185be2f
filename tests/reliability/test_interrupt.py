"""SIGKILL during `kompass index`: the previous index still loads and answers the same; a later run completes.

The runs are the real CLI in a subprocess with the fake embedder (fake_kompass.py), stopped at a
named stage and killed there, or killed at random moments. The index starts as corpus A's; the
killed run was indexing corpus B (A plus two reports). An index is never a mix: after every kill
it is exactly A's (or, once the swap is done, exactly B's), and it answers as that index did.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from ._procs import (
    Corpora,
    index_of_a,
    kill,
    kompass,
    leftovers,
    search_json,
    snapshot,
    start,
    start_held,
)


def _complete(corpora: Corpora, index: Path, expected: dict[str, object]) -> None:
    """A later run completes, gives B's index, and leaves nothing beside it but the lock file."""
    r = kompass("index", corpora.b, "--out", index)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(index, corpora.b) == expected["B"]
    assert leftovers(index) == []


@pytest.mark.parametrize("stage", ["embed", "write", "swap"])
def test_kill_before_the_swap_keeps_the_previous_index(
    stage: str, corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    index = index_of_a(corpora, tmp_path)
    proc = start_held(stage, tmp_path / "hold", "index", corpora.b, "--out", index)
    kill(proc)
    assert proc.returncode == -9
    left = leftovers(index)
    if stage == "write":  # the half-written new index is there, beside the old one
        assert len(left) == 1 and left[0].startswith(".index.tmp-"), left
    if stage == "swap":  # the old index is renamed aside and the new one not yet in place
        assert not index.exists() and ".index.old" in left, left
    # The previous index loads and answers exactly as before, in the library and from the shell.
    assert snapshot(index, corpora.a) == expected["A"]
    assert search_json(index, corpora.a, "synpunktshantering") == expected["A-cli"]
    _complete(corpora, index, expected)


def test_kill_after_the_swap_has_the_new_index(
    corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    index = index_of_a(corpora, tmp_path)
    proc = start_held("cleanup", tmp_path / "hold", "index", corpora.b, "--out", index)
    kill(proc)
    # Swapped in whole; the old copy is left beside it.
    assert snapshot(index, corpora.b) == expected["B"]
    _complete(corpora, index, expected)  # and the next run removes it


def test_kill_at_random_moments_never_leaves_a_mixed_index(
    corpora: Corpora, expected: dict[str, object], tmp_path: Path
) -> None:
    rng = random.Random(20160101)
    index = index_of_a(corpora, tmp_path)
    slow = {"KOMPASS_SLOW": "0.002"}  # ~0.7 s of embedding for B's new passages
    t0 = time.monotonic()
    r = kompass("index", corpora.b, "--out", tmp_path / "timing" / "index", env_vars=slow)
    full = time.monotonic() - t0  # how long a whole run takes here: kills spread over it
    assert r.returncode == 0, r.stderr
    seen = []
    for corpus in [corpora.b, corpora.a] * 3:
        proc = start("index", corpus, "--out", index, **slow)
        time.sleep(rng.uniform(0.05, 1.1) * full)
        kill(proc)
        seen.append(proc.returncode)
        state = snapshot(index, corpora.a)
        assert state in (expected["A"], expected["B"]), "the index is neither A's nor B's"
    assert -9 in seen, f"no run was killed: make the runs slower ({seen})"
    # (which state each kill left depends on timing; the stage tests above pin every point)
    _complete(corpora, index, expected)


def test_a_clean_run_leaves_no_temporary_files(corpora: Corpora, tmp_path: Path) -> None:
    index = tmp_path / "data" / "index"
    for corpus in (corpora.a, corpora.b, corpora.b):  # a first build, an update, a no-op update
        r = kompass("index", corpus, "--out", index)
        assert r.returncode == 0, r.stderr
        assert leftovers(index) == []
        assert sorted(p.name for p in index.parent.iterdir()) == [".index.lock", "index"]
