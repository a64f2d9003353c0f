"""Rows of search queries, kept in the cache until the index changes.

At a million listings the database is the slow part of a search page: the words "tapis" match
some 40,000 listings, and ranking them all (FTS5's bm25 alone takes 40 ms) or counting the
facets of a browse page without words (every document) takes from tens of milliseconds to
seconds. Until a document changes, every visitor asking the same search reads the same rows; so
the rows of the page query are kept QUERY_CACHE_SECONDS under a key made of the index version,
the database, the SQL and its parameters, and those of the facets query (the counts) the same
way, except that counts stay in use SOUK_FACET_COUNTS_MAX_AGE seconds after a change. Paging,
changing the order and the next visitor's same search reuse them.

The index version is a row of the database (IndexVersion), given a new random token in the same
transaction as every change of the documents (`forget`). Every process reads it once per search
(a primary-key read), so none uses what it kept from before a change, whatever the cache: the
default per-process one (locmem) or a shared one (CACHE_URL=redis://...). A listing hidden
after its page was kept is also dropped by the search selector, which reads the visible
products of every page.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.backends.utils import CursorWrapper

from souk.search.models import IndexVersion

QUERY_CACHE_SECONDS = 600


def index_version(cursor: CursorWrapper) -> str:
    """The token of the documents as they are now ("" before any change was recorded)."""
    cursor.execute(f"SELECT token FROM {IndexVersion._meta.db_table} WHERE id = %s", [1])  # noqa: S608
    row = cursor.fetchone()
    return str(row[0]) if row else ""


def digest(*parts: Any) -> str:
    """A cache key's part for these values (their repr)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# The same read as a scalar subquery, to be joined to another statement
# (catalog.selectors.get_page_state); NULL before any change was recorded.
INDEX_VERSION_SQL = f"SELECT token FROM {IndexVersion._meta.db_table} WHERE id = 1"  # noqa: S608


def current_index_version() -> str:
    with connection.cursor() as cursor:
        return index_version(cursor)


def cached_rows(
    cursor: CursorWrapper, version: str, sql: str, params: list[Any]
) -> list[tuple[Any, ...]]:
    """The rows of `sql` for index version `version`, from the cache or run on `cursor`."""
    key = f"search:rows:{digest(cursor.db.vendor, version, sql, params)}"
    rows: list[tuple[Any, ...]] | None = cache.get(key)
    if rows is None:
        cursor.execute(sql, params)
        rows = [tuple(row) for row in cursor.fetchall()]
        cache.set(key, rows, QUERY_CACHE_SECONDS)
    return rows


def cached_counts(
    cursor: CursorWrapper, version: str, sql: str, params: list[Any]
) -> list[tuple[Any, ...]]:
    """The rows of a counting query (the facets), like cached_rows; but counts made before
    the latest change stay in use until they are SOUK_FACET_COUNTS_MAX_AGE seconds old.

    Counting every match is the slowest part of a page (a browse page without words counts a
    million documents: 3.4 s on SQLite), and one version for the whole catalog changes with
    every edit anywhere: counts a minute old are better than every visitor counting again."""
    key = f"search:counts:{digest(cursor.db.vendor, sql, params)}"
    kept: tuple[str, float, list[tuple[Any, ...]]] | None = cache.get(key)
    now = time.time()
    if kept is not None:
        counted_version, counted_at, rows = kept
        if counted_version == version or now - counted_at < settings.SOUK_FACET_COUNTS_MAX_AGE:
            return rows
    cursor.execute(sql, params)
    rows = [tuple(row) for row in cursor.fetchall()]
    cache.set(key, (version, now, rows), QUERY_CACHE_SECONDS)
    return rows


def forget() -> None:
    """The documents changed: rows kept so far are not used again. Call it in the transaction
    that changes them, so the new version is seen with the change and not before."""
    token = secrets.token_hex(16)
    if not IndexVersion.objects.filter(pk=1).update(token=token):
        IndexVersion.objects.update_or_create(pk=1, defaults={"token": token})
