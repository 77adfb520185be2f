"""`kompass ingest` from a real shell never loses data: hand corrections, source copies, killed runs.

tests/cli/test_corpus_cli.py covers the hand-corrected file through CliRunner; these run the
installed CLI as a subprocess, byte-compare every file, and kill runs halfway.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from ._procs import env
from ._support import ROOT

SOURCE = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
REPORTS = ROOT / "tests" / "data" / "reports"
CLI = [sys.executable, "-c", "from kompass_search.cli import main; main()"]


def kompass(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, timeout=120, env=env(), cwd=ROOT
    )


def _hand_corrected(corpus: Path) -> Path:
    r = kompass("ingest", SOURCE, "--out", corpus)
    assert r.returncode == 0, r.stderr
    target = corpus / "vannas-2016.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "Utvecklat medborgardialog", "Utvecklad medborgardialog"
        ),
        encoding="utf-8",
    )
    return target


def test_a_hand_corrected_file_is_kept_and_the_new_one_written_beside(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    target = _hand_corrected(corpus)
    edited = target.read_bytes()
    for _ in range(2):  # again while the .new file from the first time is there
        r = kompass("ingest", SOURCE, "--out", corpus)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert "kept vannas-2016.yaml, which differs" in r.stdout
        assert "pass --force to replace" in r.stdout
        assert target.read_bytes() == edited
        assert (corpus / "vannas-2016.yaml.new").is_file()
    r = kompass("check", corpus)  # the .new file is not part of the corpus
    assert r.returncode == 0 and "0 error(s)" in r.stdout, r.stdout + r.stderr
    r = kompass("show", "--list", "--corpus", corpus)
    assert r.returncode == 0 and r.stdout.count("Vännäs") == 1, r.stdout
    r = kompass("ingest", SOURCE, "--out", corpus, "--force")
    assert r.returncode == 0 and "(replaced)" in r.stdout, r.stdout + r.stderr
    assert b"Utvecklat medborgardialog" in target.read_bytes()


def test_a_hand_edit_saved_in_latin1_is_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    target = _hand_corrected(corpus)
    target.write_bytes(target.read_text(encoding="utf-8").encode("latin-1", "replace"))
    edited = target.read_bytes()
    r = kompass("ingest", SOURCE, "--out", corpus)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 0, r.stderr
    assert target.read_bytes() == edited


def test_reports_with_the_same_file_name_keep_their_own_source_copy(tmp_path: Path) -> None:
    """Two municipalities' reports both called report.txt: each YAML's source file is its own report."""
    corpus = tmp_path / "corpus"
    for i, report in enumerate(sorted(REPORTS.glob("*.txt"))):
        (tmp_path / str(i)).mkdir()
        shutil.copy(report, tmp_path / str(i) / "report.txt")
        r = kompass("ingest", tmp_path / str(i) / "report.txt", "--out", corpus)
        assert r.returncode == 0, r.stderr
    yamls = sorted(corpus.glob("*.yaml"))
    assert len(yamls) == 2
    for path in yamls:
        source = yaml.safe_load(path.read_text(encoding="utf-8"))["source"]
        digest = hashlib.sha256((corpus / source["file"]).read_bytes()).hexdigest()
        assert source["note"] == f"sha256 {digest}", (
            f"{path.name}: source {source['file']} was overwritten by another report of that name"
        )


def test_ingest_into_a_file_or_missing_place_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    for out in (tmp_path / "a-file", tmp_path / "a-file" / "corpus"):
        r = kompass("ingest", SOURCE, "--out", out)
        assert r.returncode == 1, r.stdout + r.stderr
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: "), r.stderr
        assert "pass --out a writable folder" in r.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("force", [False, True], ids=["keep", "force"])
def test_killed_ingest_leaves_the_old_file_or_the_new_one_whole(
    force: bool, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    target = _hand_corrected(corpus)
    old = target.read_bytes()
    fresh = tmp_path / "fresh"
    assert kompass("ingest", SOURCE, "--out", fresh).returncode == 0
    new = (fresh / "vannas-2016.yaml").read_bytes()
    rng = random.Random(2016)
    t0 = time.monotonic()
    kompass("ingest", SOURCE, "--out", tmp_path / "timing")
    full = time.monotonic() - t0
    for _ in range(3):
        target.write_bytes(old)
        args = [*CLI, "ingest", str(SOURCE), "--out", str(corpus), *(["--force"] if force else [])]
        proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), cwd=ROOT
        )
        time.sleep(rng.uniform(0.3, 1.1) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = target.read_bytes()
        assert now == old or (force and now == new), (
            "the corpus file is neither the old nor the new one"
        )
        r = kompass("check", corpus)
        assert r.returncode == 0, r.stdout + r.stderr  # half-written temp files are never loaded
