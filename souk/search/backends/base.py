"""The one search interface, and the values that cross it.

A backend keeps an index of SearchDocument rows and answers queries on it: `index` and `remove`
maintain it, `search` returns product ids in ranking order (text relevance, then in stock
first, then id) with the total count and facet counts over every matching document.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from souk.catalog.models import Product

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


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Narrowing of a search; empty values do not filter. Prices in centimes, max excluded."""

    sector_code: str = ""
    trade_code: str = ""
    region_code: str = ""
    min_price_amount: int | None = None
    max_price_amount: int | None = None
    availability: str = Availability.ANY


@dataclass(frozen=True, slots=True)
class Cursor:
    """The position after the last result of a page: its ranking key."""

    score: float
    stock_key: int
    product_id: int

    def encode(self) -> str:
        raw = json.dumps([self.score, self.stock_key, self.product_id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor | None:
        """The cursor of a token, or None when it is not one of ours (then page 1 is shown)."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            score, stock_key, product_id = json.loads(raw)
        except (ValueError, TypeError, binascii.Error):
            return None
        if (
            not isinstance(score, int | float)
            or isinstance(score, bool)
            or not math.isfinite(score)
            or stock_key not in (0, 1)
            or not isinstance(product_id, int)
        ):
            return None
        return cls(float(score), int(stock_key), product_id)


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResults:
    product_ids: tuple[int, ...]
    total: int
    # "sector", "region" and "price" (band codes from price_band_code), largest count first.
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    next_cursor: Cursor | None = None


class SearchBackend(Protocol):
    """What souk.search.services and selectors need of a search engine."""

    def index(self, products: Iterable[Product]) -> None:
        """Add or replace the documents of these products (trade and sector selected)."""

    def remove(self, ids: Sequence[int]) -> None:
        """Drop the documents of these product ids; unknown ids are ignored."""

    def search(
        self, query: str, filters: SearchFilters, limit: int, after: Cursor | None
    ) -> SearchResults:
        """One page of results for `query` (all documents when it has no words)."""
