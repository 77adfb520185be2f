"""The sv/no/en glossary: well-formed data, and the concepts a query names."""

from __future__ import annotations

import pytest

from kompass_search.glossary import LANGS, concepts_in, expand_query, load_glossary


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
        # wave 6: general administrative vocabulary, and definite plurals (MATCH_VERSION 3)
        ("er det tillit mellom politikerne og rådmannens ledergruppe", "no", "management-team"),
        ("er det tillit mellom politikerne og rådmannens ledergruppe", "no", "chief-executive"),
        ("dialogen mellan kommunen och de fackliga företrädarna", "sv", "unions"),
        ("forholdet mellom arbeidsgiver og de tillitsvalgte", "no", "employer"),
        ("holder rådmannen lederne informert", "no", "managers"),
        ("klimatet mellan förtroendevalda och ledande tjänstemän", "sv", "management-team"),
    ],
)
def test_a_text_names_its_concept(text: str, lang: str, concept: str) -> None:
    assert concept in [c.id for c in concepts_in(text, lang)]


@pytest.mark.parametrize(
    ("no_text", "sv_text", "concept"),
    [
        ("rådmannen", "kommundirektören", "chief-executive"),
        ("ledergruppen", "ledningsgruppen", "management-team"),
        ("de tillitsvalgte", "de fackliga företrädarna", "unions"),
        ("arbeidsgiveren", "arbetsgivaren", "employer"),
        ("enhetslederne", "enhetscheferna", "managers"),
        ("formannskapet", "kommunstyrelsen", "executive-board"),
        ("administrasjonen", "tjänstemännen", "officials"),
        ("på nettsiden", "på webbplatsen", "website"),
        ("økonomien", "ekonomin", "economy"),
    ],
)
def test_a_norwegian_word_and_its_swedish_one_name_one_concept(
    no_text: str, sv_text: str, concept: str
) -> None:
    assert concept in [c.id for c in concepts_in(no_text, "no")]
    assert concept in [c.id for c in concepts_in(sv_text, "sv")]


def test_a_norwegian_query_is_expanded_with_the_swedish_terms() -> None:
    expanded, named = expand_query("rådmannens ledergruppe")
    assert named
    assert "ledningsgrupp" in expanded and "kommundirektör" in expanded
    assert "management team" in expanded


@pytest.mark.parametrize(
    ("text", "lang", "not_concept"),
    [
        ("medarbetarundersökning", "sv", "citizen-survey"),
        ("Hur arbetar kommunen med mångfald, (etnicitet, kulturellt och kön)?", "sv", "culture"),
        ("banana smoothie recipe", "en", "culture"),
        ("Ledarfrukost, informell och tematisk", "sv", "managers"),  # a short term stands alone
        ("de förtroendevalda", "sv", "unions"),
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
            texts += [f"de {t[:-1]}na" for t in c.terms[lang] if t.endswith("e")]
            texts += [f"{t[:-1]}ne her" for t in c.terms[lang] if t.endswith("e")]
            texts += [f"{t}ne" for t in c.terms[lang]]
    assert len(texts) > 500
    for text in texts:
        for lang in LANGS:
            assert [c.id for c in concepts_in(text, lang)] == every_pattern(text, lang), text
            whole = [c.id for c in concepts_in(text, lang, compounds=False)]
            assert whole == every_pattern(text, lang, compounds=False), text
