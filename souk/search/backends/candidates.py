"""A search with words, from its bounded candidates: one query reads them all, then their
facet counts, their order and the page are made here.

A search with words ranks and counts at most SOUK_SEARCH_CANDIDATES matches (sql.py). Reading
them once, with every column the page and the facets need, is one pass over the text index
instead of two (one to count, one to rank): at a million listings finding the candidates is most
of a search's time, and a thousand rows are counted and sorted in Python in about a millisecond.
The order and the keyset condition are those the SQL of a search without words uses
(sql.SORT_KEYS), so a cursor reads the same way on either path.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from django.utils.dateparse import parse_datetime

from souk.search.backends.base import (
    PRICE_BANDS,
    Cursor,
    FacetCount,
    SearchResults,
    Sort,
    price_band_code,
)

# The columns read of `hits` (sql.py), in this order.
COLUMNS = (
    "id",
    "score",
    "stock_key",
    "published_at",
    "price_amount",
    "sector_code",
    "trade_code",
    "region_code",
    "price_band",
)
ID, SCORE, STOCK_KEY, PUBLISHED_AT, PRICE, SECTOR, TRADE, REGION, BAND = range(len(COLUMNS))
# Per sort: the positions of the row's key (the id last) and whether it is read descending.
KEYS: dict[str, tuple[tuple[int, ...], bool]] = {
    Sort.RELEVANCE: ((SCORE, STOCK_KEY, ID), False),
    Sort.NEWEST: ((PUBLISHED_AT, ID), True),
    Sort.PRICE_ASCENDING: ((PRICE, ID), False),
    Sort.PRICE_DESCENDING: ((PRICE, ID), True),
}


def facet_rows(rows: Sequence[Sequence[Any]]) -> list[tuple[str, str, int]]:
    """The (facet, value, count) rows of the candidates, as sql.py's counting query gives
    them ("total" with value "")."""
    counted: list[tuple[str, str, int]] = [("total", "", len(rows))]
    for facet, position in (("sector", SECTOR), ("trade", TRADE), ("region", REGION)):
        counted += [(facet, str(v), n) for v, n in Counter(r[position] for r in rows).items()]
    counted += [("price", str(v), n) for v, n in Counter(r[BAND] for r in rows).items()]
    return counted


def page(
    rows: Sequence[Sequence[Any]], sort: str, after: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    """Up to `limit` + 1 rows after `after` (of this sort) in `sort` order, each as the sort
    key's columns then the id (what cursor_of reads)."""
    positions, descending = KEYS[sort]
    if PUBLISHED_AT in positions:
        # SQLite gives the time as text: compared as a time, like the cursor's.
        rows = [
            (*row[:PUBLISHED_AT], as_utc(row[PUBLISHED_AT]), *row[PUBLISHED_AT + 1 :])
            for row in rows
        ]
    key = itemgetter(*positions)
    chosen = list(rows)
    if after is not None and after.sort == sort:
        mark: tuple[Any, ...] = (*after.values, after.product_id)
        if descending:
            chosen = [row for row in chosen if key(row) < mark]
        else:
            chosen = [row for row in chosen if key(row) > mark]
    chosen.sort(key=key, reverse=descending)
    return [key(row) for row in chosen[: limit + 1]]


def as_utc(value: object) -> datetime.datetime:
    """A publication time read back from the database: a datetime (PostgreSQL) or the text
    SQLite stores (UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]")."""
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
    if moment is None:
        raise ValueError(f"not a datetime: {value!r}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def results(
    sort: str, rows: Sequence[Sequence[Any]], facet_rows: Sequence[Sequence[Any]], limit: int
) -> SearchResults:
    """A page of `rows` (sort key columns, the id last; one more than `limit` when there is
    a next page) with its counts."""
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursor_of(sort, rows[-1])
    return SearchResults(
        product_ids=tuple(int(row[-1]) for row in rows),
        total=total(facet_rows),
        facets=facets(facet_rows),
        next_cursor=next_cursor,
    )


def facets(facet_rows: Sequence[Sequence[Any]]) -> dict[str, tuple[FacetCount, ...]]:
    """The facets of SearchResults from (facet, value, count) rows ("total" left out)."""
    named = ("sector", "trade", "region", "material")
    grouped: dict[str, list[FacetCount]] = {name: [] for name in (*named, "price")}
    for name, value, count in facet_rows:
        if name != "total":
            grouped[name].append(FacetCount(str(value), int(count)))
    bands = [price_band_code(low, high) for low, high in PRICE_BANDS]
    counted = {
        name: tuple(sorted(grouped[name], key=lambda f: (-f.count, f.value))) for name in named
    }
    counted["price"] = tuple(sorted(grouped["price"], key=lambda f: bands.index(f.value)))
    return counted


def total(facet_rows: Sequence[Sequence[Any]]) -> int:
    return next((int(row[2]) for row in facet_rows if row[0] == "total"), 0)


def cursor_of(sort: str, row: Sequence[Any]) -> Cursor:
    """The cursor after `row` of the page query: its sort key columns, the id last."""
    *values, product_id = row
    if sort == Sort.RELEVANCE:
        score, stock_key = values
        return Cursor(sort, (float(score), int(stock_key)), int(product_id))
    if sort == Sort.NEWEST:
        return Cursor(sort, (as_utc(values[0]),), int(product_id))
    return Cursor(sort, (int(values[0]),), int(product_id))
