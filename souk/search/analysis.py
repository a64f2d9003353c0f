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

from collections.abc import Iterable
from typing import Final

from souk.search.thesaurus import get_thesaurus
from souk.search.words import (
    LATIN_LANGUAGES as LATIN_LANGUAGES,
)
from souk.search.words import (
    STOPWORDS as STOPWORDS,
)
from souk.search.words import (
    content_words as content_words,
)
from souk.search.words import (
    is_arabic as is_arabic,
)
from souk.search.words import (
    strip_clitic as strip_clitic,
)
from souk.search.words import (
    surface as surface,
)
from souk.search.words import (
    word_forms as word_forms,
)

ANALYSIS_VERSION: Final = 2

CONCEPT_MARK: Final = "zzc"
SECTOR_MARK: Final = "zzs"
TRADE_MARK: Final = "zzt"
PLACE_MARK: Final = "zzp"


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
