"""PostgreSQL: SearchDocument's generated `search_vector` ('simple' configuration over the
analysed text, titles weight A, the rest B) with a GIN index (migration 0002). The text is
analysed by souk.search.analysis, as on SQLite, so both find the same documents."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from souk.search.backends.sql import DOCUMENTS, SqlSearchBackend, TextMatch
from souk.search.query import Group

# A document matching one more group of the query ranks above any ts_rank difference.
COVERAGE_WEIGHT = 1000


def group_query(group: Group) -> str:
    """Any token of the group: `('tapis' | 'zzcrug' | 'zel':*)`. Tokens are letters and
    digits only (souk.search.analysis), so quoting them keeps tsquery syntax out."""
    alternatives = [f"'{token}'" for token in group.exact]
    alternatives += [f"'{prefix}':*" for prefix in group.prefixes]
    return "(" + " | ".join(alternatives) + ")"


class PostgresSearchBackend(SqlSearchBackend):
    NO_WORDS_SCORE = "0.0::float8"

    def text_match(self, groups: Sequence[Group], min_coverage: int) -> TextMatch:
        # One pass over the documents the indexes find: scored and filtered in the same row,
        # not joined to the table again (at a million documents that join read them all).
        any_group = " | ".join(group_query(group) for group in groups)
        if min_coverage >= len(groups):
            every_group = " & ".join(group_query(group) for group in groups)
            return TextMatch(
                source=f"{DOCUMENTS} d",
                score="-ts_rank(d.search_vector, to_tsquery('simple', %s))::float8",
                condition="d.search_vector @@ to_tsquery('simple', %s)",
                params=[any_group, every_group],
            )
        coverage = " + ".join(
            "(d.search_vector @@ to_tsquery('simple', %s))::int" for _group in groups
        )
        per_group: list[Any] = [group_query(group) for group in groups]
        return TextMatch(
            source=f"{DOCUMENTS} d",
            score=(
                f"-({COVERAGE_WEIGHT} * ({coverage}) "
                "+ ts_rank(d.search_vector, to_tsquery('simple', %s)))::float8"
            ),
            condition=f"d.search_vector @@ to_tsquery('simple', %s) AND ({coverage}) >= %s",
            params=[*per_group, any_group, any_group, *per_group, min_coverage],
        )
