"""Reads of the search page: one page of visible products for a query, with named facets."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from souk.catalog import selectors as catalog
from souk.catalog.models import PRODUCT_LANGUAGES, Product
from souk.registry.models import Region, Sector
from souk.search.backends import get_backend
from souk.search.backends.base import Cursor, SearchFilters, SearchResults
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
    regions: list[NamedFacet]
    price_bands: list[NamedFacet]
    next_cursor: str | None


def search_products(
    *, query: str, filters: SearchFilters, after: str = "", limit: int = PAGE_SIZE
) -> SearchPage:
    """One page of visible products matching `query` and `filters`, in ranking order.

    A product hidden since it was indexed is skipped (its task will drop it), so a page may
    hold fewer than `limit`. Bounded: 2 search queries, products with their photos (2), sector
    and region names (2).
    """
    results: SearchResults = get_backend().search(
        query, filters, limit, Cursor.decode(after) if after else None
    )
    by_id = {
        product.pk: product
        for product in catalog.list_visible_products().filter(pk__in=results.product_ids)
    }
    sector_counts = results.facets.get("sector", ())
    region_counts = results.facets.get("region", ())
    sectors = {s.pk: s for s in Sector.objects.filter(pk__in=[f.value for f in sector_counts])}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=[f.value for f in region_counts])}
    return SearchPage(
        products=[by_id[pk] for pk in results.product_ids if pk in by_id],
        total=results.total,
        sectors=[
            NamedFacet(f.value, sectors[f.value].name if f.value in sectors else f.value, f.count)
            for f in sector_counts
        ],
        regions=[
            NamedFacet(f.value, regions[f.value].name if f.value in regions else f.value, f.count)
            for f in region_counts
        ],
        price_bands=[NamedFacet(f.value, f.value, f.count) for f in results.facets["price"]],
        next_cursor=results.next_cursor.encode() if results.next_cursor else None,
    )


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
