"""The index's own vocabulary (SearchTerm, plus the thesaurus' and the registry names' words):
which query words are known, what an unknown one completes to, and its typo correction."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from souk.search.analysis import CONCEPT_MARK, PLACE_MARK, SECTOR_MARK, TRADE_MARK
from souk.search.models import SearchTerm
from souk.search.names import get_names
from souk.search.query_cache import current_index_version
from souk.search.thesaurus import get_thesaurus

# A word is completed as a prefix from this many letters on: one or two letters never expand
# (at a million listings "d l c s" as prefixes took seconds).
MINIMUM_PREFIX = 3
# A word is corrected from this many letters on, within 1 edit (2 from LONG_WORD letters).
MINIMUM_CORRECTED = 4
LONG_WORD = 7
_MARKS = (CONCEPT_MARK, PLACE_MARK, SECTOR_MARK, TRADE_MARK)
_BATCH = 500


def is_marker(token: str) -> bool:
    return token.startswith(_MARKS)


def record(tokens: Iterable[str]) -> None:
    """Add the word forms of indexed documents to the vocabulary (markers left out)."""
    terms = sorted({token for token in tokens if not is_marker(token) and len(token) <= 100})
    for start in range(0, len(terms), _BATCH):
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in terms[start : start + _BATCH]],
            ignore_conflicts=True,
        )


def static_words() -> frozenset[str]:
    """Words known without any document: the thesaurus' and the registry names'."""
    return frozenset(get_thesaurus().surfaces) | get_names().surfaces


def known_words(forms_of_words: Sequence[Sequence[str]]) -> list[tuple[bool, bool]]:
    """Per word (given as its forms, the surface first): whether its surface is known (to
    some document or the static vocabulary), and whether any of its forms is. At most one
    query, none when every surface is in the static vocabulary."""
    static = static_words()
    wanted = {form for forms in forms_of_words if forms[0] not in static for form in forms}
    found = (
        set(SearchTerm.objects.filter(term__in=wanted).values_list("term", flat=True))
        if wanted
        else set()
    )
    known = static | found
    return [(forms[0] in known, bool(known.intersection(forms))) for forms in forms_of_words]


@dataclass(frozen=True, slots=True)
class _Words:
    version: str
    sorted_words: list[str]


_kept: dict[str, _Words] = {}
_lock = threading.Lock()


def _all_words() -> list[str]:
    """Every known word, sorted; read again after the index changed (a new index version)."""
    version = current_index_version()
    with _lock:
        kept = _kept.get("words")
    if kept is not None and kept.version == version:
        return kept.sorted_words
    words = sorted(set(SearchTerm.objects.values_list("term", flat=True)) | static_words())
    with _lock:
        _kept["words"] = _Words(version, words)
    return words


def completions(prefix: str, limit: int = 20) -> list[str]:
    """Up to `limit` known words that begin with `prefix` (none under MINIMUM_PREFIX)."""
    if len(prefix) < MINIMUM_PREFIX:
        return []
    words = _all_words()
    found: list[str] = []
    index = bisect.bisect_left(words, prefix)
    while index < len(words) and words[index].startswith(prefix) and len(found) < limit:
        found.append(words[index])
        index += 1
    return found


def correction(word: str) -> str | None:
    """The known word nearest `word` within the allowed edits, or None."""
    if len(word) < MINIMUM_CORRECTED or word.isdigit():
        return None
    allowed = 2 if len(word) >= LONG_WORD else 1
    candidates = process.extract(
        word, _all_words(), scorer=Levenshtein.distance, score_cutoff=allowed, limit=20
    )
    # Fewest edits, then the same length (a word, not a stem of one), then the same first
    # letter (typos are rarer there), then alphabetical: the same answer every time.
    ranked = sorted(
        (
            int(distance),
            abs(len(str(found)) - len(word)),
            str(found)[:1] != word[:1],
            str(found),
        )
        for found, distance, _index in candidates
        if len(str(found)) >= MINIMUM_CORRECTED
    )
    return ranked[0][3] if ranked else None
