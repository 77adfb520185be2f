"""Test helpers for index and search: the shipped corpus, the fictional reports, a made-up evaluation."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from kompass_search.config import DEFAULT_MODEL, Config
from kompass_search.corpus import load_corpus
from kompass_search.corpus_write import dump
from kompass_search.model.fake import HashingEmbedder
from kompass_search.models import Area, Evaluation, Source, Subquestion
from kompass_search.taxonomy import get_template

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"


class FakeE5(HashingEmbedder):
    """The hashing fake under the default model's id, so the CLI's model check passes in tests."""

    def __init__(self) -> None:
        super().__init__(64)
        self.model_id = DEFAULT_MODEL


def shipped() -> list[Evaluation]:
    return load_corpus(ROOT / "corpus")


def vannas() -> Evaluation:
    return next(e for e in shipped() if e.municipality == "Vännäs")


def fictional() -> list[Evaluation]:
    """Ängsmora 2022 (skr-2020, sv) and Grønnvik 2012 (ks-2010, no): made-up reports under tests/data."""
    from kompass_search.ingest import ingest_path

    return [ingest_path(p).evaluation for p in sorted(REPORTS.glob("*.txt"))]


def provby(
    sq74: float = 90.0, strengths7: tuple[str, ...] = ("Idéslussen tar emot medarbetarnas förslag",)
) -> Evaluation:
    """A made-up skl-2010 evaluation (no such municipality) that is strong where Vännäs is weak."""
    # All eight areas (a valid record, as `kompass index` checks the corpus); text in 1, 2 and 7.
    areas = tuple(
        Area(
            a.number,
            a.theme,
            a.name,
            score={1: 80.0, 2: 80.0, 7: 85.0}.get(a.number, 70.0),
            **(
                {
                    "strengths": strengths7
                    if a.number == 7
                    else (f"Provby styrka i område {a.number}",),
                    "improvements": (f"Provby förbättring i område {a.number}",),
                    "summary": (f"Provby sammanfattning av område {a.number}.",),
                }
                if a.number in (1, 2, 7)
                else {}
            ),
        )
        for a in get_template("skl-2010").areas
    )
    subs = (
        Subquestion(
            "2.6", "Hur arbetar kommunen med synpunkts- och klagomålshantering?", 12, 15, 80
        ),
        Subquestion("7.2", "Vilka metoder och verktyg finns för kvalitetsutveckling?", 20, 25, 80),
        Subquestion(
            "7.4",
            "Hur arbetar kommunen med kreativitet och innovationer?",
            sq74 / 5,
            20,
            round(sq74),
        ),
    )
    return Evaluation(
        "Provby",
        "SE",
        2018,
        "skl-2010",
        "sv",
        Source("report", "Provby (fictional)", "SKL", file="sources/provby-2018.txt"),
        total=595,
        date="2018-03",
        areas=areas,
        subquestions=subs,
    )


def write_corpus(folder: Path, evals: list[Evaluation]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for e in evals:
        (folder / f"{e.slug}.yaml").write_text(dump(e), encoding="utf-8")
    return folder


def copy_shipped(folder: Path) -> Path:
    shutil.copytree(ROOT / "corpus", folder, ignore=shutil.ignore_patterns("sources"))
    return folder


def config(corpus: Path, index: Path) -> Config:
    return replace(Config(), corpus=corpus, index=index)
