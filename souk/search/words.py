"""Words of search text: is a word Arabic, its article or clitic removed, its Snowball stems,
the words of a text that carry meaning. Used by the analysis (analysis.py) and by the craft
thesaurus when it reads its terms (thesaurus.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Final

import Stemmer

from souk.core.text import normalize_text, tokenize

LATIN_LANGUAGES: Final = ("fr", "en", "es")
_SNOWBALL = {"ar": "arabic", "fr": "french", "en": "english", "es": "spanish"}

# Longest first: "وال" must be tried before "ال". What is left keeps at least 2 letters.
_ARABIC_CLITICS: Final = ("وال", "بال", "فال", "كال", "لل", "ال")
_MINIMUM_REST = 2
# A Snowball stem shorter than this says too little (Arabic "براد" -> "راد"): not indexed.
_MINIMUM_STEM = 3

# Words that carry no meaning for a search, once normalised; one-letter words are dropped too
# ("l'art", "d'argent"). Not indexed, and dropped from a query that has other words.
_STOPWORD_TEXT = """
de des du la le les un une et en au aux avec pour par sur dans ou ce cette ces son sa ses est
piece faite fait je cherche veux voudrais mon ma mes notre salon cadeau marocain marocaine
marocains marocaines
the of and with in for on to an by from made handmade is it its this that my our me want
looking need gift living room moroccan morocco
el los las del y con para por una unos unas hecho hecha mi quiero busco regalo marroqui
في من على مع و او عن الى هذا هذه ذو ذات يدويا يدوية قطعة مصنوعة اريد ابحث لي هديه مغربي مغربيه
"""
STOPWORDS: Final = frozenset(normalize_text(_STOPWORD_TEXT).split())


def is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def strip_clitic(word: str) -> str:
    """An Arabic word without its article or clitic+article; other words unchanged."""
    for prefix in _ARABIC_CLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MINIMUM_REST:
            return word[len(prefix) :]
    return word


_local = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer:
    """A Snowball stemmer of this thread (PyStemmer's are not safe to share across threads)."""
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(_SNOWBALL[language])
    return stemmers[language]


def surface(word: str) -> str:
    """The form a normalised word is indexed under: Arabic without its article."""
    return strip_clitic(word) if is_arabic(word) else word


def word_forms(word: str, languages: Iterable[str] = LATIN_LANGUAGES) -> list[str]:
    """The indexed forms of one normalised word: its surface, then its stems (of `languages`
    for a Latin word, Arabic for an Arabic one), distinct, short stems left out."""
    base = surface(word)
    forms = [base]
    if base.isdigit():
        return forms
    stem_languages = ("ar",) if is_arabic(base) else [lang for lang in languages if lang != "ar"]
    for language in stem_languages:
        stem = _stemmer(language).stemWord(base)
        if len(stem) >= _MINIMUM_STEM and stem not in forms:
            forms.append(stem)
    return forms


def content_words(text: str) -> list[str]:
    """The normalised words of a text, without one-letter words and stopwords."""
    return [
        word
        for word in tokenize(text)
        if len(word) > 1 and surface(word) not in STOPWORDS and word not in STOPWORDS
    ]
