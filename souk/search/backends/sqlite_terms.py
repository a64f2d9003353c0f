"""SQLite: bm25 from kept term statistics, so ranking reads only the candidates.

FTS5's bm25() computes each phrase's idf from its number of documents, and finds it by reading
the phrase's whole doclist on every search: for a common word at a million listings most of the
search's time (docs/benchmarks.md), however few candidates are ranked. So the number of
documents holding each token is kept in TERM_TABLE (migration 0013), by triggers on the
documents (the same ones that keep the FTS5 table) and counted again in one pass by `rebuild`
(the migration; generate_catalog, which writes documents in bulk). A search reads the counts of
its phrases and FTS5's own totals (rows, tokens: its averages record) in one statement
(`specification`); when FTS5's idf would read many documents (sqlite.KEPT_IDF_FROM per
candidate), `score`, a function of the connection, computes FTS5's bm25 for each candidate
from its analysed texts and its size (search_fts_docsize) instead: the same formula, weights
and numbers, so the same score, for exact tokens, at some microseconds of Python per
candidate. A prefix's number of documents is that of the
tokens it begins, summed (at most every document): a document holding two of them counts
twice, where FTS5 counts it once.
"""

# S608 is silenced where SQL is assembled: only constants and %s placeholders are formatted in.

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from souk.search.models import SearchDocument
from souk.search.query import Group

DOCUMENTS = SearchDocument._meta.db_table
TERM_TABLE = "search_term_documents"
FTS_TABLE = "search_fts"
FUNCTION = "souk_bm25"
# FTS5's bm25 constants (fts5_aux.c) and Souk's column weights.
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
# The largest code point: `term < prefix || LAST` holds for every term beginning with prefix.
LAST = "\U0010ffff"
# The tokens of a document, from its two analysed texts (letters and digits, space-separated:
# JSON strings as they are).
_TOKENS = (
    "json_each('[\"' || replace({row}.title_text || ' ' || {row}.body_text, ' ', '\",\"') || '\"]')"
)

TRIGGERS = {
    "search_terms_after_insert": (
        f"CREATE TRIGGER search_terms_after_insert AFTER INSERT ON {DOCUMENTS} BEGIN "
        f"INSERT INTO {TERM_TABLE}(term, documents) "
        f"SELECT DISTINCT value, 1 FROM {_TOKENS.format(row='new')} WHERE value <> '' "
        "ON CONFLICT(term) DO UPDATE SET documents = documents + 1; END"
    ),
    "search_terms_after_delete": (
        f"CREATE TRIGGER search_terms_after_delete AFTER DELETE ON {DOCUMENTS} BEGIN "
        f"UPDATE {TERM_TABLE} SET documents = documents - 1 "
        f"WHERE term IN (SELECT value FROM {_TOKENS.format(row='old')}); END"
    ),
    "search_terms_after_update": (
        "CREATE TRIGGER search_terms_after_update "
        f"AFTER UPDATE OF title_text, body_text ON {DOCUMENTS} BEGIN "
        f"UPDATE {TERM_TABLE} SET documents = documents - 1 "
        f"WHERE term IN (SELECT value FROM {_TOKENS.format(row='old')}); "
        f"INSERT INTO {TERM_TABLE}(term, documents) "
        f"SELECT DISTINCT value, 1 FROM {_TOKENS.format(row='new')} WHERE value <> '' "
        "ON CONFLICT(term) DO UPDATE SET documents = documents + 1; END"
    ),
}
INSERT_TRIGGER = "search_terms_after_insert"
CREATE = [
    f"CREATE TABLE {TERM_TABLE} (term TEXT PRIMARY KEY, documents INTEGER NOT NULL) WITHOUT ROWID",
    *TRIGGERS.values(),
]
DROP = [*(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS), f"DROP TABLE {TERM_TABLE}"]


def rebuild() -> None:
    """Count every token's documents again, from the FTS5 index (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_rows "
            f"USING fts5vocab(main, {FTS_TABLE}, row)"
        )
        cursor.execute(f"DELETE FROM {TERM_TABLE}")
        cursor.execute(
            f"INSERT INTO {TERM_TABLE}(term, documents) SELECT term, doc FROM temp.search_fts_rows"
        )
        cursor.execute("DROP TABLE temp.search_fts_rows")


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers (FTS5's records), one after another."""
    values = []
    position = 0
    while position < len(data):
        value = 0
        for step in range(9):
            byte = data[position]
            position += 1
            if step == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        values.append(value)
    return values


