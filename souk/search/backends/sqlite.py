"""SQLite: an FTS5 table `search_fts`, an external-content index of SearchDocument kept by
triggers (migration 0002), ranked by bm25 with titles weighing ten times descriptions."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from souk.search.backends.sql import DOCUMENTS, SqlSearchBackend, TextMatch
from souk.search.query import Group

FTS_TABLE = "search_fts"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
# A document matching one more group of the query ranks above any bm25 difference.
COVERAGE_WEIGHT = 1000.0
# The documents as a search joins them by id: through the index of the columns it reads
# (migration 0011), not the primary key's, which would read each row with its text. The
# planner prefers the primary key's (unique) on its own.
COUNTED = f"{DOCUMENTS} d INDEXED BY search_doc_counted"


def group_expression(group: Group) -> str:
    """Any token of the group: `("tapis" OR "zzcrug" OR "zel"*)`. Tokens are letters and
    digits only (souk.search.analysis), so quoting them keeps FTS5 syntax out."""
    alternatives = [f'"{token}"' for token in group.exact]
    alternatives += [f'"{prefix}"*' for prefix in group.prefixes]
    return "(" + " OR ".join(alternatives) + ")"


def match_expression(groups: Sequence[Group]) -> str:
    """Every group: `(...) AND (...)`."""
    return " AND ".join(group_expression(group) for group in groups)


def candidates(where: str, *, scored: bool) -> str:
    """The matches of one FTS5 expression (a parameter) passing `where`, highest rowid first
    (FTS5 reads its index in that order and stops at the LIMIT, a parameter): bm25 is
    computed for those rows only, not for every match of a common word (nor when not
    `scored`: counting)."""
    score = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})" if scored else "0.0"
    return (
        f"SELECT {FTS_TABLE}.rowid AS id, {score} "
        f"AS score FROM {FTS_TABLE} JOIN {COUNTED} ON d.product_id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {where} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
    )


class SqliteSearchBackend(SqlSearchBackend):
    def text_match(
        self,
        groups: Sequence[Group],
        min_coverage: int,
        where: str,
        where_params: list[Any],
        limit: int,
        scored: bool = True,
    ) -> TextMatch:
        # Materialised: FTS5 finds and scores the matches first, then each is joined to its
        # document by primary key (bm25 is only allowed in the query that scans the index).
        source = f"matched m JOIN {COUNTED} ON d.product_id = m.id"
        if min_coverage >= len(groups):
            return TextMatch(
                ctes=f"matched AS MATERIALIZED ({candidates(where, scored=scored)})",
                source=source,
                score="m.score",
                params=[match_expression(groups), *where_params, limit],
            )
        # Some groups: each group's newest matches, counted per document.
        per_group = " UNION ALL ".join(
            f"SELECT * FROM ({candidates(where, scored=scored)})" for _group in groups
        )
        return TextMatch(
            ctes=(
                f"matched AS MATERIALIZED (SELECT id, SUM(score) - {COVERAGE_WEIGHT} * COUNT(*) "
                f"AS score FROM ({per_group}) GROUP BY id HAVING COUNT(*) >= %s)"
            ),
            source=source,
            score="m.score",
            params=[
                *(
                    part
                    for group in groups
                    for part in [group_expression(group), *where_params, limit]
                ),
                min_coverage,
            ],
        )
