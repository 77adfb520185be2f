"""The labelled queries: every label names a real strength, and tuning code reads the tune split only."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml
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


def test_the_measured_splits_are_the_five_held_out_ones() -> None:
    assert HELDOUT_SPLITS == ("heldout", "heldout2", "heldout3", "heldout4", "heldout5")


@pytest.mark.parametrize("split", ["heldout2", "heldout3", "heldout4", "heldout5"])
def test_a_blind_split_has_its_own_off_topic_list_in_three_languages(split: str) -> None:
    langs = {q.lang for q in QUERIES if q.split == split}
    assert langs == {"sv", "no", "en"}
    off = load_off_topic(split)
    assert off and all(
        off != load_off_topic(other) for other in (TUNE, *HELDOUT_SPLITS) if other != split
    )
    raw = yaml.safe_load(
        resources.files("kompass_search").joinpath("eval_queries.yaml").read_text()
    )
    # YAML 1.1 reads a bare `no` as false
    assert {"no" if q["lang"] is False else q["lang"] for q in raw[f"off_topic_{split}"]} == {
        "sv",
        "no",
        "en",
    }


def test_heldout3_has_30_queries_over_all_eight_areas_and_10_off_topic() -> None:
    h3 = [q for q in QUERIES if q.split == "heldout3"]
    assert len(h3) == 30 and len(load_off_topic("heldout3")) == 10
    areas = vannas().areas
    hit = {
        i
        for q in h3
        for f in q.expect
        for i, a in enumerate(areas)
        if any(f.casefold() in s.casefold() for s in a.strengths)
    }
    assert hit == set(range(len(areas))) and len(areas) == 8


# most: how many queries may name one strength (heldout5 was written to two; heldout4 has three)
@pytest.mark.parametrize(("split", "most"), [("heldout4", 3), ("heldout5", 2)])
def test_a_wave_split_has_10_queries_per_language_over_all_eight_areas_and_10_off_topic(
    split: str, most: int
) -> None:
    qs = [q for q in QUERIES if q.split == split]
    assert len(qs) == 30 and len(load_off_topic(split)) == 10
    assert {lang: sum(q.lang == lang for q in qs) for lang in ("sv", "no", "en")} == {
        "sv": 10,
        "no": 10,
        "en": 10,
    }
    areas = vannas().areas
    strengths = [(i, s.casefold()) for i, a in enumerate(areas) for s in a.strengths]
    per_area = [0] * len(areas)
    per_strength = [0] * len(strengths)
    for q in qs:
        hit = set()
        for f in q.expect:
            # each fragment names one strength, never several by accident
            found = [j for j, (_, s) in enumerate(strengths) if f.casefold() in s]
            assert len(found) == 1, (q.q, f, len(found))
            per_strength[found[0]] += 1
            hit.add(strengths[found[0]][0])
        for i in hit:
            per_area[i] += 1
    assert len(areas) == 8 and min(per_area) >= 3, per_area
    # spread over many strengths: none is the answer to more than `most` queries
    assert max(per_strength) <= most, per_strength


def test_an_unknown_split_has_no_off_topic_list_rather_than_the_tuning_one() -> None:
    with pytest.raises(ValueError, match="heldout9"):
        load_off_topic("heldout9")


def test_the_calibration_fits_on_the_tune_split_and_its_off_topic_list_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extra = LabelledQuery("sv", "en fråga i en ny split", ("Medborgarförslag",), "heldout9")
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
