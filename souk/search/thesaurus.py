"""The craft thesaurus (data/thesaurus.tsv): concepts and their words in every language.

Domain experts edit the file; its header says the format. A term's words are analysed like
any text (souk.search.analysis), so a term matches a text word when they share a form: the
same surface, or for Latin words a Snowball stem of the term's language ("lanterne" matches
"lanternes"). Arabic terms match by surface only (without article): the Arabic stemmer cuts
too much ("براد" -> "راد"), so broken plurals are listed.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from souk.search.words import LATIN_LANGUAGES, content_words, is_arabic, word_forms

THESAURUS_PATH: Final = Path(__file__).parent / "data" / "thesaurus.tsv"
# The language columns, in file order; "darija" terms are in either script.
TERM_COLUMNS: Final = ("ar", "fr", "en", "es", "darija")


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    kind: str
    sectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Term:
    concept: str
    language: str
    # Per word of the term, the forms it matches.
    words: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Match:
    """Words [start, end) of a text name these concepts."""

    start: int
    end: int
    concepts: tuple[str, ...]


class Thesaurus:
    def __init__(self, rows: Iterable[Sequence[str]]) -> None:
        self.concepts: dict[str, Concept] = {}
        self._by_first_form: dict[str, list[_Term]] = {}
        # Every surface of every term: known words, for the typo correction.
        self.surfaces: set[str] = set()
        for row in rows:
            concept_id, kind, sectors, *terms = row
            sector_codes = tuple(code.strip() for code in sectors.split(",") if code.strip())
            self.concepts[concept_id] = Concept(concept_id, kind, sector_codes)
            for language, cell in zip(TERM_COLUMNS, terms, strict=False):
                for phrase in cell.split("|"):
                    words = content_words(phrase)
                    if not words:
                        continue
                    forms: list[frozenset[str]] = []
                    for word in words:
                        if is_arabic(word):
                            found = word_forms(word, ("ar",))[:1]
                        elif language in LATIN_LANGUAGES:
                            found = word_forms(word, (language,))
                        else:
                            found = word_forms(word, LATIN_LANGUAGES)
                        forms.append(frozenset(found))
                        self.surfaces.add(found[0])
                    term = _Term(concept_id, language, tuple(forms))
                    for form in forms[0]:
                        self._by_first_form.setdefault(form, []).append(term)

    def _terms_at(
        self, forms_of_words: Sequence[Sequence[str]], start: int, languages: frozenset[str]
    ) -> list[_Term]:
        """The terms whose words are the text's words from `start` on."""
        found: dict[int, _Term] = {}
        for form in forms_of_words[start]:
            for term in self._by_first_form.get(form, ()):
                if term.language not in languages or id(term) in found:
                    continue
                end = start + len(term.words)
                if end > len(forms_of_words):
                    continue
                if all(
                    term.words[offset].intersection(forms_of_words[start + offset])
                    for offset in range(1, len(term.words))
                ):
                    found[id(term)] = term
        return list(found.values())

    def find(
        self,
        forms_of_words: Sequence[Sequence[str]],
        *,
        languages: Iterable[str] | None = None,
        every: bool = False,
    ) -> list[Match]:
        """The concepts named in a text given as the forms of its words (analysis.word_forms).

        Only terms of `languages` count (all when None; Darija terms always). `every`: each
        match at each position (a document: "cuir de chèvre" names goatskin and leather);
        otherwise the longest match from the left, without overlaps (a query's groups)."""
        allowed = frozenset((*(languages or TERM_COLUMNS), "darija"))
        matches: list[Match] = []
        position = 0
        while position < len(forms_of_words):
            terms = self._terms_at(forms_of_words, position, allowed)
            if not terms:
                position += 1
                continue
            by_length: dict[int, list[str]] = {}
            for term in terms:
                concepts = by_length.setdefault(len(term.words), [])
                if term.concept not in concepts:
                    concepts.append(term.concept)
            if every:
                for length, concepts in sorted(by_length.items()):
                    matches.append(Match(position, position + length, tuple(concepts)))
                position += 1
            else:
                longest = max(by_length)
                matches.append(Match(position, position + longest, tuple(by_length[longest])))
                position += longest
        return matches


def read_rows(path: Path = THESAURUS_PATH) -> list[list[str]]:
    """The concept rows of the file: comments and the header line left out."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = [
            row
            for row in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row and not row[0].startswith("#")
        ]
    return [row for row in rows[1:] if row[0].strip()]


@functools.cache
def get_thesaurus() -> Thesaurus:
    """The thesaurus of the file, read once per process."""
    return Thesaurus(read_rows())
