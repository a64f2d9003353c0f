"""SQLite: an FTS5 table `search_fts`, an external-content index of SearchDocument kept by
triggers (migration 0002), ranked by bm25 with titles weighing ten times descriptions."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from souk.search.backends.sql import DOCUMENTS, SqlSearchBackend, TextMatch

FTS_TABLE = "search_fts"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


def match_expression(terms: list[str]) -> str:
    """Every word, each as a prefix: `"tajine"* "safi"*`. Words are letters and digits only
    (souk.core.text.tokenize), so quoting them is enough to keep FTS5 syntax out."""
    return " ".join(f'"{term}"*' for term in terms)


class SqliteSearchBackend(SqlSearchBackend):
    def text_match(self, terms: list[str]) -> TextMatch:
        # Materialised: FTS5 finds and scores the matches first, then each is joined to its
        # document by primary key (bm25 is only allowed in the query that scans the index).
        return TextMatch(
            ctes=(
                "matched AS MATERIALIZED (SELECT rowid AS id, "
                f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s), "
            ),
            source=f"matched m JOIN {DOCUMENTS} d ON d.product_id = m.id",
            score="m.score",
            params=[match_expression(terms)],
        )
