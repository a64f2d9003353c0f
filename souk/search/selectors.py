"""Reads of the search and browse pages: one page of visible products for a query, filters and
a sort, with named facets. The browse pages (a sector, a trade, a region, a shop's works) are
searches with one filter fixed; they have no other way to list products."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from souk.catalog import selectors as catalog
from souk.catalog.models import PRODUCT_LANGUAGES, Product
from souk.registry.models import Region, Sector, Trade
from souk.search.backends import get_backend
from souk.search.backends.base import Cursor, SearchFilters, SearchResults, Sort
from souk.search.text import normalize_text

PAGE_SIZE = 24


@dataclass(frozen=True, slots=True)
class NamedFacet:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    products: list[Product]
    total: int
    sectors: list[NamedFacet]
    trades: list[NamedFacet]
    regions: list[NamedFacet]
    price_bands: list[NamedFacet]
    next_cursor: str | None
    sort: str


def default_sort(query: str) -> str:
    """Relevance when there are words to be relevant to, else the newest first."""
    return Sort.RELEVANCE if query.strip() else Sort.NEWEST


def search_products(
    *,
    query: str,
    filters: SearchFilters,
    after: str = "",
    sort: str = "",
    limit: int | None = None,
) -> SearchPage:
    """One page of visible products matching `query` and `filters`, in `sort` order
    (default_sort when empty or unknown; relevance without words reads as newest).

    A product hidden since it was indexed is skipped (its task will drop it), so a page may
    hold fewer than `limit`. Bounded: 2 search queries, products with their photos (2), sector,
    trade and region names (3, fewer when a facet is empty).
    """
    if sort not in Sort.ALL or (sort == Sort.RELEVANCE and not query.strip()):
        sort = default_sort(query)
    cursor = Cursor.decode(after) if after else None
    results: SearchResults = get_backend().search(query, filters, limit or PAGE_SIZE, cursor, sort)
    by_id = {
        product.pk: product for product in catalog.list_cards().filter(pk__in=results.product_ids)
    }
    return SearchPage(
        products=[by_id[pk] for pk in results.product_ids if pk in by_id],
        total=results.total,
        sectors=_named(results, "sector", Sector),
        trades=_named(results, "trade", Trade),
        regions=_named(results, "region", Region),
        price_bands=[NamedFacet(f.value, f.value, f.count) for f in results.facets["price"]],
        next_cursor=results.next_cursor.encode() if results.next_cursor else None,
        sort=sort,
    )


def _named(
    results: SearchResults, facet: str, model: type[Sector] | type[Trade] | type[Region]
) -> list[NamedFacet]:
    """A facet's counts with the names of its codes in the page's language (one query)."""
    counts = results.facets.get(facet, ())
    if not counts:
        return []
    names = {row.pk: row.name for row in model.objects.filter(pk__in=[f.value for f in counts])}
    return [NamedFacet(f.value, names.get(f.value, f.value), f.count) for f in counts]


def get_closest_sector(*, query: str) -> Sector | None:
    """The sector whose name, in any language, is nearest the query; None for an empty one."""
    wanted = normalize_text(query)
    if not wanted:
        return None
    best: tuple[float, Sector] | None = None
    for sector in Sector.objects.order_by("code"):
        for code in PRODUCT_LANGUAGES:
            name = normalize_text(getattr(sector, f"name_{code}"))
            ratio = difflib.SequenceMatcher(None, wanted, name).ratio()
            if wanted in name or name in wanted:
                ratio += 1
            if best is None or ratio > best[0]:
                best = (ratio, sector)
    return best[1] if best is not None else None
