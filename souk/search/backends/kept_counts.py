"""The facet counts of browse pages, kept rather than counted.

A browse page without words (all works, a sector, a trade, a region) shows how many works it
holds per sector, trade, region, price band and material (the vocabulary's codes whose filter a
document passes: DocumentMaterial, souk.search.backends.materials). Counting them means reading
every document of the page's scope: a million for all works (3.4 s on SQLite). So the counts are
kept in KeptCount, one row per (scope, facet, value), and changed in the transaction that changes
the documents: `index` and `remove` (souk.search.backends.sql) take the documents they delete,
with their material rows (DELETE ... RETURNING, so two workers indexing the same listing never
both subtract it) and the ones they insert, and add the difference with one upsert
(`count = count + excluded.count`). They are exact at every commit. `rebuild` counts everything
again in one pass (the migrations that made the tables; generate_catalog, which writes documents
in bulk).

A search with words, or with a filter other than the page's own, counts its (bounded) matches
instead (sql.SqlSearchBackend).
"""

# S608 is silenced where SQL is assembled: only constants and %s placeholders are formatted in.

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection

from souk.search.backends import materials
from souk.search.backends.base import CENTIMES_PER_MAD, PRICE_BANDS, SearchFilters, price_band_code
from souk.search.models import KeptCount, SearchDocument

TABLE = KeptCount._meta.db_table
DOCUMENTS = SearchDocument._meta.db_table
# Rows of one upsert statement (4 parameters each).
BATCH = 500

# A document as the counts see it: sector, trade, region codes, price (centimes) and the codes
# of its materials.
Counted = tuple[str, str, str, int, tuple[str, ...]]


def price_band(price_amount: int) -> str:
    for low, high in PRICE_BANDS:
        if high is None or price_amount < high * CENTIMES_PER_MAD:
            return price_band_code(low, high)
    raise AssertionError("the last band has no upper bound")


def scope_of(filters: SearchFilters) -> str | None:
    """The kept scope whose counts are this search's (without words), or None when the
    filters are not a browse page's: any filter but one sector, trade or region (a trade page
    also fixes its sector, checked against the counts by `read`)."""
    others = (
        filters.shop_id is not None
        or filters.min_price_amount is not None
        or filters.max_price_amount is not None
        or filters.availability
        or filters.material
        or filters.ships_to_zone
    )
    if others:
        return None
    if filters.trade_code:
        return None if filters.region_code else f"trade:{filters.trade_code}"
    fixed = [("sector", filters.sector_code), ("region", filters.region_code)]
    given = [(name, value) for name, value in fixed if value]
    if len(given) > 1:
        return None
    return f"{given[0][0]}:{given[0][1]}" if given else ""


def read(filters: SearchFilters, scope: str) -> list[tuple[str, str, int]]:
    """The kept (facet, value, count) rows of `scope` (as sql.SqlSearchBackend counts them:
    "total" with value ""), none when a trade page's sector is not the trade's."""
    rows = [
        (facet, value, int(count))
        for facet, value, count in KeptCount.objects.filter(scope=scope, count__gt=0)
        .order_by()
        .values_list("facet", "value", "count")
    ]
    if filters.trade_code and filters.sector_code:
        sectors = {value for facet, value, _count in rows if facet == "sector"}
        if filters.sector_code not in sectors:
            return []
    return rows


def _changes(documents: Iterable[Counted], sign: int) -> Counter[tuple[str, str, str]]:
    changes: Counter[tuple[str, str, str]] = Counter()
    for sector, trade, region, price, codes in documents:
        band = price_band(price)
        for scope in _scopes(sector, trade, region):
            changes[(scope, "total", "")] += sign
            changes[(scope, "sector", sector)] += sign
            changes[(scope, "trade", trade)] += sign
            changes[(scope, "region", region)] += sign
            changes[(scope, "price", band)] += sign
            for code in codes:
                changes[(scope, "material", code)] += sign
    return changes


def _scopes(sector: str, trade: str, region: str) -> tuple[str, ...]:
    return ("", f"sector:{sector}", f"trade:{trade}", f"region:{region}")


def add(removed: Sequence[Counted], inserted: Sequence[Counted]) -> None:
    """Count `inserted` documents in and `removed` ones out; call it in their transaction."""
    changes = _changes(inserted, 1)
    changes.update(_changes(removed, -1))
    _upsert([(*key, change) for key, change in changes.items() if change])


def _upsert(rows: Sequence[tuple[str, str, str, int]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {TABLE} (scope, facet, value, count) VALUES {values} "
                "ON CONFLICT (scope, facet, value) "
                f"DO UPDATE SET count = {TABLE}.count + excluded.count",
                [part for row in batch for part in row],
            )


def delete_returning(ids: Sequence[int]) -> list[Counted]:
    """Delete the documents of these product ids and their material rows; those that were
    deleted, as counted."""
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {DOCUMENTS} WHERE product_id IN ({placeholders}) "
            "RETURNING product_id, sector_code, trade_code, region_code, price_amount",
            list(ids),
        )
        deleted = cursor.fetchall()
    codes = materials.delete_returning(list(ids))
    return [
        (str(s), str(t), str(r), int(p), tuple(codes.get(int(i), ()))) for i, s, t, r, p in deleted
    ]


def rebuild(*, with_materials: bool = True) -> None:
    """Count every document again (one pass, grouped), replacing the kept counts; the
    materials too unless `with_materials` is False (migration 0010, before their table)."""
    changes: Counter[tuple[str, str, str]] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sector_code, trade_code, region_code, "
            + _band_case()
            + f", COUNT(*) FROM {DOCUMENTS} GROUP BY 1, 2, 3, 4"
        )
        for sector, trade, region, band, count in cursor.fetchall():
            for key, change in _changes([(sector, trade, region, int(band), ())], 1).items():
                changes[key] += change * int(count)
        if with_materials:
            cursor.execute(
                "SELECT d.sector_code, d.trade_code, d.region_code, m.code, COUNT(*) "
                f"FROM {DOCUMENTS} d JOIN {materials.TABLE} m ON m.product_id = d.product_id "
                "GROUP BY 1, 2, 3, 4"
            )
            for sector, trade, region, code, count in cursor.fetchall():
                for scope in _scopes(sector, trade, region):
                    changes[(scope, "material", str(code))] += int(count)
        cursor.execute(f"DELETE FROM {TABLE}")
    _upsert([(*key, change) for key, change in changes.items() if change])


def _band_case() -> str:
    """A price in centimes standing for each band (its low end), so `_changes` bands it."""
    cases = [
        f"WHEN price_amount < {high * CENTIMES_PER_MAD} THEN {low * CENTIMES_PER_MAD}"
        for low, high in PRICE_BANDS
        if high is not None
    ]
    last_low = PRICE_BANDS[-1][0] * CENTIMES_PER_MAD
    return "CASE " + " ".join(cases) + f" ELSE {last_low} END"
