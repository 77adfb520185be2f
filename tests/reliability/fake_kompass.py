"""`kompass` with the fake HashingEmbedder and hold points, for the kill and concurrency tests.

    python fake_kompass.py index CORPUS --out INDEX        # the real CLI, fake embedder

KOMPASS_HOLD=STAGE and KOMPASS_HOLD_FILE=PATH make the run stop at STAGE: it creates
PATH.reached, then waits while PATH exists (a test deletes PATH to let it go on, or kills it).
Stages, in the order a build meets them:
  embed    inside embed_passages (the lock is held, nothing written yet)
  write    inside writing the new folder (rows, texts and vectors written; BM25, meta not yet)
  swap     between the two renames of the swap (the old index renamed aside, the new not yet in)
  cleanup  after the swap, before the old index is deleted
KOMPASS_SLOW=SECONDS makes embedding take that long per passage (for kills at random times).
KOMPASS_DIM sets the fake embedder's dimension (default 64).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kompass_search.index import bm25
from kompass_search.model import embed
from kompass_search.model.fake import HashingEmbedder

STAGE = os.environ.get("KOMPASS_HOLD", "")
HOLD = Path(os.environ.get("KOMPASS_HOLD_FILE", "/nonexistent/hold"))
SLOW = float(os.environ.get("KOMPASS_SLOW", "0"))
DIM = int(os.environ.get("KOMPASS_DIM", "64"))


def hold(stage: str) -> None:
    if stage != STAGE:
        return
    HOLD.with_name(HOLD.name + ".reached").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 120  # never hang a test run for good
    while HOLD.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


class SlowHashing(HashingEmbedder):
    def embed_passages(self, texts: Sequence[str], progress: Any = None) -> np.ndarray:
        hold("embed")
        out = []
        for t in texts:
            if SLOW:
                time.sleep(SLOW)
            out.append(super().embed_passages([t]))
            if progress:
                progress(1)
        return np.concatenate(out) if out else np.zeros((0, self.dim), np.float32)


def fake(*_args: Any, **_kwargs: Any) -> HashingEmbedder:
    return SlowHashing(DIM)


embed.index_embedder = fake
embed.query_embedder = fake
embed.configured_model_id = lambda _config: f"fake-hashing-{DIM}"

_build_bm25 = bm25.build


def _bm25_then_hold(*args: Any, **kwargs: Any) -> Any:
    hold("write")
    return _build_bm25(*args, **kwargs)


bm25.build = _bm25_then_hold  # the index module calls bm25.build() midway through writing

_rename = os.rename


def _rename_then_hold(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
    _rename(src, dst, *args, **kwargs)
    if str(dst).endswith(".old"):
        hold("swap")


os.rename = _rename_then_hold
_rmtree = shutil.rmtree


def _hold_then_rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
    if str(path).endswith(".old") and Path(path).exists():
        hold("cleanup")
    _rmtree(path, *args, **kwargs)


shutil.rmtree = _hold_then_rmtree  # type: ignore[assignment]

if __name__ == "__main__":
    from kompass_search.cli import app

    sys.argv[0] = "kompass"
    app()
