"""Measuring: percentiles, and child processes timed with their own peak RSS (os.wait4)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0..100) by linear interpolation between order statistics."""
    if not values:
        return float("nan")
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / min in milliseconds of a list of durations in seconds."""
    return {
        "p50_ms": round(percentile(seconds, 50) * 1000, 2),
        "p95_ms": round(percentile(seconds, 95) * 1000, 2),
        "min_ms": round(min(seconds) * 1000, 2) if seconds else float("nan"),
        "n": len(seconds),
    }


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    max_rss_mb: float  # this child's own peak resident set (ru_maxrss), not its siblings'
    cpu_s: float
    returncode: int
    stdout: str
    stderr: str


# A child's ru_maxrss counts the memory of the process it was forked from until it execs (Linux
# carries the old mm's high-water mark over exec), so a child of a big benchmark process would
# report the parent's size. Children are therefore started by this tiny launcher (python -I -S,
# ~10 MB), which times the real child from spawn to exit and reports its rusage on a pipe.
_LAUNCHER = """
import os, sys, time
fd = int(sys.argv[1])
os.set_inheritable(fd, False)
t = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t
os.write(fd, ("%r %r %r %d" % (wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status))).encode())
"""


def run_child(argv: Sequence[str], env: Mapping[str, str] | None = None) -> ChildRun:
    """Run ``argv`` to completion: its wall time from spawn to exit, its own peak RSS and CPU time."""
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            p = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(write_end), *argv],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                pass_fds=(write_end,),
                env=dict(env) if env is not None else None,
            )
        finally:
            os.close(write_end)
        with os.fdopen(read_end, "rb") as report:
            raw = report.read().decode()  # until the launcher exits
        if p.wait() != 0 or not raw:
            err.seek(0)
            raise RuntimeError(
                f"could not run {argv[0]}: {err.read().decode('utf-8', 'replace').strip()[-300:]}"
            )
        wall, rss_kb, cpu, code = raw.split()
        out.seek(0)
        err.seek(0)
        return ChildRun(
            float(wall),
            int(rss_kb) / 1024,
            float(cpu),
            int(code),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def child_json(
    task: str, args: Sequence[str], env: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], ChildRun]:
    """Run ``python -m kompass_search.bench.child TASK ARGS`` and parse the JSON it prints."""
    run = run_child([sys.executable, "-m", "kompass_search.bench.child", task, *args], env)
    if run.returncode != 0:
        tail = run.stderr.strip().splitlines()[-5:]
        raise RuntimeError(f"bench child {task!r} failed ({run.returncode}):\n" + "\n".join(tail))
    return json.loads(run.stdout.strip().splitlines()[-1]), run


def cold(
    commands: Mapping[str, Sequence[str]],
    reps: int,
    env: Mapping[str, str] | None = None,
    setup: Mapping[str, Callable[[], None]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Median and min wall time and peak RSS of ``reps`` fresh runs of each command.

    The commands take turns (a, b, c, a, b, c, ...) so that a noisy neighbour slows all of them
    alike; each runs once untimed first to fill the page cache ("cold" means a new process).
    ``setup[name]``, when given, runs (untimed) before every run of that command.
    """
    walls: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, float] = dict.fromkeys(commands, 0.0)
    for rep in range(reps + 1):
        for name, argv in commands.items():
            if setup and name in setup:
                setup[name]()
            r = run_child(argv, env)
            if r.returncode != 0:
                raise RuntimeError(
                    f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()[-300:]}"
                )
            if rep:
                walls[name].append(r.wall_s)
                rss[name] = max(rss[name], r.max_rss_mb)
    return {
        name: {
            "median_s": round(statistics.median(walls[name]), 3),
            "min_s": round(min(walls[name]), 3),
            "max_rss_mb": round(rss[name], 1),
            "reps": reps,
        }
        for name in commands
    }