def idf(rows: int, hits: int) -> float:
    """FTS5's idf of a phrase in `hits` of `rows` documents."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def specification(cursor: Any, groups: Sequence[Group]) -> tuple[str, list[int]]:
    """What `score` needs of a search, as text (a query parameter): the average document
    size, and per group its phrases (exact tokens, then prefixes) with their idf and number of
    documents; and per
    group the documents of its phrases in all (what FTS5's idf would read for it)."""
    # One statement: FTS5's averages record (term NULL), the exact tokens' counts, and each
    # prefix's sum ("*" and the prefix).
    exact = sorted({token for group in groups for token in group.exact})
    prefixes = sorted({prefix for group in groups for prefix in group.prefixes})
    parts = [f"SELECT NULL, block FROM {FTS_TABLE}_data WHERE id = 1"]
    params: list[Any] = []
    if exact:
        parts.append(
            f"SELECT term, documents FROM {TERM_TABLE} "
            f"WHERE term IN ({', '.join(['%s'] * len(exact))})"
        )
        params += exact
    for prefix in prefixes:
        parts.append(
            f"SELECT %s, COALESCE(SUM(documents), 0) FROM {TERM_TABLE} "
            "WHERE term >= %s AND term < %s"
        )
        params += ["*" + prefix, prefix, prefix + LAST]
    cursor.execute(" UNION ALL ".join(parts), params)
    found = cursor.fetchall()
    totals = next((_varints(bytes(value)) for term, value in found if term is None), [0])
    rows = totals[0]
    average = sum(totals[1:]) / rows if rows else 1.0
    documents = {
        term: min(rows, int(value)) if term.startswith("*") else int(value)
        for term, value in found
        if term is not None
    }
    per_group = [
        sum(documents.get(token, 0) for token in group.exact)
        + sum(documents["*" + prefix] for prefix in group.prefixes)
        for group in groups
    ]
    spec = json.dumps(
        [
            average,
            [
                [
                    *(
                        [token, 0, idf(rows, documents.get(token, 0)), documents.get(token, 0)]
                        for token in group.exact
                    ),
                    *(
                        [prefix, 1, idf(rows, documents["*" + prefix]), documents["*" + prefix]]
                        for prefix in group.prefixes
                    ),
                ]
                for group in groups
            ],
        ]
    )
    return spec, per_group


@dataclass(frozen=True, slots=True)
class _Spec:
    """A parsed specification: the average size, and per group its phrases (text, is a
    prefix, idf, and for an exact token the token between spaces: what it is found as in a
    text with spaces added around it), and per group its bound (score_bounds)."""

    average: float
    groups: list[list[tuple[str, bool, float, str]]]
    every: list[tuple[str, bool, float, str]]
    bounds: list[float]
    # The phrases of each `groups` argument of `score` met so far (a few per search).
    chosen: dict[str | None, list[list[tuple[str, bool, float, str]]]] = field(default_factory=dict)

    def phrases_of(self, groups: str | None) -> list[list[tuple[str, bool, float, str]]]:
        """The phrases of every group (`groups` None), or of the groups at those positions."""
        found = self.chosen.get(groups)
        if found is None:
            if groups is None:
                found = [self.every]
            else:
                found = [self.groups[int(position)] for position in str(groups).split(",")]
            self.chosen[groups] = found
        return found


# The last specification parsed, with its text: `score` is called with the same one for each
# candidate of a search, and comparing it is cheaper than hashing it for _parse's cache.
_latest: list[tuple[str, _Spec]] = []


@functools.lru_cache(maxsize=64)
def _parse(spec: str) -> _Spec:
    average, groups = json.loads(spec)
    parsed = [
        [
            (str(text), bool(is_prefix), float(weight), f" {text} ")
            for text, is_prefix, weight, _documents in group
        ]
        for group in groups
    ]
    every = [phrase for group in parsed for phrase in group]
    # A phrase no document holds adds nothing to any score.
    bounds = [
        (K1 + 1.0) * sum(float(weight) for _t, _p, weight, documents in group if documents)
        for group in groups
    ]
    return _Spec(float(average), parsed, every, [bound * (1 + 1e-9) for bound in bounds])


def score_bounds(spec: str) -> list[float]:
    """Per group of `spec`, a number larger than any `score` of a document over that group's
    phrases alone, in magnitude: each phrase adds idf * f * (K1 + 1) / (f + norm), less than
    idf * (K1 + 1) for any frequency f and size, nothing when no document holds it (a margin
    covers the rounding)."""
    return _parse(spec).bounds


def _size(sizes: bytes) -> float:
    """A document's tokens in all: the sum of its column sizes (search_fts_docsize)."""
    data = bytes(sizes)
    if data.isascii():
        # Every byte under 0x80: each is a one-byte varint (a column under 128 tokens).
        return float(sum(data))
    return float(sum(_varints(data)))


def score(spec: str, groups: str | None, title: str, body: str, sizes: bytes) -> float:
    """FTS5's bm25(search_fts, TITLE_WEIGHT, BODY_WEIGHT) of a document over the phrases of
    every group (`groups` None: one expression), or summed over those of the groups it matched
    one by one (their positions, comma-separated, in the order SQLite summed them). Each token
    is once in a text (analysis), so an exact token's count in a text is 0 or 1; a prefix's,
    the number of tokens it begins. Phrases are added in FTS5's order, absent ones adding 0.

    Called for each of up to thousands of candidates: an exact token is looked for as
    " token " in the text with a space added at each end (tokens are letters and digits, one
    space between two: the same test as being among the text's tokens, without splitting the
    text), and the texts are split only for a prefix."""
    latest = _latest[-1] if _latest else None
    if latest is not None and latest[0] == spec:
        parsed = latest[1]
    else:
        parsed = _parse(spec)
        _latest[:] = [(spec, parsed)]
    title = title or ""
    body = body or ""
    spaced_title = f" {title} "
    spaced_body = f" {body} "
    norm = K1 * (1 - B + B * _size(sizes) / parsed.average)
    chosen = parsed.phrases_of(groups)
    title_tokens: list[str] | None = None
    body_tokens: list[str] = []
    result = 0.0
    for phrases in chosen:
        total = 0.0
        for phrase, is_prefix, weight, spaced in phrases:
            if is_prefix:
                if title_tokens is None:
                    title_tokens, body_tokens = title.split(), body.split()
                frequency = TITLE_WEIGHT * sum(
                    token.startswith(phrase) for token in title_tokens
                ) + BODY_WEIGHT * sum(token.startswith(phrase) for token in body_tokens)
            elif spaced in spaced_title:
                frequency = TITLE_WEIGHT + BODY_WEIGHT * (spaced in spaced_body)
            elif spaced in spaced_body:
                frequency = BODY_WEIGHT
            else:
                continue
            if frequency:
                total += weight * ((frequency * (K1 + 1.0)) / (frequency + norm))
        result += -1.0 * total
    return result


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: `score` as a function of every new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 5, score, deterministic=True)
