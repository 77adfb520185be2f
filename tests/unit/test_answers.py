"""Answers that know what they know (fake embedder): reviewed links, weak matches, gold stars, calibration."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml
from searchkit import vannas

from kompass_search.config import Ranking
from kompass_search.corpus import from_mapping
from kompass_search.corpus_write import dump
from kompass_search.errors import ConfigError, CorpusError
from kompass_search.glossary import expand_query
from kompass_search.index.build import build_index
from kompass_search.index.reader import open_index
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Evaluation
from kompass_search.render.hits import hit_dict, hits_markdown, hits_text
from kompass_search.search.calibrate import threshold_interval
from kompass_search.search.calibration import Calibration, _parse, calibrations, for_model
from kompass_search.search.filters import Filters
from kompass_search.search.searcher import Searcher
from kompass_search.validate import check_evaluation

SYNPUNKT = "Synpunktshanteringssystem inom ex. skola och socialtjänst"


def _with_area(ev: Evaluation, number: int, **changes: object) -> Evaluation:
    areas = tuple(replace(a, **changes) if a.number == number else a for a in ev.areas)  # type: ignore[arg-type]
    return replace(ev, areas=areas)


def _reviewed(sq: str = "2.6") -> Evaluation:
    return _with_area(vannas(), 2, reviewed_links=((SYNPUNKT, sq),))


def _searcher(tmp: Path, evals: list[Evaluation], **ranking: float) -> Searcher:
    """A searcher over ``evals`` ranking by relevance alone (score weight 0, unless given).

    Passages are embedded as their text stands (the glossary recipe, not the default one that adds
    each strength's question), so that a strength's own text finds it first with the word-hashing
    fake."""
    build_index(evals, tmp / "ix", HashingEmbedder(), recipe="glossary")
    index = open_index(tmp / "ix")
    weights = replace(Ranking(), **{"score_weight": 0.0, **ranking})
    return Searcher(index, HashingEmbedder, weights, "dense")  # type: ignore[arg-type]


def test_a_reviewed_link_round_trips_through_the_yaml(tmp_path: Path) -> None:
    ev = _reviewed()
    raw = yaml.safe_load(dump(ev))
    area2 = next(a for a in raw["areas"] if a["number"] == 2)
    assert {"text": SYNPUNKT, "subquestion": "2.6"} in area2["strengths"]
    back = from_mapping(raw, tmp_path / "x.yaml")
    assert back.area(2) is not None and back.area(2).reviewed_link(SYNPUNKT) == "2.6"  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", ["8", "x.4", "8.4.1"])
def test_a_reviewed_link_must_look_like_a_subquestion(tmp_path: Path, bad: str) -> None:
    raw = yaml.safe_load(dump(vannas()))
    raw["areas"][1]["strengths"][0] = {"text": "Brukarfokus", "subquestion": bad}
    with pytest.raises(CorpusError, match=r"strengths\[0\]\.subquestion' must be like"):
        from_mapping(raw, tmp_path / "x.yaml")


@pytest.mark.parametrize(
    ("sq", "message"),
    [("2.9", "'2.9' is no subquestion of this evaluation"), ("8.4", "belongs to area 8")],
)
def test_check_refuses_an_unknown_or_foreign_reviewed_link(sq: str, message: str) -> None:
    problems = [p for p in check_evaluation(_reviewed(sq)) if p.level == "error"]
    assert len(problems) == 1 and message in problems[0].message
    assert "areas[1].strengths[" in problems[0].message


def test_a_reviewed_link_overrides_inference_and_is_cited_unmarked(tmp_path: Path) -> None:
    s = _searcher(tmp_path, [_with_area(vannas(), 2, reviewed_links=((SYNPUNKT, "2.3"),))])
    ps = [s.index.passage(i) for i in range(s.index.count)]
    p = next(p for p in ps if p.text == SYNPUNKT)
    assert p.subquestion == "2.3" and p.link_reviewed and p.link_confidence == 1.0
    assert p.link_runner_up is not None and p.link_runner_up != "2.3"
    assert "delfråga 2.3 (" in s.index.citation(p.id) and "härledd" not in s.index.citation(p.id)
    inferred = next(q for q in ps if q.subquestion and not q.link_reviewed)
    assert "härledd)" in s.index.citation(inferred.id)


def test_weak_matches_are_hidden_unless_asked_for(tmp_path: Path) -> None:
    # the hashing fake has no fitted calibration; a steep one makes most matches weak
    s = _searcher(tmp_path, [vannas()], weak_below=0.5)
    steep = Calibration(
        "steep", {**for_model("default").weights, "dense": ((40.0, 0.0, 0.0), -12.0)}
    )
    s = Searcher(s.index, HashingEmbedder, s.ranking, "dense", calibration=steep)  # type: ignore[arg-type]
    every = s.search(SYNPUNKT, top=30, include_weak=True)
    strong = s.search(SYNPUNKT, top=30)
    assert every[0].passage.text == SYNPUNKT and not every[0].weak
    assert any(h.weak for h in every) and not any(h.weak for h in strong)
    assert [h.passage.id for h in strong] == [h.passage.id for h in every if not h.weak]
    assert all((h.relevance < 0.5) == h.weak for h in every)


def test_a_filter_never_raises_relevance(tmp_path: Path) -> None:
    s = _searcher(tmp_path, [vannas()])
    everywhere = {h.passage.id: h.relevance for h in s.search("medborgardialog", top=300)}
    area1 = s.search("medborgardialog", Filters.parse(area="1"), top=300)
    assert area1 and all(abs(everywhere[h.passage.id] - h.relevance) < 1e-6 for h in area1)


def test_a_gold_star_ranks_above_an_otherwise_equal_practice_and_shows(tmp_path: Path) -> None:
    twin = "Kvalitetsråd med brukare"
    ev = _with_area(vannas(), 2, strengths=(twin, twin), gold_stars=())
    starred = replace(
        _with_area(vannas(), 2, strengths=(twin,), gold_stars=(twin,)), municipality="Stjärnby"
    )
    s = _searcher(tmp_path, [ev, starred])
    hits = [h for h in s.search(twin, top=10) if h.passage.text == twin]
    assert (
        len(hits) == 3 and hits[0].passage.gold_star and hits[0].passage.municipality == "Stjärnby"
    )
    assert not any(h.passage.gold_star for h in hits[1:])
    assert hit_dict(hits[0])["gold_star"] is True and hit_dict(hits[1])["gold_star"] is False
    assert "· styrka ★" in hits_text(hits[:1]) and hits_markdown(hits[:1]).startswith("- ★ **")
    assert "· strength ★" in hits_text(hits[:1], language="en")


def test_json_carries_context_label_link_and_weak(tmp_path: Path) -> None:
    s = _searcher(tmp_path, [vannas()])
    hits = s.search("medborgardialog", Filters.parse(kind="summary"), top=3)
    row = json.loads(json.dumps(hit_dict(hits[0])))
    assert row["sentence_label"] == "practice" and row["text"] in row["context"]
    assert row["weak"] is False and "link_confidence" in row and "subquestion_reviewed" in row


def test_english_labels_and_citations(tmp_path: Path) -> None:
    s = _searcher(tmp_path, [vannas()]).with_lang("en")
    hit = s.search(SYNPUNKT, top=1)[0]
    assert hit.citation.startswith("Vännäs municipality 2016, area 2 ")
    assert hit.citation.endswith("Source: SKL, Kommunkompassen, January 2016.")
    assert "(strength)" in hits_markdown([hit], "en")


def test_the_glossary_expands_a_norwegian_word_with_the_swedish_terms() -> None:
    text, named = expand_query("klagehåndtering")
    assert named and "synpunktshantering" in text and "complaints handling" in text
    assert expand_query("banana smoothie") == ("banana smoothie", False)


def test_calibration_is_monotone_and_the_shipped_file_is_valid() -> None:
    assert {"default", "multilingual-e5-small"} <= set(calibrations())
    cal = for_model("multilingual-e5-small")
    cos = np.array([0.80, 0.84, 0.88])
    rel = cal.relevance("dense", cosine=cos, baseline=0.8)
    assert np.all(np.diff(rel) > 0) and np.all((rel > 0) & (rel < 1))
    assert for_model("some-other-model") is calibrations()["default"]
    with pytest.raises(ConfigError, match="not a calibration file"):
        _parse({"models": {"default": {"dense": {"weights": [1.0]}}}}, "x.yaml")
    with pytest.raises(ConfigError, match="'default' entry"):
        _parse({"models": {}}, "x.yaml")


@pytest.mark.parametrize(
    ("right", "off", "low", "high", "kept", "shown"),
    [
        # a gap: every right answer above every off-topic query; the gap is the interval
        ([0.5, 0.9, 0.3], [0.01, 0.05], 0.05, 0.3, 3, 0),
        # overlap: a near miss (0.6) above two right answers; keeping all three and showing it
        # (1 - 1/4) beats hiding it with them (1/3 - 0)
        ([0.9, 0.1, 0.2], [0.6, 0.02, 0.03, 0.04], 0.04, 0.1, 3, 1),
        # a tie, (0.1, 0.2] (1 - 1/2) and (0.5, 0.7] (1/2 - 0): the lowest interval keeps more
        ([0.2, 0.7], [0.1, 0.5], 0.1, 0.2, 2, 1),
    ],
)
def test_the_weak_threshold_interval_keeps_the_most_right_answers_net_of_off_topic_shown(
    right: list[float], off: list[float], low: float, high: float, kept: int, shown: int
) -> None:
    iv = threshold_interval(right, off)
    assert (iv.low, iv.high, iv.kept, iv.shown) == (low, high, kept, shown)
    assert iv.low < iv.middle <= iv.high


def test_the_weak_threshold_middle_is_geometric() -> None:
    iv = threshold_interval([0.4, 0.5], [0.01])
    assert iv.middle == pytest.approx((0.01 * 0.4) ** 0.5)
