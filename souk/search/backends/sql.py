"""What both backends share: documents written by the ORM, and filters, facets, sorting and
keyset pagination as plain SQL over the SearchDocument table. A backend only says how the
documents matching the words are found and scored (lower is better): a TextMatch."""

# S608 is silenced where SQL is assembled: only constants, column names and %s placeholders
# are formatted in; every value the visitor gives is a query parameter.

from __future__ import annotations

import abc
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from souk.catalog import availability
from souk.catalog.models import PRODUCT_LANGUAGES, Product
from souk.search import query_cache, vocabulary
from souk.search.analysis import analyse_field, unique
from souk.search.backends import candidates, kept_counts, materials
from souk.search.backends.base import (
    CENTIMES_PER_MAD,
    PRICE_BANDS,
    Availability,
    Cursor,
    SearchFilters,
    SearchResults,
    Sort,
    SortValue,
    price_band_code,
)
from souk.search.backends.budget import SearchTimedOut, time_bound
from souk.search.models import SearchDocument
from souk.search.names import get_names
from souk.search.query import Group, QueryPlan, analyse_query
from souk.shipping import selectors as shipping

DOCUMENTS = SearchDocument._meta.db_table
# The conditions of a search without filters (SqlSearchBackend._conditions).
NO_FILTER = "1 = 1"

# A search with words ranks (and counts) at most settings.SOUK_SEARCH_CANDIDATES matches,
# the newest listings (highest ids) that match: ranking every match of a common word does not
# bound its time.
# The newest matches shown when a search ran out of time get this long, taken from the search's
# own SOUK_SEARCH_TIMEOUT_MS when it is more than twice as long (so a search and its fallback
# end within it), else given on top.
FALLBACK_MS = 50

# Per sort: the columns of `hits` it orders by, all in one direction (so one row-value
# comparison is the keyset condition), the product id last.
SORT_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    Sort.RELEVANCE: (("score", "stock_key", "id"), "ASC"),
    Sort.NEWEST: (("published_at", "id"), "DESC"),
    Sort.PRICE_ASCENDING: (("price_amount", "id"), "ASC"),
    Sort.PRICE_DESCENDING: (("price_amount", "id"), "DESC"),
}


# The document column that says a listing ships to a zone, by zone code.
SHIPS_TO_COLUMNS = {
    "MA": "ships_to_ma",
    "EU": "ships_to_eu",
    "US": "ships_to_us",
    "WORLD": "ships_to_world",
}


def build_document(
    product: Product, *, reach_rules: shipping.ReachRules | None = None
) -> SearchDocument:
    """The document of a product; its trade should be selected with it and its variants
    prefetched. `reach_rules` (read once for a batch) say where it ships; read here when not
    given."""
    trade = product.trade
    rules = reach_rules if reach_rules is not None else shipping.get_reach_rules()
    zones = rules.reachable_zones(
        weight_grams=product.weight_grams,
        length_mm=product.length_mm,
        width_mm=product.width_mm,
        height_mm=product.height_mm,
    )
    return SearchDocument(
        product_id=product.pk,
        **document_texts(
            {code: getattr(product, f"title_{code}") for code in PRODUCT_LANGUAGES},
            {code: getattr(product, f"description_{code}") for code in PRODUCT_LANGUAGES},
            materials=product.materials_for_search,
            techniques=product.techniques,
            trade_code=trade.pk,
            region_code=product.region_id,
        ),
        sector_code=trade.sector_id,
        trade_code=trade.pk,
        region_code=product.region_id,
        shop_id=product.shop_id,
        price_amount=product.price_amount,
        is_in_stock=_is_in_stock(product),
        is_made_to_order=product.is_made_to_order,
        **{column: zone in zones for zone, column in SHIPS_TO_COLUMNS.items()},
        published_at=product.published_at or product.created_at,
        updated_at=timezone.now(),
    )


def document_texts(
    titles: dict[str, str],
    descriptions: dict[str, str],
    *,
    materials: str,
    techniques: str,
    trade_code: str,
    region_code: str,
    analyse: Callable[..., list[str]] = analyse_field,
) -> dict[str, str]:
    """The analysed text columns of a document (souk.search.analysis): titles and
    descriptions stemmed in their language, materials and techniques in every language, the
    trade's and sector's marker tokens and name concepts in the body, and the words of the
    region's names in the descriptions as place tokens. `analyse` is analyse_field (or a cached
    copy of it: generate_catalog)."""
    names = get_names()
    places = names.places_of_region.get(region_code, frozenset())
    title_tokens = [token for code, text in titles.items() for token in analyse(text, code)]
    body_tokens = [
        *(
            token
            for code, text in descriptions.items()
            for token in analyse(text, code, places=places)
        ),
        *analyse(materials, None),
        *analyse(techniques, None),
        *names.tokens_of_trade.get(trade_code, ()),
    ]
    return {
        "title_text": unique(title_tokens),
        "body_text": unique(body_tokens),
        "materials_text": unique(analyse(materials, None)),
    }


