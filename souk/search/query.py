"""A search query analysed like the documents (souk.search.analysis), as groups of tokens.

Each group stands for a word of the query (or a thesaurus phrase, "terre cuite"); a document
matches a group when it holds any of its tokens: the word's surface and its stems in every
language, the concepts it names, the sector and trade names it is a word of, the place it
names. The search asks for every group, then (when none has them all) for as many as possible.

A word no document, thesaurus term or name knows is completed as a prefix when some known word
begins with it (from 3 letters), else corrected to the nearest known word (souk.search.
vocabulary); the corrected query is shown ("Showing results for ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from souk.core.text import tokenize
from souk.search import vocabulary
from souk.search.analysis import (
    CONCEPT_MARK,
    LATIN_LANGUAGES,
    PLACE_MARK,
    SECTOR_MARK,
    STOPWORDS,
    TRADE_MARK,
    surface,
    word_forms,
)
from souk.search.names import get_names
from souk.search.thesaurus import get_thesaurus

MAX_GROUPS = 10


@dataclass(frozen=True, slots=True)
class Group:
    words: tuple[str, ...]
    exact: tuple[str, ...]
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryPlan:
    groups: tuple[Group, ...]
    # The query with its corrected words, when a word was corrected; else "".
    corrected: str = ""
    # The sectors the query's words name (thesaurus concepts, sector and trade names), in order.
    sectors: tuple[str, ...] = field(default=())

    @property
    def has_words(self) -> bool:
        return bool(self.groups)


def _words(query: str) -> list[str]:
    words = tokenize(query)
    content = [
        w for w in words if len(w) > 1 and w not in STOPWORDS and surface(w) not in STOPWORDS
    ]
    if content:
        return content
    # Only stopwords or single letters: they are searched as they are (never as prefixes).
    return list(dict.fromkeys(words))


def _is_place(
    words: list[str], forms_of_words: list[list[str]], position: int, *, named: bool
) -> bool:
    """Whether the word at `position` is meant as a place: a word of a region's name that is
    no thesaurus term ("fes", "souss"), or one beside another word of the same region's name
    ("sakia el hamra", "الساقية الحمراء"); "زربية حمراء" is a red rug, not a region."""
    regions = get_names().regions_of_place
    here = regions.get(forms_of_words[position][0])
    if not here:
        return False
    if not named:
        return True
    for neighbour in (position - 1, position + 1):
        if 0 <= neighbour < len(words) and here & regions.get(
            forms_of_words[neighbour][0], frozenset()
        ):
            return True
    return False


def analyse_query(query: str, *, correct: bool = True) -> QueryPlan:
    """The groups of `query`; `correct` False leaves unknown words as typed (no correction,
    no completion): the "search instead for" link."""
    words = _words(query)[: MAX_GROUPS * 2]
    if not words:
        return QueryPlan(groups=())
    languages = (*LATIN_LANGUAGES, "ar")
    forms_of_words = [word_forms(word, languages) for word in words]
    prefixes: list[tuple[str, ...]] = [() for _ in words]
    corrected_any = False
    if correct:
        known = vocabulary.known_words(forms_of_words)
        for index, (word, forms) in enumerate(zip(words, forms_of_words, strict=True)):
            surface_known, some_form_known = known[index]
            if len(word) <= 1 or surface_known:
                continue
            # Not a word as typed: the start of one (as you type), or a form of one.
            if vocabulary.completions(forms[0]):
                prefixes[index] = (forms[0],)
                continue
            if some_form_known:
                continue
            fixed = vocabulary.correction(forms[0])
            if fixed is not None and fixed != forms[0]:
                words[index] = fixed
                forms_of_words[index] = word_forms(fixed, languages)
                corrected_any = True
    names = get_names()
    thesaurus = get_thesaurus()
    sectors: list[str] = []
    groups: list[Group] = []
    position = 0
    matches = {match.start: match for match in thesaurus.find(forms_of_words)}
    while position < len(words) and len(groups) < MAX_GROUPS:
        match = matches.get(position)
        end = match.end if match else position + 1
        tokens: list[str] = []
        if match:
            tokens.extend(CONCEPT_MARK + concept for concept in match.concepts)
            for concept in match.concepts:
                sectors.extend(thesaurus.concepts[concept].sectors)
        if end == position + 1:
            forms = forms_of_words[position]
            if len(words[position]) > 1:
                tokens.extend(forms)
            for form in forms:
                for token in sorted(names.tokens_of_form.get(form, ())):
                    tokens.append(token)
                    if token.startswith((SECTOR_MARK, TRADE_MARK)):
                        sectors.append(token[len(SECTOR_MARK) : len(SECTOR_MARK) + 3].upper())
            if _is_place(words, forms_of_words, position, named=bool(match)):
                tokens.append(PLACE_MARK + forms[0])
            if not tokens:
                tokens.append(words[position])
        groups.append(
            Group(
                words=tuple(words[position:end]),
                exact=tuple(dict.fromkeys(tokens)),
                prefixes=prefixes[position] if end == position + 1 else (),
            )
        )
        position = end
    return QueryPlan(
        groups=tuple(groups),
        corrected=" ".join(words) if corrected_any else "",
        sectors=tuple(dict.fromkeys(sectors)),
    )
