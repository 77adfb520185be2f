"""The default passage recipe: a strength is embedded with the title of the subquestion it answers;
other passages with the head terms of the glossary concepts they name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from searchkit import vannas

from kompass_search.glossary import expand_query
from kompass_search.index.build import build_index
from kompass_search.index.format import DEFAULT_RECIPE
from kompass_search.index.passages import cut, embedding_text, text_hash
from kompass_search.index.reader import Index
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Evaluation

SYNPUNKT = "Synpunktshanteringssystem inom ex. skola och socialtjänst"


def _questions(ix: Index, ev: Evaluation) -> list[str | None]:
    """Per row of ``ix`` (one evaluation): the title of the strength's best link, else None."""
    titles = {s.id: s.title for s in ev.subquestions}
    out = []
    for i in range(ix.count):
        p = ix.passage(i)
        out.append(titles[p.link_best] if p.kind == "strength" and p.link_best else None)
    return out


@pytest.mark.parametrize("recipe", ["question", "lean"])
def test_a_question_recipe_adds_the_title_in_brackets(recipe: str) -> None:
    d = next(d for d in cut(vannas()) if d.text == SYNPUNKT)
    q = "Hur hanteras synpunkter och klagomål?"
    assert embedding_text(d, recipe, q) == expand_query(f"{SYNPUNKT} ({q})")[0]
    assert embedding_text(d, recipe, None) == embedding_text(d, "glossary")


def test_the_lean_recipe_is_the_default_and_gives_other_passages_head_terms_only() -> None:
    assert DEFAULT_RECIPE == "lean"
    others = [d for d in cut(vannas()) if d.kind != "strength"]
    named = [d for d in others if expand_query(d.text)[1]]
    assert len(named) > 10
    for d in others:
        lean, full = embedding_text(d, "lean"), embedding_text(d, "question")
        assert lean == expand_query(d.text, 1)[0] and full == expand_query(d.text)[0]
    d = next(d for d in named if "medborgardialog" in d.text.casefold())
    # one term per language of the concept, the first the glossary lists
    assert embedding_text(d, "lean").endswith(
        "(medborgardialog, innbyggerdialog, citizen dialogue)"
    )
    assert len(embedding_text(d, "lean")) < len(embedding_text(d, "question"))


def test_each_strength_is_embedded_with_the_title_of_its_best_link(tmp_path: Path) -> None:
    ev = vannas()
    build_index([ev], tmp_path / "ix", HashingEmbedder())
    ix = Index(tmp_path / "ix")
    drafts = cut(ev)
    questions = _questions(ix, ev)
    assert len(drafts) == ix.count
    for i, (d, q) in enumerate(zip(drafts, questions, strict=True)):
        assert ix.passage(i).text == d.text
        assert int(ix.rows["hash"][i]) == text_hash(embedding_text(d, DEFAULT_RECIPE, q)), d.text
    strengths = [q for d, q in zip(drafts, questions, strict=True) if d.kind == "strength"]
    assert len(strengths) == 48 and all(strengths)  # every Vännäs strength has a best link


@pytest.mark.parametrize("recipe", ["glossary", "question", "lean"])
def test_an_unchanged_corpus_embeds_nothing_again(tmp_path: Path, recipe: str) -> None:
    build_index([vannas()], tmp_path / "ix", HashingEmbedder(), recipe=recipe)
    again = build_index([vannas()], tmp_path / "ix", HashingEmbedder(), recipe=recipe)
    assert again.embedded == 0 and again.reused == again.passages


def test_a_changed_link_embeds_the_strengths_whose_question_changed(tmp_path: Path) -> None:
    ev = vannas()
    build_index([ev], tmp_path / "ix", HashingEmbedder())
    before = Index(tmp_path / "ix")
    old_best = before.passage(next(i for i in range(before.count) if before.text(i) == SYNPUNKT))
    target = "2.3" if old_best.link_best != "2.3" else "2.4"
    areas = tuple(
        replace(a, reviewed_links=((SYNPUNKT, target),)) if a.number == 2 else a for a in ev.areas
    )
    edited = replace(ev, areas=areas)
    old_hashes = set(before.rows["hash"].tolist())
    report = build_index([edited], tmp_path / "ix", HashingEmbedder())
    after = Index(tmp_path / "ix")
    p = after.passage(next(i for i in range(after.count) if after.text(i) == SYNPUNKT))
    assert p.link_best == target and p.link_reviewed
    changed = sum(1 for h in after.rows["hash"].tolist() if h not in old_hashes)
    assert report.embedded == changed >= 1  # texts that changed (the reviewed strength), no more
    assert report.embedded < sum(1 for d in cut(ev) if d.kind == "strength")
