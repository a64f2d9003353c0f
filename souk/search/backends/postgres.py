"""PostgreSQL: SearchDocument's generated `search_vector` ('simple' configuration over the
analysed text, titles weight A, the rest B) with a GIN index (migration 0002), kept in the row
rather than in TOAST (0014: the window walk and the ranking read each candidate's vector). The
text is analysed by souk.search.analysis, as on SQLite, so both find the same documents."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from souk.search.backends import windows
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
    # The planner chooses, per window (windows.py), between walking the primary key backwards
    # over the window (it stops early when the words are dense in it) and the GIN bitmap of
    # the words' matches ANDed with the window's primary key range (only its matches in the
    # window are read, with no test of their text). random_page_cost 1.1: the documents are
    # read from memory, not disk; at the default 4 it walked windows where a word was rare
    # (2.8 pages per document walked, its vector read from TOAST: 50,000 documents for
    # "djellabas", 0.8 s). Seqscans and parallel workers off: on a busy 2-core server an index
    # and one process per search are faster than reading every document in parallel.
    PLANNER_WITH_WORDS = {
        "enable_seqscan": "off",
        "max_parallel_workers_per_gather": "0",
        "random_page_cost": "1.1",
    }

    def text_match(
        self,
        groups: Sequence[Group],
        min_coverage: int,
        where: str,
        where_params: list[Any],
        limit: int,
        scored: bool = True,
        best: int = 0,
    ) -> TextMatch:
        # The newest `limit` matches, found window by window (windows.py: the newest ids
        # first, each window several times the last), then ts_rank for those rows only,
        # joined back by primary key: a common word's every match is never ranked, and a
        # word of middling frequency never has every match read.
        any_group = " | ".join(group_query(group) for group in groups)
        source = f"matched m JOIN {DOCUMENTS} d ON d.product_id = m.id"
        if min_coverage >= len(groups):
            every_group = " & ".join(group_query(group) for group in groups)
            ctes, cte_params = windows.matched_cte(
                "d.search_vector @@ to_tsquery('simple', %s)",
                [every_group],
                where,
                where_params,
                limit,
            )
            return TextMatch(
                ctes=ctes,
                source=source,
                score=(
                    "-ts_rank(d.search_vector, to_tsquery('simple', %s))::float8"
                    if scored
                    else self.NO_WORDS_SCORE
                ),
                params=[*cte_params, *([any_group] if scored else [])],
            )
        coverage = " + ".join(
            "(d.search_vector @@ to_tsquery('simple', %s))::int" for _group in groups
        )
        per_group: list[Any] = [group_query(group) for group in groups]
        # Matching any group is matching one: the coverage is tested only for more.
        enough = f" AND ({coverage}) >= %s" if min_coverage > 1 else ""
        ctes, cte_params = windows.matched_cte(
            f"d.search_vector @@ to_tsquery('simple', %s){enough}",
            [any_group, *([*per_group, min_coverage] if min_coverage > 1 else [])],
            where,
            where_params,
            limit,
        )
        return TextMatch(
            ctes=ctes,
            source=source,
            score=(
                f"-({COVERAGE_WEIGHT} * ({coverage}) "
                "+ ts_rank(d.search_vector, to_tsquery('simple', %s)))::float8"
                if scored
                else self.NO_WORDS_SCORE
            ),
            params=[*cte_params, *([*per_group, any_group] if scored else [])],
        )
