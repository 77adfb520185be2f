"""Shared pieces of the reliability suite: hypothesis settings, input counters, error checks."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings

from kompass_search.errors import KompassError

ROOT = Path(__file__).resolve().parents[2]

# Fixed, derandomized examples: CI sees the same inputs on every run, and no example database
# leaks failures from one machine to the next. KOMPASS_FUZZ_SCALE=10 runs ten times as many.
SCALE = float(os.environ.get("KOMPASS_FUZZ_SCALE", "1"))
BASE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def examples(n: int) -> settings:
    """Settings for a property test that should see about ``n`` inputs (times KOMPASS_FUZZ_SCALE)."""
    return settings(BASE, max_examples=max(1, int(n * SCALE)))


# Inputs each property test actually ran (explicit examples, generated ones and shrinks alike).
INPUTS: Counter[str] = Counter()
FAILURES: Counter[str] = Counter()  # project errors raised (allowed): how often each test met one


def count(name: str) -> None:
    INPUTS[name] += 1


def assert_kompass_error(err: BaseException, name: str | None = None) -> None:
    """The only failure allowed: a KompassError with a non-empty message on one line."""
    assert isinstance(err, KompassError), f"{type(err).__name__} escaped: {err!r}"
    text = str(err)
    assert text.strip(), f"{type(err).__name__} with an empty message"
    assert "\n" not in text and "\r" not in text, f"message is not one line: {text!r}"
    if name:
        FAILURES[name] += 1
