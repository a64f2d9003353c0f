"""SQLite: an FTS5 table `search_fts`, an external-content index of SearchDocument kept by
triggers (migration 0002), ranked by bm25 with titles weighing ten times descriptions."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from collections.abc import Sequence

from souk.search.backends.sql import DOCUMENTS, SqlSearchBackend, TextMatch
from souk.search.query import Group

FTS_TABLE = "search_fts"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
# A document matching one more group of the query ranks above any bm25 difference.
COVERAGE_WEIGHT = 1000.0


def group_expression(group: Group) -> str:
    """Any token of the group: `("tapis" OR "zzcrug" OR "zel"*)`. Tokens are letters and
    digits only (souk.search.analysis), so quoting them keeps FTS5 syntax out."""
    alternatives = [f'"{token}"' for token in group.exact]
    alternatives += [f'"{prefix}"*' for prefix in group.prefixes]
    return "(" + " OR ".join(alternatives) + ")"


def match_expression(groups: Sequence[Group]) -> str:
    """Every group: `(...) AND (...)`."""
    return " AND ".join(group_expression(group) for group in groups)


class SqliteSearchBackend(SqlSearchBackend):
    def text_match(self, groups: Sequence[Group], min_coverage: int) -> TextMatch:
        # Materialised: FTS5 finds and scores the matches first, then each is joined to its
        # document by primary key (bm25 is only allowed in the query that scans the index).
        score = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        if min_coverage >= len(groups):
            return TextMatch(
                ctes=(
                    f"matched AS MATERIALIZED (SELECT rowid AS id, {score} AS score "
                    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s), "
                ),
                source=f"matched m JOIN {DOCUMENTS} d ON d.product_id = m.id",
                score="m.score",
                params=[match_expression(groups)],
            )
        # Some groups: each group's matches once, counted per document.
        per_group = " UNION ALL ".join(
            f"SELECT rowid AS id, {score} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            for _group in groups
        )
        return TextMatch(
            ctes=(
                f"matched AS MATERIALIZED (SELECT id, SUM(score) - {COVERAGE_WEIGHT} * COUNT(*) "
                f"AS score FROM ({per_group}) GROUP BY id HAVING COUNT(*) >= %s), "
            ),
            source=f"matched m JOIN {DOCUMENTS} d ON d.product_id = m.id",
            score="m.score",
            params=[*(group_expression(group) for group in groups), min_coverage],
        )
