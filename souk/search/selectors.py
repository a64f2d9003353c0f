"""Reads of the search and browse pages: one page of visible products for a query, filters and
a sort, with named facets. The browse pages (a sector, a trade, a region, a shop's works) are
searches with one filter fixed; they have no other way to list products."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.utils.translation import get_language

from souk.catalog import materials as vocabulary
from souk.catalog import selectors as catalog
from souk.catalog.models import Product
from souk.registry.models import Region, Sector, Trade
from souk.search.backends import get_backend
from souk.search.backends.base import Cursor, SearchFilters, SearchResults, Sort
from souk.search.query import analyse_query

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
    # Codes of the materials vocabulary, named in the page's language.
    materials: list[NamedFacet]
    next_cursor: str | None
    sort: str
    # The query with its typos corrected, when it had some ("" otherwise).
    corrected: str = ""
    # No work has every word: these have the most.
    partial: bool = False
    # The sectors the query's words name (thesaurus, sector and trade names), for the
    # suggestion of an empty page.
    named_sectors: tuple[str, ...] = ()
    # Only the newest matches were ranked and counted: `total` is a lower bound.
    capped: bool = False
    # The search ran out of time: the newest matches, without counts (never kept).
    timed_out: bool = False


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
    correct: bool = True,
) -> SearchPage:
    """One page of visible products matching `query` and `filters`, in `sort` order
    (default_sort when empty or unknown; relevance without words reads as newest).

    A product hidden since it was indexed is skipped (its task will drop it), so a page may
    hold fewer than `limit`. Bounded: 2 search queries, products with their photos (2), sector,
    trade and region names (3, fewer when a facet is empty). Unknown words are corrected
    unless `correct` is False (souk.search.query).
    """
    plan = analyse_query(query, correct=correct)
    if sort not in Sort.ALL or (sort == Sort.RELEVANCE and not plan.has_words):
        sort = Sort.RELEVANCE if plan.has_words else Sort.NEWEST
    cursor = Cursor.decode(after) if after else None
    results: SearchResults = get_backend().search(plan, filters, limit or PAGE_SIZE, cursor, sort)
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
        materials=_named_materials(results),
        next_cursor=results.next_cursor.encode() if results.next_cursor else None,
        sort=sort,
        corrected=plan.corrected,
        partial=results.partial,
        named_sectors=plan.sectors,
        capped=results.capped,
        timed_out=results.timed_out,
    )


_Named = Sector | Trade | Region
# Every sector, trade and region by code, read once per process like souk.search.names (the
# nomenclature and the regions change with a release): three queries a page saved. A code
# met later (a row added since) is read then and kept.
_rows: dict[type[_Named], dict[str, _Named]] = {}
_rows_lock = threading.Lock()


def _rows_of(model: type[_Named], codes: list[str]) -> dict[str, _Named]:
    with _rows_lock:
        rows = _rows.get(model)
    if rows is None:
        rows = {row.pk: row for row in model.objects.all()}
    missing = [code for code in codes if code not in rows]
    if missing:
        rows = {**rows, **{row.pk: row for row in model.objects.filter(pk__in=missing)}}
    with _rows_lock:
        _rows[model] = rows
    return rows


def _named(
    results: SearchResults, facet: str, model: type[Sector] | type[Trade] | type[Region]
) -> list[NamedFacet]:
    """A facet's counts with the names of its codes in the page's language (no query once
    the process read them)."""
    counts = results.facets.get(facet, ())
    if not counts:
        return []
    rows = _rows_of(model, [f.value for f in counts])
    return [
        NamedFacet(f.value, rows[f.value].name if f.value in rows else f.value, f.count)
        for f in counts
    ]


def _named_materials(results: SearchResults) -> list[NamedFacet]:
    """The Material facet with the vocabulary's names in the page's language (no query)."""
    language = get_language() or "fr"
    named = []
    for facet in results.facets.get("material", ()):
        material = vocabulary.get_material(facet.value)
        if material is not None:
            named.append(NamedFacet(facet.value, material.name(language), facet.count))
    return named


def get_suggested_sector(*, page: SearchPage) -> Sector | None:
    """The craft to suggest on an empty page: the first sector the query's words name (a
    thesaurus concept's sector, a sector's or trade's name); None when they name none, rather
    than a guess from the letters."""
    for code in page.named_sectors:
        sector = Sector.objects.filter(pk=code).first()
        if sector is not None:
            return sector
    return None
