"""SQLite: an FTS5 table `search_fts`, an external-content index of SearchDocument kept by
triggers (migration 0002), ranked by bm25 with titles weighing ten times descriptions, computed
from kept term statistics (sqlite_terms)."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from souk.search.backends import candidates as candidates_module
from souk.search.backends import sqlite_terms
from souk.search.backends.sql import DOCUMENTS, NO_FILTER, SqlSearchBackend, TextMatch
from souk.search.query import Group

FTS_TABLE = "search_fts"
TITLE_WEIGHT = sqlite_terms.TITLE_WEIGHT
BODY_WEIGHT = sqlite_terms.BODY_WEIGHT
# FTS5's idf reads a document of a phrase's doclist in some 0.05 µs; souk_bm25 scores a
# candidate in some 5 µs (docs/benchmarks.md): past this many documents per candidate, the
# kept statistics are the cheaper way to the same score.
KEPT_IDF_FROM = 100
# A document matching one more group of the query ranks above any bm25 difference.
COVERAGE_WEIGHT = 1000.0
# The documents as a search joins them by id: through the index of the columns it reads
# (migration 0011), not the primary key's, which would read each row with its text. The
# planner prefers the primary key's (unique) on its own.
COUNTED = f"{DOCUMENTS} d INDEXED BY search_doc_counted"
# The candidates scored by souk_bm25: their facet and order columns read from the index above
# (not each row's texts), their texts `t` and size read only for the rows scored (SQLite seeks
# a row of `t` when one of its columns is read; the size is a subquery of the call).
KEPT_SOURCE = (
    f"matched m JOIN {COUNTED} ON d.product_id = m.id JOIN {DOCUMENTS} t ON t.product_id = m.id"
)
KEPT_ARGUMENTS = f"t.title_text, t.body_text, (SELECT sz FROM {FTS_TABLE}_docsize WHERE id = m.id)"
# The fewest groups matched by the rows to score when only the best `best` (a parameter) are
# shown: the most covering groups of rows that hold that many, every row when none do.
FIRST_SCORED = (
    "SELECT COALESCE(MAX(coverage), 0) FROM (SELECT coverage, "
    "SUM(COUNT(*)) OVER (ORDER BY coverage DESC) AS running FROM matched GROUP BY coverage) "
    "WHERE running >= %s"
)
# How many rows rank surely above any row of a group scored by Souk that matches it alone:
# rows matching more groups, and rows FTS5 scored below a bound (a parameter) of that group's
# score, counted up to `best` (a parameter).
SURELY_AHEAD = (
    "SELECT COUNT(*) FROM (SELECT 1 FROM matched "
    "WHERE coverage > 1 OR (in_c AND score < %s) LIMIT %s)"
)


def group_expression(group: Group) -> str:
    """Any token of the group: `("tapis" OR "zzcrug" OR "zel"*)`. Tokens are letters and
    digits only (souk.search.analysis), so quoting them keeps FTS5 syntax out."""
    alternatives = [f'"{token}"' for token in group.exact]
    alternatives += [f'"{prefix}"*' for prefix in group.prefixes]
    return "(" + " OR ".join(alternatives) + ")"


def match_expression(groups: Sequence[Group]) -> str:
    """Every group: `(...) AND (...)`."""
    return " AND ".join(group_expression(group) for group in groups)


def candidates(where: str, *, scored: bool, group: int | None = None) -> str:
    """The matches of one FTS5 expression (a parameter) passing `where`, highest rowid first
    (FTS5 reads its index in that order and stops at the LIMIT, a parameter), scored by FTS5's
    bm25 when `scored` (computed for those rows only, but its idf reads each phrase's whole
    doclist: sqlite_terms), else 0.0, with the group's position when given."""
    score = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})" if scored else "0.0"
    position = "" if group is None else f", {group} AS g"
    # Without a filter the documents are not read here: the index holds exactly their rows
    # (an external-content table kept by triggers), and a lookup of each of up to thousands
    # of matches costs more at a million listings than reading them in FTS5 (the candidates
    # are joined to their documents after, once).
    source = FTS_TABLE
    if where != NO_FILTER:
        source = f"{FTS_TABLE} JOIN {COUNTED} ON d.product_id = {FTS_TABLE}.rowid"
    return (
        f"SELECT {FTS_TABLE}.rowid AS id, {score} AS score{position} "
        f"FROM {source} "
        f"WHERE {FTS_TABLE} MATCH %s AND {where} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
    )


