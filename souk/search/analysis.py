"""The one analysis of search text, applied to documents and queries alike (docs/search.md).

A word is normalised (souk.core.text: NFKC, case and accent folding, Arabic letter forms,
diacritics and tatweel), an Arabic article or clitic before it is removed ("الزليج", "بالزليج"
-> "زليج"), and it is indexed with its Snowball stems: the stem of its field's language for a
document, of every language it could be in for a query. Words of the craft thesaurus, of the
names of the sectors and trades and of the listing's region are added as *marker tokens*
(ASCII letters and digits, so both FTS5 and PostgreSQL's parser keep each whole):

- `zzc<concept>` a thesaurus concept ("tapis", "rug", "زرابي", "zerbiya" -> `zzcrug`);
- `zzs<sector>`, `zzt<trade>` the listing's sector and trade (`zzss07`, `zzts07t01`): a query
  word of a sector's or trade's name in any language matches them;
- `zzp<word>` a word of the listing's region name: a place, never a title word.

ANALYSIS_VERSION names this analysis; the stored documents say which one they were built by
(IndexVersion.analysis_version), and `rebuild_search_index --if-stale` re-indexes when it
differs (make run does).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Final

import Stemmer

from souk.core.text import normalize_text, tokenize
from souk.search.thesaurus import get_thesaurus

ANALYSIS_VERSION: Final = 2

CONCEPT_MARK: Final = "zzc"
SECTOR_MARK: Final = "zzs"
TRADE_MARK: Final = "zzt"
PLACE_MARK: Final = "zzp"

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


def analyse_field(
    text: str, language: str | None, *, places: frozenset[str] = frozenset()
) -> list[str]:
    """The tokens of one field of a listing: every content word's forms (stemmed in the
    field's `language`, every language when None), the thesaurus concepts its words and
    phrases name, and words of the listing's region (`places`, surfaces) as place tokens."""
    words = content_words(text)
    languages = (language,) if language else (*LATIN_LANGUAGES, "ar")
    tokens: list[str] = []
    forms_of_words: list[list[str]] = []
    for word in words:
        forms = word_forms(word, languages)
        if forms[0] in places:
            # A place is no word of the thesaurus either ("الحمراء" of a region is not red).
            tokens.append(PLACE_MARK + forms[0])
            forms_of_words.append([PLACE_MARK + forms[0]])
        else:
            tokens.extend(forms)
            forms_of_words.append(forms)
    thesaurus = get_thesaurus()
    for match in thesaurus.find(forms_of_words, languages=languages, every=True):
        tokens.extend(CONCEPT_MARK + concept for concept in match.concepts)
    return tokens


def place_words(names: Iterable[str]) -> frozenset[str]:
    """The surfaces of the content words of a region's names (its place tokens)."""
    return frozenset(surface(word) for name in names for word in content_words(name))


def name_token(mark: str, code: str) -> str:
    """A sector's or trade's marker token: "S07-T01" -> "zzts07t01"."""
    return mark + "".join(character for character in code.lower() if character.isalnum())


def unique(tokens: Iterable[str]) -> str:
    """Tokens as stored: space-separated, each once, in first-seen order."""
    return " ".join(dict.fromkeys(tokens))


__all__ = [
    "ANALYSIS_VERSION",
    "CONCEPT_MARK",
    "PLACE_MARK",
    "SECTOR_MARK",
    "STOPWORDS",
    "TRADE_MARK",
    "analyse_field",
    "content_words",
    "name_token",
    "place_words",
    "strip_clitic",
    "surface",
    "unique",
    "word_forms",
]
