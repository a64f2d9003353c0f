"""What both backends share: documents written by the ORM, and filters, facets and keyset
pagination as plain SQL over the SearchDocument table. A backend only says which documents
match the words and their score (lower is better)."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from souk.catalog.models import PRODUCT_LANGUAGES, Product
from souk.search.backends.base import (
    CENTIMES_PER_MAD,
    PRICE_BANDS,
    Availability,
    Cursor,
    FacetCount,
    SearchFilters,
    SearchResults,
    price_band_code,
)
from souk.search.models import SearchDocument
from souk.search.text import document_text, query_terms

DOCUMENTS = SearchDocument._meta.db_table


def build_document(product: Product) -> SearchDocument:
    """The document of a product; its trade should be selected with it."""
    trade = product.trade
    return SearchDocument(
        product_id=product.pk,
        title_text=document_text(getattr(product, f"title_{code}") for code in PRODUCT_LANGUAGES),
        body_text=document_text(
            [
                *(getattr(product, f"description_{code}") for code in PRODUCT_LANGUAGES),
                product.materials,
                product.techniques,
            ]
        ),
        sector_code=trade.sector_id,
        trade_code=trade.pk,
        region_code=product.region_id,
        price_amount=product.price_amount,
        is_in_stock=product.stock_quantity > 0 and not product.is_made_to_order,
        is_made_to_order=product.is_made_to_order,
        updated_at=timezone.now(),
    )


def _price_band_case() -> str:
    cases = []
    for low, high in PRICE_BANDS:
        code = price_band_code(low, high)
        if high is None:
            cases.append(f"ELSE '{code}'")
        else:
            cases.append(f"WHEN d.price_amount < {high * CENTIMES_PER_MAD} THEN '{code}'")
    return "CASE " + " ".join(cases) + " END"


class SqlSearchBackend(abc.ABC):
    """Everything but the text match, which subclasses give by `matched_sql`."""

    @abc.abstractmethod
    def matched_sql(self, terms: list[str]) -> tuple[str, list[Any]]:
        """SQL selecting `id` and `score` (lower ranks first) of the documents matching."""

    def index(self, products: Iterable[Product]) -> None:
        documents = [build_document(product) for product in products]
        if not documents:
            return
        # Delete and insert rather than upsert, so the FTS5 triggers see plain row changes.
        with transaction.atomic():
            SearchDocument.objects.filter(pk__in=[doc.pk for doc in documents]).delete()
            SearchDocument.objects.bulk_create(documents)

    def remove(self, ids: Sequence[int]) -> None:
        SearchDocument.objects.filter(pk__in=list(ids)).delete()

    def _hits_sql(self, query: str, filters: SearchFilters) -> tuple[str, list[Any]]:
        matched, params = self.matched_sql(query_terms(query))
        conditions = ["1 = 1"]
        values: list[Any] = []
        for column, value in (
            ("sector_code", filters.sector_code),
            ("trade_code", filters.trade_code),
            ("region_code", filters.region_code),
        ):
            if value:
                conditions.append(f"d.{column} = %s")
                values.append(value)
        if filters.min_price_amount is not None:
            conditions.append("d.price_amount >= %s")
            values.append(filters.min_price_amount)
        if filters.max_price_amount is not None:
            conditions.append("d.price_amount < %s")
            values.append(filters.max_price_amount)
        if filters.availability == Availability.IN_STOCK:
            conditions.append("d.is_in_stock")
        elif filters.availability == Availability.MADE_TO_ORDER:
            conditions.append("d.is_made_to_order")
        sql = (
            f"WITH matched AS MATERIALIZED ({matched}), "
            "hits AS (SELECT d.product_id AS id, m.score AS score, "
            "CASE WHEN d.is_in_stock THEN 0 ELSE 1 END AS stock_key, "
            f"d.sector_code, d.region_code, {_price_band_case()} AS price_band "
            f"FROM matched m JOIN {DOCUMENTS} d ON d.product_id = m.id "
            f"WHERE {' AND '.join(conditions)}) "
        )
        return sql, [*params, *values]

    def search(
        self, query: str, filters: SearchFilters, limit: int, after: Cursor | None
    ) -> SearchResults:
        hits, params = self._hits_sql(query, filters)
        keyset = ""
        page_params: list[Any] = []
        if after is not None:
            keyset = (
                "WHERE score > %s OR (score = %s AND (stock_key > %s "
                "OR (stock_key = %s AND id > %s)))"
            )
            page_params = [
                after.score,
                after.score,
                after.stock_key,
                after.stock_key,
                after.product_id,
            ]
        page_sql = (
            f"{hits}SELECT id, score, stock_key FROM hits {keyset} "
            "ORDER BY score, stock_key, id LIMIT %s"
        )
        facets_sql = (
            f"{hits}SELECT 'total', '', COUNT(*) FROM hits "
            "UNION ALL SELECT 'sector', sector_code, COUNT(*) FROM hits GROUP BY sector_code "
            "UNION ALL SELECT 'region', region_code, COUNT(*) FROM hits GROUP BY region_code "
            "UNION ALL SELECT 'price', price_band, COUNT(*) FROM hits GROUP BY price_band"
        )
        with connection.cursor() as cursor:
            cursor.execute(page_sql, [*params, *page_params, limit + 1])
            rows = cursor.fetchall()
            cursor.execute(facets_sql, params)
            facet_rows = cursor.fetchall()
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last_id, last_score, last_stock_key = rows[-1]
            next_cursor = Cursor(float(last_score), int(last_stock_key), int(last_id))
        total = 0
        grouped: dict[str, list[FacetCount]] = {"sector": [], "region": [], "price": []}
        for name, value, count in facet_rows:
            if name == "total":
                total = int(count)
            else:
                grouped[name].append(FacetCount(str(value), int(count)))
        bands = [price_band_code(low, high) for low, high in PRICE_BANDS]
        facets = {
            "sector": tuple(sorted(grouped["sector"], key=lambda f: (-f.count, f.value))),
            "region": tuple(sorted(grouped["region"], key=lambda f: (-f.count, f.value))),
            "price": tuple(sorted(grouped["price"], key=lambda f: bands.index(f.value))),
        }
        return SearchResults(
            product_ids=tuple(int(row[0]) for row in rows),
            total=total,
            facets=facets,
            next_cursor=next_cursor,
        )
