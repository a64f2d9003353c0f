"""PostgreSQL: SearchDocument's generated `search_vector` ('simple' configuration over the
normalised text, titles weight A, the rest B) with a GIN index, and pg_trgm word similarity on
titles so a Latin word with a typo still matches (migration 0002)."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from typing import Any

from souk.search.backends.sql import DOCUMENTS, SqlSearchBackend, TextMatch
from souk.search.text import is_latin_word

# A typo-only match ranks below any word match: ts_rank of a word match is above this scale.
SIMILARITY_WEIGHT = 0.01


def _prefix_query(term: str) -> str:
    # Words are letters and digits only (tokenize), so quoting them keeps tsquery syntax out.
    return f"'{term}':*"


class PostgresSearchBackend(SqlSearchBackend):
    NO_WORDS_SCORE = "0.0::float8"

    def text_match(self, terms: list[str]) -> TextMatch:
        # One pass over the documents the indexes find: scored and filtered in the same row,
        # not joined to the table again (at a million documents that join read them all).
        conditions: list[str] = []
        params: list[Any] = []
        any_term = " | ".join(_prefix_query(term) for term in terms)
        score = (
            "-(ts_rank(d.search_vector, to_tsquery('simple', %s))::float8 "
            f"+ {SIMILARITY_WEIGHT}::float8 * word_similarity(%s, d.title_text)::float8)"
        )
        params.extend([any_term, " ".join(terms)])
        for term in terms:
            if is_latin_word(term):
                # `<%` is word_similarity >= pg_trgm.word_similarity_threshold (0.6).
                conditions.append(
                    "(d.search_vector @@ to_tsquery('simple', %s) OR %s <%% d.title_text)"
                )
                params.extend([_prefix_query(term), term])
            else:
                conditions.append("d.search_vector @@ to_tsquery('simple', %s)")
                params.append(_prefix_query(term))
        return TextMatch(
            source=f"{DOCUMENTS} d",
            score=score,
            condition=" AND ".join(conditions),
            params=params,
        )
