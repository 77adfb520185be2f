"""The labelled queries: every label names a real strength, and tuning code reads the tune split only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from searchkit import vannas

from kompass_search.search import calibrate
from kompass_search.search.evaluate import (
    HELDOUT_SPLITS,
    TUNE,
    LabelledQuery,
    load_off_topic,
    load_queries,
)

PACKAGE = Path(__file__).resolve().parents[2] / "kompass_search"
QUERIES = load_queries()
# modules that only measure on the labelled queries (calibrate is the tuning one, tested below)
READERS = {"search/evaluate.py", "search/calibrate.py", "cli/search_cmds.py", "bench/child.py"}


@pytest.mark.parametrize("lq", QUERIES, ids=[f"{q.split}:{q.q}" for q in QUERIES])
def test_every_expected_fragment_is_a_strength_of_vannas_2016(lq: LabelledQuery) -> None:
    strengths = [s.casefold() for a in vannas().areas for s in a.strengths]
    for fragment in lq.expect:
        assert any(fragment.casefold() in s for s in strengths), fragment


def test_every_split_is_tune_or_held_out_and_no_query_is_in_two() -> None:
    assert {q.split for q in QUERIES} == {TUNE, *HELDOUT_SPLITS}
    texts = [q.q.casefold() for q in QUERIES]
    assert len(texts) == len(set(texts))
    off = [q.casefold() for split in (TUNE, *HELDOUT_SPLITS) for q in load_off_topic(split)]
    assert len(off) == len(set(off)) and not set(off) & set(texts)


def test_heldout2_has_its_own_off_topic_list_in_three_languages() -> None:
    langs = {q.lang for q in QUERIES if q.split == "heldout2"}
    assert langs == {"sv", "no", "en"}
    assert load_off_topic("heldout2") and load_off_topic("heldout2") != load_off_topic("heldout")


def test_an_unknown_split_has_no_off_topic_list_rather_than_the_tuning_one() -> None:
    with pytest.raises(ValueError, match="heldout3"):
        load_off_topic("heldout3")


def test_the_calibration_fits_on_the_tune_split_and_its_off_topic_list_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extra = LabelledQuery("sv", "en fråga i en ny split", ("Medborgarförslag",), "heldout3")
    monkeypatch.setattr(calibrate, "load_queries", lambda: [*QUERIES, extra])
    asked: list[str] = []

    def off_topic(split: str = "heldout") -> list[str]:
        asked.append(split)
        return load_off_topic(split)

    monkeypatch.setattr(calibrate, "load_off_topic", off_topic)
    seen: list[tuple[list[LabelledQuery], list[str]]] = []

    class Stop(Exception):
        pass

    def samples(searcher: object, mode: str, queries: list, off: list) -> list:
        seen.append((queries, off))
        raise Stop

    monkeypatch.setattr(calibrate, "samples", samples)
    with pytest.raises(Stop):
        calibrate.fit(None)  # type: ignore[arg-type]
    ((queries, off),) = seen
    assert queries and {q.split for q in queries} == {TUNE}
    assert queries == [q for q in QUERIES if q.split == TUNE]
    assert asked == [TUNE] and off == load_off_topic(TUNE)


def test_no_other_module_reads_the_labelled_queries() -> None:
    # a new module that tunes on the labelled queries must go through calibrate.training_set
    pattern = re.compile(r"\b(load_queries|load_off_topic|held_out_off_topic|eval_queries)\b")
    readers = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if pattern.search(p.read_text("utf-8"))
    }
    assert readers <= READERS, readers - READERS
