"""Facet counts of a search, kept a few minutes in the cache.

The counts (and the total) of a search are the same for every page and every order of it, and
at a million listings counting every matching document is the slowest part of a page: the
words "tapis" match some 40,000 listings, a browse page without words all of them. So the rows
of the facets query are kept FACETS_CACHE_SECONDS under a key made of the query and its
parameters: paging, changing the order and the next visitor's same search reuse them.

Counts may be FACETS_CACHE_SECONDS out of date. Indexing or removing documents through the
backend moves a generation number so that the process which indexed sees fresh counts at
once; with the default per-process cache (locmem) the web workers see the change when their
entry expires, with a shared cache (CACHE_URL=redis://...) at once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.backends.utils import CursorWrapper

FACETS_CACHE_SECONDS = 300
_GENERATION_KEY = "search:facets:generation"


def facet_rows(cursor: CursorWrapper, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of the facets query `sql`, from the cache or run on `cursor` and kept."""
    generation = cache.get_or_set(_GENERATION_KEY, 0, timeout=None)
    digest = hashlib.sha256(repr((cursor.db.vendor, sql, params)).encode()).hexdigest()
    key = f"search:facets:{generation}:{digest}"
    rows: list[tuple[Any, ...]] | None = cache.get(key)
    if rows is None:
        cursor.execute(sql, params)
        rows = [tuple(row) for row in cursor.fetchall()]
        cache.set(key, rows, FACETS_CACHE_SECONDS)
    return rows


def forget() -> None:
    """Documents changed: counts kept so far are not used again."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, timeout=None)
