"""Running `kompass` (with the fake embedder, see fake_kompass.py) in subprocesses, and index snapshots."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kompass_search.config import Config
from kompass_search.corpus import load_corpus
from kompass_search.index.build import build_index
from kompass_search.index.passages import cut, evaluation_hash
from kompass_search.index.reader import open_index
from kompass_search.ingest import ingest_path, write_result
from kompass_search.model.fake import HashingEmbedder
from kompass_search.search.searcher import Searcher

from ._support import ROOT

DRIVER = Path(__file__).with_name("fake_kompass.py")
QUERIES = ["synpunktshantering", "medborgardialog och delaktighet", "ledarutveckling för chefer"]


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    # never the user's config: defaults only (a missing KOMPASS_CONFIG file is an error, #12)
    out["KOMPASS_CONFIG"] = str(ROOT / "tests" / "data" / "defaults-config.yaml")
    out["PYTHONPATH"] = os.pathsep.join([str(ROOT), out.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {**out, **extra}


def kompass(
    *args: str | Path, timeout: float = 60, env_vars: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the fake embedder to completion (``env_vars``: e.g. KOMPASS_SLOW)."""
    return subprocess.run(
        [sys.executable, str(DRIVER), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env(**(env_vars or {})), cwd=ROOT,
    )  # fmt: skip


def start(*args: str | Path, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(DRIVER), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(**extra), cwd=ROOT,
    )  # fmt: skip


def start_held(
    stage: str, hold: Path, *args: str | Path, timeout: float = 30
) -> subprocess.Popen[str]:
    """Start a run that stops at ``stage``; returns once it is there (delete ``hold`` to release it)."""
    hold.write_text("hold", encoding="utf-8")
    reached = hold.with_name(hold.name + ".reached")
    reached.unlink(missing_ok=True)
    proc = start(*args, KOMPASS_HOLD=stage, KOMPASS_HOLD_FILE=str(hold))
    deadline = time.monotonic() + timeout
    while not reached.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(
                f"run ended before reaching {stage} ({proc.returncode}): {err}{out}"
            )
        if time.monotonic() > deadline:
            kill(proc)
            raise AssertionError(f"run did not reach {stage} in {timeout} s")
        time.sleep(0.01)
    return proc


def kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


@dataclass
class Corpora:
    """Two corpora: A (the shipped one) and B (A plus the two fictional test reports)."""

    a: Path
    b: Path

    def texts(self, which: Path) -> list[str]:
        return sorted(d.text for e in load_corpus(which) for d in cut(e))

    def hashes(self, which: Path) -> dict[str, str]:
        return {e.key: evaluation_hash(e) for e in load_corpus(which)}


def make_corpora(tmp: Path) -> Corpora:
    a, b = tmp / "A", tmp / "B"
    shutil.copytree(ROOT / "corpus", a)
    shutil.copytree(ROOT / "corpus", b)
    for report in sorted((ROOT / "tests" / "data" / "reports").glob("*.txt")):
        write_result(ingest_path(report), b)
    return Corpora(a, b)


def build(corpus: Path, out: Path) -> None:
    build_index(load_corpus(corpus), out, HashingEmbedder(64), corpus=corpus)


@dataclass(frozen=True)
class Snapshot:
    """What an index is (its evaluations and texts) and what it answers."""

    evaluations: dict[str, str]
    texts: list[str]
    answers: list[list[tuple[str, str, float]]]


def snapshot(index: Path, corpus: Path) -> Snapshot:
    """Open the index as a search would (a crashed swap is put back first) and ask QUERIES."""
    idx = open_index(index)
    searcher = Searcher.open(Config(corpus=corpus, index=index), HashingEmbedder(64), index=idx)
    answers = [
        [
            (h.passage.evaluation, h.passage.text, round(h.rank_score, 6))
            for h in searcher.search(q, top=5)
        ]
        for q in QUERIES
    ]
    texts = sorted(idx.text(i) for i in range(idx.count))
    return Snapshot(dict(idx.meta["evaluations"]), texts, answers)


def leftovers(index: Path) -> list[str]:
    """Files beside the index other than the index and its lock file."""
    return sorted(
        p.name
        for p in index.parent.iterdir()
        if p.name.startswith(f".{index.name}.") and p.name != f".{index.name}.lock"
    )


def search_json(index: Path, corpus: Path, query: str) -> list[dict[str, object]]:
    r = kompass("search", query, "--index", index, "--corpus", corpus, "--json", "--top", "5")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def index_of_a(corpora: Corpora, tmp: Path) -> Path:
    """An index of corpus A under ``tmp``, built without interruption."""
    index = tmp / "data" / "index"
    build(corpora.a, index)
    return index
