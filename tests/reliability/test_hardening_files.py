"""Issue #12, hardening round 2, the file-system points: a FIFO in the corpus (P8), the umask (P9),
ingest's stale .yaml.new and the same report under another name (P10). Real processes where a
hang is the failure, so a regression times out instead of blocking the suite."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kompass_search.corpus_write import write_atomic

from ._support import ROOT

DRIVER = Path(__file__).with_name("fake_kompass.py")
REPORT = ROOT / "tests" / "data" / "reports" / "angsmora-skr-2020-sv.txt"
VANNAS = ROOT / "corpus" / "vannas-2016.yaml"


def kompass(*args: str | Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, str(DRIVER), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT,
    )  # fmt: skip


@pytest.fixture
def fifo_corpus(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(VANNAS, corpus)
    os.mkfifo(corpus / "pipe.yaml")  # nobody ever writes to it: reading it would wait forever
    return corpus


def test_p8_check_skips_a_fifo_with_an_error_line(fifo_corpus: Path) -> None:
    r = kompass("check", fifo_corpus)
    assert r.returncode == 1
    errors = [x for x in r.stderr.splitlines() if x.startswith("error: ")]
    assert len(errors) == 1 and "pipe.yaml: not a regular file" in errors[0], r.stderr
    assert "1 error(s)" in r.stdout


def test_p8_show_list_skips_a_fifo_with_an_error_line(fifo_corpus: Path) -> None:
    r = kompass("show", "--list", "--corpus", fifo_corpus)
    assert r.returncode == 0 and "Vännäs" in r.stdout
    assert "pipe.yaml: not a regular file" in r.stderr


def test_p8_a_fifo_given_as_the_file_is_refused(fifo_corpus: Path) -> None:
    r = kompass("check", fifo_corpus / "pipe.yaml")
    assert r.returncode == 1 and "not a regular file" in r.stderr


def test_p9_corpus_files_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.yaml", "x: 1\n")
        os.umask(0o027)
        write_atomic(tmp_path / "b.yaml", "x: 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.yaml").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.yaml").stat().st_mode) == 0o640


def test_p9_ingest_writes_0644_under_umask_022(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        r = kompass("ingest", REPORT, "--out", tmp_path)
    finally:
        os.umask(old)
    assert r.returncode == 0, r.stderr
    (written,) = tmp_path.glob("*.yaml")
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_p10_force_removes_the_stale_new_file(tmp_path: Path) -> None:
    assert kompass("ingest", REPORT, "--out", tmp_path).returncode == 0
    (target,) = tmp_path.glob("*.yaml")
    target.write_text(target.read_text(encoding="utf-8") + "# corrected by hand\n", "utf-8")
    r = kompass("ingest", REPORT, "--out", tmp_path)
    aside = target.with_name(target.name + ".new")
    assert r.returncode == 0 and aside.exists()
    r = kompass("ingest", REPORT, "--out", tmp_path, "--force")
    assert r.returncode == 0 and "(replaced)" in r.stdout
    assert not aside.exists()


def test_p10_the_same_report_under_another_name_is_unchanged(tmp_path: Path) -> None:
    out, copy = tmp_path / "corpus", tmp_path / "renamed-report.txt"
    shutil.copy(REPORT, copy)
    assert kompass("ingest", REPORT, "--out", out).returncode == 0
    (target,) = out.glob("*.yaml")
    before = target.read_bytes()
    r = kompass("ingest", copy, "--out", out)
    assert r.returncode == 0 and "(unchanged)" in r.stdout and "edited by hand" not in r.stdout
    assert target.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [target.name, "sources"]
    assert [p.name for p in (out / "sources").iterdir()] == [REPORT.name]
