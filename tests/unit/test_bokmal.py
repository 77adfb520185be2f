"""Norwegian bokmål queries searched in their Swedish form (bokmal.py + bokmal.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_search import bokmal, datafiles
from kompass_search.errors import CorpusError
from kompass_search.glossary import query_concepts
from kompass_search.index import bm25
from kompass_search.search.query import dense_text


@pytest.mark.parametrize(
    ("query", "swedish"),
    [
        ("hvordan følger kommunen opp ansatte", "hur följer kommunen upp anställda"),
        ("Informasjon til innbyggerne på nettsiden", "Information till invånarna på webbplatsen"),
        ("HVORDAN", "HUR"),  # case as typed
        ("kommunikasjonsstrategi", "kommunikationsstrategi"),  # a word the table lacks: the rules
        ("brukerundersøkelser", "brukarundersökningar"),  # stems inside a compound
        ("tjenesteutvikling i helsetjenesten", "tjänsteutveckling i hälsotjänsten"),
        ("økonomisk styring", "ekonomisk styrning"),
    ],
)
def test_a_norwegian_query_gets_its_swedish_form(query: str, swedish: str) -> None:
    assert bokmal.swedish(query) == swedish
    assert dense_text(query) == bokmal.search_text(query) == swedish


@pytest.mark.parametrize(
    "query",
    [
        "hur får vi fler medborgare delaktiga i dialogen med kommunen",
        "ledarskapsutveckling för chefer",
        "how are results against goals reported to the council",
        "does the chief executive keep managers informed",
        "",
    ],
)
def test_a_swedish_or_english_query_is_searched_as_written(query: str) -> None:
    assert bokmal.swedish(query) is None
    assert dense_text(query) == query


def test_no_key_is_a_common_swedish_or_english_word() -> None:
    words, _ = bokmal._table()
    swedish_stop = set(bm25._STOPWORDS["sv"].split())
    common = swedish_stop | {
        "at",
        "her",
        "store",
        "men",
        "over",
        "under",
        "sin",
        "nå",
        "er",
        "leder",
    }
    assert not set(words) & common
    assert all(k != v for k, v in words.items())  # every entry changes its word
    assert len(words) > 200


def test_a_query_names_the_concepts_of_both_forms() -> None:
    query = (
        "økonomistyring og nettsider"  # Norwegian glossary terms; Swedish ones in its other form
    )
    named = {c.id for c in bokmal.named_concepts(query)}
    assert named >= {c.id for c in query_concepts(query)}
    assert named >= {c.id for c in query_concepts(bokmal.search_text(query))}
    assert {"economy", "website"} <= named


def test_a_malformed_table_is_one_line_naming_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafiles, "load", lambda path, *a: {"words": {"ikke": "inte"}})
    bokmal._table.cache_clear()
    try:
        with pytest.raises(CorpusError) as e:
            bokmal.swedish("ikke")
        assert "bokmal.yaml" in str(e.value) and "\n" not in str(e.value)
    finally:
        monkeypatch.undo()
        bokmal._table.cache_clear()
    assert Path(bokmal.__file__).with_name("bokmal.yaml").is_file()
