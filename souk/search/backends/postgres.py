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
    # The planner chooses between the GIN bitmap of every match (a rare word) and walking the
    # primary key backwards until enough match (a common one: it stops early). It would
    # rather read every document, in parallel, when a word matches a large share of them: on a
    # busy 2-core server an index and one process per search are faster. Forcing the bitmap
    # (ordering by `product_id + 0`) made every common word run out of time at a million
    # listings ("saffron" 91 ms walked, over 300 ms by the bitmap).
    PLANNER_WITH_WORDS = {"enable_seqscan": "off", "max_parallel_workers_per_gather": "0"}

    def text_match(
        self,
        groups: Sequence[Group],
        min_coverage: int,
        where: str,
        where_params: list[Any],
        limit: int,
        scored: bool = True,
    ) -> TextMatch:
        # The newest `limit` matches (the GIN index finds them, the highest ids kept), then
        # ts_rank for those rows only, joined back by primary key: a common word's every
        # match is never ranked.
        any_group = " | ".join(group_query(group) for group in groups)
        source = f"matched m JOIN {DOCUMENTS} d ON d.product_id = m.id"
        if min_coverage >= len(groups):
            every_group = " & ".join(group_query(group) for group in groups)
            return TextMatch(
                ctes=(
                    f"matched AS MATERIALIZED (SELECT d.product_id AS id FROM {DOCUMENTS} d "
                    f"WHERE d.search_vector @@ to_tsquery('simple', %s) AND {where} "
                    "ORDER BY d.product_id DESC LIMIT %s)"
                ),
                source=source,
                score=(
                    "-ts_rank(d.search_vector, to_tsquery('simple', %s))::float8"
                    if scored
                    else self.NO_WORDS_SCORE
                ),
                params=[every_group, *where_params, limit, *([any_group] if scored else [])],
            )
        coverage = " + ".join(
            "(d.search_vector @@ to_tsquery('simple', %s))::int" for _group in groups
        )
        per_group: list[Any] = [group_query(group) for group in groups]
        # Matching any group is matching one: the coverage is tested only for more. Any word of
        # several often matches a large share of the documents, so the planner may walk the
        # primary key (it stops after `limit` when they are dense).
        enough = f"AND ({coverage}) >= %s " if min_coverage > 1 else ""
        return TextMatch(
            ctes=(
                f"matched AS MATERIALIZED (SELECT d.product_id AS id FROM {DOCUMENTS} d "
                f"WHERE d.search_vector @@ to_tsquery('simple', %s) {enough}"
                f"AND {where} ORDER BY d.product_id DESC LIMIT %s)"
            ),
            source=source,
            score=(
                f"-({COVERAGE_WEIGHT} * ({coverage}) "
                "+ ts_rank(d.search_vector, to_tsquery('simple', %s)))::float8"
                if scored
                else self.NO_WORDS_SCORE
            ),
            params=[
                any_group,
                *([*per_group, min_coverage] if min_coverage > 1 else []),
                *where_params,
                limit,
                *([*per_group, any_group] if scored else []),
            ],
        )