class SqliteSearchBackend(SqlSearchBackend):
    # The publication time as SQLite keeps it (text): only a search by newest reads it
    # (candidates.as_utc), and Django's converter of a timestamp column would parse it for
    # each of up to thousands of candidates (some 0.6 µs a row).
    CANDIDATE_COLUMNS = ", ".join(
        "CAST(published_at AS TEXT) AS published_at" if column == "published_at" else column
        for column in candidates_module.COLUMNS
    )

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
        # Materialised: FTS5 finds (and scores) the matches first, then each is joined to its
        # document by primary key (bm25 is only allowed in the query that scans the index).
        # When FTS5's idf would read more documents than KEPT_IDF_FROM times the candidates,
        # bm25 is computed by souk_bm25 from the kept term statistics instead (sqlite_terms):
        # the same score, from the candidate's row and size.
        kept_spec = ""
        per_group: list[int] = []
        if scored:
            with connection.cursor() as cursor:
                kept_spec, per_group = sqlite_terms.specification(cursor, groups)
            if sum(per_group) <= KEPT_IDF_FROM * limit:
                kept_spec = ""
        fts_scored = scored and not kept_spec
        kept_score = f"{sqlite_terms.FUNCTION}(%s, {{groups}}, {KEPT_ARGUMENTS})"
        if min_coverage >= len(groups):
            source = f"matched m JOIN {COUNTED} ON d.product_id = m.id"
            if kept_spec:
                source = KEPT_SOURCE
            return TextMatch(
                ctes=f"matched AS MATERIALIZED ({candidates(where, scored=fts_scored)})",
                source=source,
                score=kept_score.format(groups="NULL") if kept_spec else "m.score",
                params=[
                    match_expression(groups),
                    *where_params,
                    limit,
                    *([kept_spec] * bool(kept_spec)),
                ],
            )
        return self._some_groups(
            groups, min_coverage, where, where_params, limit, kept_spec, per_group, fts_scored, best
        )

    def _some_groups(
        self,
        groups: Sequence[Group],
        min_coverage: int,
        where: str,
        where_params: list[Any],
        limit: int,
        kept_spec: str,
        per_group: list[int],
        fts_scored: bool,
        best: int,
    ) -> TextMatch:
        """The documents matching at least `min_coverage` groups: each group's newest
        matches, counted per document."""
        # With kept statistics, a group whose own phrases hold few documents (and no prefix,
        # whose idf FTS5 counts otherwise) is still scored by FTS5's bm25 in C: a document
        # matching that group alone takes that score, the one souk_bm25 computes for it
        # (the same numbers, one value added to the coverage's weight: bit for bit). The
        # rows matching a kept group, or several groups, are scored by souk_bm25 as before.
        # At a million listings most words of two- and three-word queries hold fewer than
        # KEPT_IDF_FROM documents per candidate: their rows skip some 12 µs of Python each.
        in_c = [
            fts_scored
            or bool(
                kept_spec
                and not group.prefixes
                and 0 < per_group[position] <= KEPT_IDF_FROM * limit
            )
            for position, group in enumerate(groups)
        ]
        per_group_sql = " UNION ALL ".join(
            f"SELECT *, {int(in_c[position])} AS c "
            f"FROM ({candidates(where, scored=in_c[position], group=position)})"
            for position in range(len(groups))
        )
        source = f"matched m JOIN {COUNTED} ON d.product_id = m.id"
        score = "m.score"
        score_params: list[Any] = []
        if kept_spec:
            source = KEPT_SOURCE
            # Every per-group score of a kept group is 0.0: m.base is what m.score was when
            # no group was scored by FTS5.
            kept = f"{sqlite_terms.FUNCTION}(%s, m.groups, {KEPT_ARGUMENTS}) + m.base"
            skipped, skipped_params = self._skipped_alone(kept_spec, in_c, best)
            score = f"CASE WHEN m.coverage = 1 AND m.in_c THEN m.score {skipped}ELSE {kept} END"
            score_params = [*skipped_params, kept_spec]
            if best:
                # Only the best groups' rows can be among the first `best`: the rows of the
                # fewest most-covering groups of rows that hold `best` of them are scored, the
                # others keep -COVERAGE_WEIGHT per group, after every scored row (a bm25 is
                # never COVERAGE_WEIGHT), so the first `best` rows and their order are those
                # of every row scored.
                score = f"CASE WHEN m.coverage >= ({FIRST_SCORED}) THEN {score} ELSE m.base END"
                score_params = [best, *score_params]
        return TextMatch(
            ctes=(
                f"matched AS MATERIALIZED (SELECT id, SUM(score) - {COVERAGE_WEIGHT} * COUNT(*) "
                f"AS score, 0.0 - {COVERAGE_WEIGHT} * COUNT(*) AS base, MIN(c) AS in_c, "
                "group_concat(g) AS groups, COUNT(*) AS coverage "
                f"FROM ({per_group_sql}) GROUP BY id HAVING COUNT(*) >= %s)"
            ),
            source=source,
            score=score,
            params=[
                *(
                    part
                    for group in groups
                    for part in [group_expression(group), *where_params, limit]
                ),
                min_coverage,
                *score_params,
            ],
        )

    @staticmethod
    def _skipped_alone(kept_spec: str, in_c: list[bool], best: int) -> tuple[str, list[Any]]:
        """The CASE branches leaving unscored (at m.base) the rows that match one group scored
        by Souk alone when `best` rows surely rank above any of them, and their parameters.

        When words seldom meet, most candidates match one group: a common word's thousand are
        each scored in Python (some 5 µs a row), though a rarer word's rows, scored by FTS5
        in C, often fill the first page. A row matching group g alone scores m.base minus at
        most sqlite_terms.score_bounds' bound of g; when `best` rows score less than that
        (more groups matched, or FTS5's score below it), none of g's lone rows is among the
        first `best`, and left at m.base they stay after them: the first `best` rows and
        their order are those of every row scored."""
        if not best:
            return "", []
        branches = []
        params: list[Any] = []
        for position, bound in enumerate(sqlite_terms.score_bounds(kept_spec)):
            if in_c[position] or bound >= COVERAGE_WEIGHT:
                continue
            branches.append(
                f"WHEN m.coverage = 1 AND m.groups = '{position}' "
                f"AND ({SURELY_AHEAD}) >= %s THEN m.base "
            )
            params += [-COVERAGE_WEIGHT - bound, best, best]
        return "".join(branches), params
