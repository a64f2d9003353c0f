"""The one search interface, and the values that cross it.

A backend keeps an index of SearchDocument rows and answers queries on it: `index` and `remove`
maintain it, `search` returns product ids in the order asked for (text relevance, then in stock
first, then id; or newest; or price) with the total count and facet counts over every matching
document, and the keyset cursor of the next page.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.utils.dateparse import parse_datetime

from souk.catalog.models import Product

if TYPE_CHECKING:
    from souk.search.query import QueryPlan

# Price bands of the facet, in MAD: [low, high), None for no bound.
PRICE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 200),
    (200, 500),
    (500, 1000),
    (1000, 3000),
    (3000, None),
)
CENTIMES_PER_MAD = 100


def price_band_code(low: int, high: int | None) -> str:
    return f"{low}-{high if high is not None else ''}"


class Availability:
    ANY = ""
    IN_STOCK = "in_stock"
    MADE_TO_ORDER = "made_to_order"


class Sort:
    """The orders a search may be read in; each ends with the product id, so it is total."""

    # Text score, then in stock first, then id. Without words every score is equal.
    RELEVANCE = "relevance"
    # First publication, latest first, then id descending.
    NEWEST = "newest"
    PRICE_ASCENDING = "price_asc"
    PRICE_DESCENDING = "price_desc"

    ALL = (RELEVANCE, NEWEST, PRICE_ASCENDING, PRICE_DESCENDING)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Narrowing of a search; empty values do not filter. Prices in centimes, max excluded.

    `material` is free text: each of its words must begin a word of the listing's materials.
    `ships_to_zone` is a shipping zone code (MA, EU, US, WORLD): some carrier can take one
    piece of the listing there.
    """

    sector_code: str = ""
    trade_code: str = ""
    region_code: str = ""
    shop_id: int | None = None
    min_price_amount: int | None = None
    max_price_amount: int | None = None
    availability: str = Availability.ANY
    material: str = ""
    ships_to_zone: str = ""


# The range of a database integer (BIGINT, SQLite's INTEGER): a larger value sent as a query
# parameter is an overflow error in either database, so none from a visitor gets that far.
SMALLEST_DATABASE_INTEGER = -(2**63)
LARGEST_DATABASE_INTEGER = 2**63 - 1


def _is_database_integer(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and SMALLEST_DATABASE_INTEGER <= value <= LARGEST_DATABASE_INTEGER
    )


# A sort key value as it crosses a cursor: a score, a stock key or a price, or a publication
# time (aware, UTC).
SortValue = float | int | datetime.datetime


def _decode_values(sort: str, values: list[object]) -> tuple[SortValue, ...] | None:
    """The sort key of a decoded token, checked for its sort; None when it does not fit."""
    if sort == Sort.RELEVANCE and len(values) == 2:
        score, stock_key = values
        if (
            isinstance(score, int | float)
            and not isinstance(score, bool)
            and math.isfinite(score)
            and isinstance(stock_key, int)
            and stock_key in (0, 1)
        ):
            return float(score), int(stock_key)
        return None
    if sort == Sort.NEWEST and len(values) == 1 and isinstance(values[0], str):
        try:
            moment = parse_datetime(values[0])
        except ValueError:
            return None
        if moment is None or moment.tzinfo is None:
            return None
        return (moment.astimezone(datetime.UTC),)
    if sort in (Sort.PRICE_ASCENDING, Sort.PRICE_DESCENDING) and len(values) == 1:
        price = values[0]
        return (price,) if isinstance(price, int) and _is_database_integer(price) else None
    return None


@dataclass(frozen=True, slots=True)
class Cursor:
    """The position after the last result of a page: the sort it belongs to, that row's sort
    key (see Sort) and its product id, which breaks ties."""

    sort: str
    values: tuple[SortValue, ...]
    product_id: int

    def encode(self) -> str:
        values = [
            value.isoformat() if isinstance(value, datetime.datetime) else value
            for value in self.values
        ]
        raw = json.dumps([self.sort, *values, self.product_id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor | None:
        """The cursor of a token, or None when it is not one of ours (then page 1 is shown)."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            decoded = json.loads(raw)
        except (ValueError, TypeError, binascii.Error):
            return None
        if not isinstance(decoded, list) or len(decoded) < 3:
            return None
        sort, *values, product_id = decoded
        if not isinstance(sort, str) or not isinstance(product_id, int):
            return None
        checked = _decode_values(sort, values)
        if checked is None or not _is_database_integer(product_id):
            return None
        return cls(sort, checked, product_id)


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResults:
    product_ids: tuple[int, ...]
    total: int
    # "sector", "trade", "region", "material" (codes of the materials vocabulary) and "price"
    # (band codes from price_band_code); the price bands in their order, the others largest
    # count first.
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    next_cursor: Cursor | None = None
    # No document matched every word of the query: these match as many as any does.
    partial: bool = False
    # Words: only the newest SOUK_SEARCH_CANDIDATES matches were ranked and counted; `total` is a
    # lower bound.
    capped: bool = False
    # The search ran out of time (budget.py): the newest matches, no counts, no next page.
    timed_out: bool = False


class SearchBackend(Protocol):
    """What souk.search.services and selectors need of a search engine."""

    def index(self, products: Iterable[Product]) -> None:
        """Add or replace the documents of these products (trade and sector selected)."""

    def remove(self, ids: Sequence[int]) -> None:
        """Drop the documents of these product ids; unknown ids are ignored."""

    def search(
        self,
        query: str | QueryPlan,
        filters: SearchFilters,
        limit: int,
        after: Cursor | None,
        sort: str = Sort.RELEVANCE,
    ) -> SearchResults:
        """One page of results for `query` (analysed by souk.search.query when a string; all
        documents when it has no words) in `sort` order, after `after` (a cursor of another
        sort is ignored: page one)."""
