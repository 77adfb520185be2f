"""The sv/no/en glossary: well-formed data, and the concepts a query names."""

from __future__ import annotations

import pytest

from kompass_search.glossary import LANGS, concepts_in, load_glossary


def test_the_glossary_has_about_forty_groups_each_in_all_three_languages() -> None:
    groups = load_glossary()
    assert len(groups) >= 40
    assert len({g.id for g in groups}) == len(groups)
    for g in groups:
        assert all(g.terms[lang] for lang in LANGS), g.id
        assert all(t == t.casefold() for t in g.all_terms()), g.id


@pytest.mark.parametrize(
    ("text", "lang", "concept"),
    [
        ("klagehåndtering", "no", "complaints"),
        ("hvordan håndterer kommunen klager fra innbyggerne", "no", "complaints"),
        ("innbyggerforslag", "no", "citizen-proposal"),
        ("medarbetarundersökning", "sv", "employee-survey"),
        ("medarbeiderundersøkelse og arbeidsmiljø", "no", "employee-survey"),
        ("employee survey", "en", "employee-survey"),
        ("Samarbete med civilsamhället", "sv", "civil-society"),
    ],
)
def test_a_text_names_its_concept(text: str, lang: str, concept: str) -> None:
    assert concept in [c.id for c in concepts_in(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "not_concept"),
    [
        ("medarbetarundersökning", "sv", "citizen-survey"),
        ("Hur arbetar kommunen med mångfald, (etnicitet, kulturellt och kön)?", "sv", "culture"),
        ("banana smoothie recipe", "en", "culture"),
    ],
)
def test_a_text_does_not_name_a_lookalike_concept(text: str, lang: str, not_concept: str) -> None:
    assert not_concept not in [c.id for c in concepts_in(text, lang)]


def test_the_fast_lookup_names_the_same_concepts_as_every_pattern() -> None:
    import re
    from pathlib import Path

    from kompass_search.corpus import load_corpus
    from kompass_search.glossary import COMPOUND_HEAD, COMPOUND_TAIL, _pattern, _words

    def compound(term: str) -> re.Pattern[str] | None:
        w = _words(term)
        if " " in w or len(w) < COMPOUND_HEAD:
            return None
        return re.compile(r"(?:^| )" + re.escape(w) + rf"\w{{{COMPOUND_TAIL},}}(?= |$)")

    def every_pattern(text: str, lang: str, compounds: bool = True) -> list[str]:
        words = _words(text)

        def named(t: str) -> bool:
            head = compound(t) if compounds else None
            return bool(_pattern(t).search(words) or (head and head.search(words)))

        return [c.id for c in load_glossary() if any(named(t) for t in c.terms.get(lang, ()))]

    texts = [
        t
        for e in load_corpus(Path(__file__).resolve().parents[2] / "corpus")
        for a in e.areas
        for t in (*a.strengths, *a.improvements, *a.summary, *a.topics)
    ]
    for c in load_glossary():
        for lang in LANGS:
            texts += [f"om {t}erna här" for t in c.terms[lang]] + [f"{t}x" for t in c.terms[lang]]
            texts += [f"{t}ssystem" for t in c.terms[lang]] + [f"{t}xy" for t in c.terms[lang]]
    assert len(texts) > 500
    for text in texts:
        for lang in LANGS:
            assert [c.id for c in concepts_in(text, lang)] == every_pattern(text, lang), text
            whole = [c.id for c in concepts_in(text, lang, compounds=False)]
            assert whole == every_pattern(text, lang, compounds=False), text
