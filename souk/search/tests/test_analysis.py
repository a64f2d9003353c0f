"""The analysis of search text (souk.search.analysis, thesaurus, query), unit by unit."""

from __future__ import annotations

import pytest

from souk.search.analysis import (
    CONCEPT_MARK,
    PLACE_MARK,
    analyse_field,
    content_words,
    strip_clitic,
    word_forms,
)
from souk.search.thesaurus import Thesaurus, get_thesaurus, read_rows


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("الزليج", "زليج"),
        ("والزليج", "زليج"),
        ("بالزليج", "زليج"),
        ("كالزليج", "زليج"),
        ("فالزليج", "زليج"),
        ("للزليج", "زليج"),
        ("ال", "ال"),
        ("زليج", "زليج"),
    ],
)
def test_arabic_article_and_clitics_are_removed(word, expected):
    assert strip_clitic(word) == expected


def test_arabic_letter_forms_diacritics_and_tatweel_are_normalised():
    # alef forms, taa marbuta / haa, alef maqsura / yaa, tatweel and harakat
    assert content_words("إبريق") == content_words("ابريق")
    assert content_words("زربية") == content_words("زربيه")
    assert content_words("مستشفى") == content_words("مستشفي")
    assert content_words("الفَخَّـــار") == content_words("الفخار")


def test_latin_case_and_accents_fold():
    assert content_words("THÉIÈRE Berbère") == ["theiere", "berbere"]


def test_latin_plurals_share_a_stem_with_the_singular():
    assert set(word_forms("theieres", ("fr",))) & set(word_forms("theiere", ("fr",)))
    assert set(word_forms("alfombras", ("es",))) & set(word_forms("alfombra", ("es",)))
    assert set(word_forms("rugs", ("en",))) & set(word_forms("rug", ("en",)))


def test_one_letter_words_and_stopwords_are_not_content():
    assert content_words("l'art de la poterie") == ["art", "poterie"]


@pytest.mark.parametrize(
    ("words", "concept"),
    [
        ("زرابي", "rug"),
        ("tapis", "rug"),
        ("alfombra", "rug"),
        ("zerbiya", "rug"),
        ("طواجن", "tagine"),
        ("طجين", "tagine"),
        ("بلاغي", "babouche"),
        ("belgha", "babouche"),
        ("إبريق", "teapot"),
        ("berrad", "teapot"),
        ("صوف", "wool"),
        ("laine", "wool"),
        ("terre cuite", "terracotta"),
    ],
)
def test_the_thesaurus_maps_words_of_every_language_to_one_concept(words, concept):
    tokens = analyse_field(words, None)
    assert CONCEPT_MARK + concept in tokens


def test_a_document_field_only_matches_terms_of_its_language():
    # "or" is gold in French, a conjunction in English
    assert CONCEPT_MARK + "gold" in analyse_field("Bague en or", "fr")
    assert CONCEPT_MARK + "gold" not in analyse_field("Red or blue ring", "en")


def test_place_words_become_place_tokens_and_name_no_concept():
    tokens = analyse_field("جهة العيون الساقية الحمراء", "ar", places=frozenset({"حمراء"}))
    assert PLACE_MARK + "حمراء" in tokens
    assert "حمراء" not in tokens
    assert CONCEPT_MARK + "red" not in tokens


def test_the_thesaurus_file_has_sixty_concepts_at_least_and_each_term_once_per_concept():
    rows = read_rows()
    assert len(rows) >= 60
    thesaurus = Thesaurus(rows)
    assert {"rug", "tagine", "wool", "silver"} <= set(thesaurus.concepts)


def test_the_longest_phrase_wins_in_a_query():
    thesaurus = get_thesaurus()
    forms = [word_forms(word) for word in content_words("tagine pot")]
    matches = thesaurus.find(forms)
    assert [(match.start, match.end) for match in matches] == [(0, 2)]
    assert matches[0].concepts == ("tagine",)
