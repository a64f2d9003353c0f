"""SQLite: an FTS5 table `search_fts`, an external-content index of SearchDocument kept by
triggers (migration 0002), ranked by bm25 with titles weighing ten times descriptions."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from typing import Any

from souk.search.backends.sql import DOCUMENTS, SqlSearchBackend

FTS_TABLE = "search_fts"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


def match_expression(terms: list[str]) -> str:
    """Every word, each as a prefix: `"tajine"* "safi"*`. Words are letters and digits only
    (souk.core.text.tokenize), so quoting them is enough to keep FTS5 syntax out."""
    return " ".join(f'"{term}"*' for term in terms)


class SqliteSearchBackend(SqlSearchBackend):
    def matched_sql(self, terms: list[str]) -> tuple[str, list[Any]]:
        if not terms:
            return f"SELECT product_id AS id, 0.0 AS score FROM {DOCUMENTS}", []
        return (
            f"SELECT rowid AS id, bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [match_expression(terms)],
        )