def _is_in_stock(product: Product) -> bool:
    """catalog.availability's rule, on the variants prefetched with the product."""
    variants = [variant for variant in product.variants.all() if variant.is_active]
    return availability.is_in_stock(product, variants)


def _sql_value(value: SortValue) -> Any:
    """A cursor value as a query parameter compared with the column it came from."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _price_band_case() -> str:
    cases = []
    for low, high in PRICE_BANDS:
        code = price_band_code(low, high)
        if high is None:
            cases.append(f"ELSE '{code}'")
        else:
            cases.append(f"WHEN d.price_amount < {high * CENTIMES_PER_MAD} THEN '{code}'")
    return "CASE " + " ".join(cases) + " END"


@dataclass(frozen=True, slots=True)
class TextMatch:
    """How a backend matches words, as parts of the `hits` query of SqlSearchBackend:
    `WITH {ctes}, hits AS (SELECT ..., {score} AS score, ... FROM {source} WHERE
    {condition})`. `ctes` define `matched` (column `id`): at most `limit` matching documents
    that pass the filters, the highest ids first; `source` names the documents `d`; `params`
    are in that order: those of `ctes`, of `score`, of `condition`."""

    source: str
    score: str
    ctes: str = ""
    condition: str = NO_FILTER
    params: list[Any] = field(default_factory=list)


class SqlSearchBackend(abc.ABC):
    """Everything but the text match, which subclasses give by `text_match`."""

    # The score of every document when there are no words (all rank alike).
    NO_WORDS_SCORE = "0.0"
    # Planner settings of a search with words (PostgreSQL, budget.time_bound).
    PLANNER_WITH_WORDS: dict[str, str] = {}
    # candidates.COLUMNS as read of `hits` (a backend may read a column as text).
    CANDIDATE_COLUMNS = ", ".join(candidates.COLUMNS)

    @abc.abstractmethod
    def text_match(
        self,
        groups: Sequence[Group],
        min_coverage: int,
        where: str,
        where_params: list[Any],
        limit: int,
        scored: bool = True,
        best: int = 0,
    ) -> TextMatch:
        """How the documents matching at least `min_coverage` of `groups` (at least one) and
        the filters `where` (conditions on `d`) are found, at most `limit` of them (the
        highest ids), and scored: more groups matched first, then the text score; not scored
        (NO_WORDS_SCORE) unless `scored`, for counting. `best` (when not 0): only the first
        `best` rows in that order are read, so a backend may leave rows that cannot be among
        them with a score that only ranks them after those."""

    def index(self, products: Iterable[Product]) -> None:
        reach_rules = shipping.get_reach_rules()
        documents = [build_document(product, reach_rules=reach_rules) for product in products]
        if not documents:
            return
        # Delete and insert rather than upsert, so the FTS5 triggers see plain row changes.
        with transaction.atomic():
            removed = kept_counts.delete_returning([doc.pk for doc in documents])
            SearchDocument.objects.bulk_create(documents)
            codes = materials.insert(documents)
            kept_counts.add(
                removed,
                [
                    (d.sector_code, d.trade_code, d.region_code, d.price_amount, codes[d.pk])
                    for d in documents
                ],
            )
            vocabulary.record(
                token
                for document in documents
                for token in f"{document.title_text} {document.body_text}".split()
            )
            query_cache.forget()

    def remove(self, ids: Sequence[int]) -> None:
        with transaction.atomic():
            kept_counts.add(kept_counts.delete_returning(list(ids)), [])
            query_cache.forget()

    def _conditions(self, filters: SearchFilters) -> tuple[str, list[Any]]:
        """The filters as conditions on the documents `d`, and their parameters."""
        conditions = [NO_FILTER]
        values: list[Any] = []
        for column, value in (
            ("sector_code", filters.sector_code),
            ("trade_code", filters.trade_code),
            ("region_code", filters.region_code),
        ):
            if value:
                conditions.append(f"d.{column} = %s")
                values.append(value)
        if filters.shop_id is not None:
            conditions.append("d.shop_id = %s")
            values.append(filters.shop_id)
        # Each word of the material (analysed like a query: "wool", "laine" and "صوف" are one
        # concept) is a token of the materials, or begins one (materials.py).
        if filters.material:
            material_conditions, material_values = materials.condition(filters.material)
            conditions.extend(material_conditions)
            values.extend(material_values)
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
        # The column comes from our own table of zones, never from the request.
        if filters.ships_to_zone in SHIPS_TO_COLUMNS:
            conditions.append(f"d.{SHIPS_TO_COLUMNS[filters.ships_to_zone]}")
        return " AND ".join(conditions), values

    def _hits_sql(
        self,
        plan: QueryPlan,
        filters: SearchFilters,
        min_coverage: int,
        *,
        scored: bool = True,
        best: int = 0,
    ) -> tuple[str, list[Any]]:
        """The `hits` CTE of the search (its rows scored unless `scored` is False: counting
        needs no score, and the score is the costly part; see text_match for `best`) and its
        parameters."""
        where, values = self._conditions(filters)
        if plan.groups:
            match = self.text_match(
                plan.groups,
                min_coverage,
                where,
                values,
                settings.SOUK_SEARCH_CANDIDATES,
                scored=scored,
                best=best,
            )
        else:
            match = TextMatch(
                source=f"{DOCUMENTS} d", score=self.NO_WORDS_SCORE, condition=where, params=values
            )
        # Without words every document matches and `hits` reads the documents alone: the
        # planner goes through a filter's or the order's index (a keyset page of a million
        # works is a short index walk) instead of copying them all first.
        sql = (
            f"WITH {match.ctes + ', ' if match.ctes else ''}"
            f"hits AS (SELECT d.product_id AS id, {match.score} AS score, "
            "CASE WHEN d.is_in_stock THEN 0 ELSE 1 END AS stock_key, "
            "d.published_at, d.price_amount, d.sector_code, d.trade_code, d.region_code, "
            f"{_price_band_case()} AS price_band "
            f"FROM {match.source} "
            f"WHERE {match.condition}) "
        )
        return sql, match.params

    def search(
        self,
        query: str | QueryPlan,
        filters: SearchFilters,
        limit: int,
        after: Cursor | None,
        sort: str = Sort.RELEVANCE,
    ) -> SearchResults:
        """See SearchBackend.search. Every group of the query must match; when no document
        matches them all, those matching the most groups come first (`partial`). Words rank
        and count the SOUK_SEARCH_CANDIDATES newest matches (`capped` when there may be more). Past
        SOUK_SEARCH_TIMEOUT_MS the newest matches are the answer (`timed_out`, budget.py)."""
        plan = analyse_query(query) if isinstance(query, str) else query
        if sort not in SORT_KEYS:
            sort = Sort.RELEVANCE
        planner = self.PLANNER_WITH_WORDS if plan.groups else {}
        bound = settings.SOUK_SEARCH_TIMEOUT_MS
        if bound > 2 * FALLBACK_MS:
            bound -= FALLBACK_MS
        try:
            with time_bound(bound, planner):
                return self._search(plan, filters, limit, after, sort)
        except SearchTimedOut:
            return self._newest_matches(plan, filters, limit)

    def _search(
        self, plan: QueryPlan, filters: SearchFilters, limit: int, after: Cursor | None, sort: str
    ) -> SearchResults:
        with connection.cursor() as cursor:
            version = query_cache.index_version(cursor)
            if plan.groups:
                return self._search_words(cursor, version, plan, filters, limit, after, sort)
            scope = kept_counts.scope_of(filters)
            hits, params = self._hits_sql(plan, filters, 0)
            if scope is not None:
                # A browse page: its counts are kept, not counted (kept_counts).
                facet_rows = kept_counts.read(filters, scope)
            else:
                facet_rows = self._count(cursor, version, plan, filters)
            columns, direction = SORT_KEYS[sort]
            keyset = ""
            page_params: list[Any] = []
            if after is not None and after.sort == sort:
                # A row value comparison: the rows strictly after the cursor's in this order.
                operator = ">" if direction == "ASC" else "<"
                placeholders = ", ".join(["%s"] * len(columns))
                keyset = f"WHERE ({', '.join(columns)}) {operator} ({placeholders}) "
                page_params = [*(_sql_value(value) for value in after.values), after.product_id]
            order = ", ".join(f"{column} {direction}" for column in columns)
            page_sql = (
                f"{hits}SELECT {', '.join(columns)} FROM hits {keyset}ORDER BY {order} LIMIT %s"
            )
            rows = query_cache.cached_rows(
                cursor, version, page_sql, [*params, *page_params, limit + 1]
            )
        return candidates.results(sort, rows, facet_rows, limit)

    def _search_words(
        self,
        cursor: Any,
        version: str,
        plan: QueryPlan,
        filters: SearchFilters,
        limit: int,
        after: Cursor | None,
        sort: str,
    ) -> SearchResults:
        """A search with words: its bounded candidates read once, with their scores and
        facet columns, then counted, ordered and paged in Python (candidates.py)."""
        min_coverage = len(plan.groups)
        found = self._candidates(cursor, version, plan, filters, min_coverage)
        partial = False
        if not found and min_coverage > 1:
            partial = True
            # The first page by relevance shows the best rows only: a backend need not score
            # the others (those matching fewer words, most of them when words seldom meet).
            best = limit + 1 if sort == Sort.RELEVANCE and after is None else 0
            found = self._candidates(cursor, version, plan, filters, 1, best=best)
        facet_rows = [*candidates.facet_rows(found), *self._material_counts(cursor, version, found)]
        rows = candidates.page(found, sort, after, limit)
        results = candidates.results(sort, rows, facet_rows, limit)
        return replace(
            results,
            partial=partial,
            capped=results.total >= settings.SOUK_SEARCH_CANDIDATES,
        )

    def _candidates(
        self,
        cursor: Any,
        version: str,
        plan: QueryPlan,
        filters: SearchFilters,
        min_coverage: int,
        best: int = 0,
    ) -> list[tuple[Any, ...]]:
        """Every scored candidate of a search with words (at most SOUK_SEARCH_CANDIDATES per
        group), with the columns of candidates.COLUMNS (see text_match for `best`)."""
        hits, params = self._hits_sql(plan, filters, min_coverage, best=best)
        return query_cache.cached_rows(
            cursor, version, f"{hits}SELECT {self.CANDIDATE_COLUMNS} FROM hits", params
        )

    def _material_counts(
        self, cursor: Any, version: str, found: Sequence[Sequence[Any]]
    ) -> list[tuple[Any, ...]]:
        """The Material facet of the candidates (materials.py), as (facet, value, count) rows."""
        if not found:
            return []
        ids = [int(row[candidates.ID]) for row in found]
        return query_cache.cached_rows(cursor, version, materials.counts_sql(len(ids)), ids)

    def _newest_matches(self, plan: QueryPlan, filters: SearchFilters, limit: int) -> SearchResults:
        """What a search that ran out of time shows: the first `limit` matches of every word
        (of any word when none has them all) in the cheapest order (the highest ids with
        words, the newest without), neither scored nor counted, within a time of their own
        (none when that runs out too)."""
        where, values = self._conditions(filters)
        attempts: list[tuple[str, list[Any]]] = []
        for min_coverage in sorted({len(plan.groups), 1}, reverse=True) if plan.groups else ():
            match = self.text_match(plan.groups, min_coverage, where, values, limit, scored=False)
            attempts.append(
                (f"WITH {match.ctes} SELECT id FROM matched ORDER BY id DESC", match.params)
            )
        if not plan.groups:
            attempts.append(
                (
                    f"SELECT d.product_id FROM {DOCUMENTS} d WHERE {where} "
                    "ORDER BY d.published_at DESC, d.product_id DESC LIMIT %s",
                    [*values, limit],
                )
            )
        ids: tuple[int, ...] = ()
        try:
            with time_bound(FALLBACK_MS), connection.cursor() as cursor:
                for sql, params in attempts:
                    cursor.execute(sql, params)
                    ids = tuple(int(row[0]) for row in cursor.fetchall())
                    if ids:
                        break
        except SearchTimedOut:
            pass
        return SearchResults(
            product_ids=ids, total=len(ids), facets=candidates.facets([]), timed_out=True
        )

    def _count(
        self, cursor: Any, version: str, plan: QueryPlan, filters: SearchFilters
    ) -> list[tuple[Any, ...]]:
        """The facet counts (with the total) of a search without words whose counts are not
        kept (a filter other than a browse page's own)."""
        counted, counted_params = self._hits_sql(plan, filters, 0, scored=False)
        facets_sql = (
            f"{counted}SELECT 'total', '', COUNT(*) FROM hits "
            "UNION ALL SELECT 'sector', sector_code, COUNT(*) FROM hits GROUP BY sector_code "
            "UNION ALL SELECT 'trade', trade_code, COUNT(*) FROM hits GROUP BY trade_code "
            "UNION ALL SELECT 'region', region_code, COUNT(*) FROM hits GROUP BY region_code "
            "UNION ALL SELECT 'price', price_band, COUNT(*) FROM hits GROUP BY price_band "
            f"UNION ALL {materials.facet_sql()}"
        )
        return query_cache.cached_counts(cursor, version, facets_sql, counted_params)
