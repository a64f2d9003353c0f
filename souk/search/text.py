"""The text the search indexes and the words it looks for, both through souk.core.text.

Arabic writes the article and some particles joined to the word ("الفخار", "والفخار"): each
such word is indexed twice, as written and without the prefix, so "فخار" finds "الفخار".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from souk.core.text import normalize_text, tokenize

# Longest first: "وال" must be tried before "ال". A stem keeps at least 2 letters.
_ARABIC_ARTICLE_PREFIXES: Final[tuple[str, ...]] = ("وال", "بال", "فال", "كال", "ال", "لل")
_MINIMUM_STEM = 2


def _without_article(word: str) -> str | None:
    for prefix in _ARABIC_ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MINIMUM_STEM:
            return word[len(prefix) :]
    return None


def document_text(parts: Iterable[str]) -> str:
    """The normalised words of `parts`, with the Arabic words also without their article."""
    words: list[str] = []
    for part in parts:
        for word in tokenize(part):
            words.append(word)
            stem = _without_article(word)
            if stem is not None:
                words.append(stem)
    return " ".join(words)


def query_terms(query: str) -> list[str]:
    """The distinct normalised words of a query, in order, at most 10 (a longer query is noise)."""
    terms: list[str] = []
    for word in tokenize(query):
        if word not in terms:
            terms.append(word)
    return terms[:10]


def is_latin_word(word: str) -> bool:
    """Typo tolerance (trigrams) is for Latin words: ASCII once normalised."""
    return word.isascii() and word.isalpha()


__all__ = ["document_text", "is_latin_word", "normalize_text", "query_terms"]
