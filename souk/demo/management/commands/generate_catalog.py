"""Fill the database with a synthetic catalog: `generate_catalog --artisans 420000
--products 1000000 --seed 7` (docs/benchmarks.md)."""

from __future__ import annotations

import collections
import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction

from souk.catalog.materials import every_name
from souk.catalog.models import PRODUCT_LANGUAGES, Product
from souk.core.bulk import BulkWriter
from souk.demo.synthetic.catalog.generator import (
    REGISTER_NUMBER_PREFIX,
    Artisan,
    CatalogGenerator,
    Row,
    TradeInfo,
    shop_assignments,
)
from souk.demo.synthetic.register import REGIONS
from souk.registry.models import Region, RegisterEntry, Trade
from souk.search import query_cache, vocabulary
from souk.search import services as search_services
from souk.search.analysis import ANALYSIS_VERSION, analyse_field
from souk.search.backends import kept_counts, materials, sqlite_terms
from souk.search.backends.sql import SHIPS_TO_COLUMNS, document_texts
from souk.search.models import IndexVersion, SearchDocument
from souk.shipping import selectors as shipping
from souk.shops.models import Shop

DEFAULT_UNTIL = date(2025, 12, 31)
DEFAULT_BATCH_SIZE = 5_000
PROGRESS_EVERY_ROWS = 100_000
# SQLite's page cache for this connection (negative: KiB): index pages of a million rows stay
# in memory while they are written, instead of being read back from the file.
SQLITE_CACHE_KIB = 512 * 1024
# The FTS5 table of the search on SQLite and its insert trigger (search migration 0002).
FTS_TABLE = "search_fts"
FTS_INSERT_TRIGGER = "search_fts_after_insert"
# Distinct description fragments worth remembering the normalised words of.
FRAGMENT_CACHE_SIZE = 200_000


def _day(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = (
        "Add a synthetic catalog: --artisans register entries (numbers SYN-0000001...; existing "
        "ones are reused), an approved shop for each, and --products visible listings in "
        "Arabic, French, English and Spanish, with their search documents. Only adds rows; the "
        "same --seed, counts and --until on the same database give the same catalog."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--artisans", type=int, required=True, help="number of artisans")
        parser.add_argument("--products", type=int, required=True, help="number of listings")
        parser.add_argument("--seed", type=int, required=True, help="random seed")
        parser.add_argument(
            "--until",
            type=_day,
            default=DEFAULT_UNTIL,
            help="last publication day, YYYY-MM-DD (default: %(default)s)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="rows written per transaction (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        artisan_count: int = options["artisans"]
        product_count: int = options["products"]
        batch_size: int = options["batch_size"]
        if artisan_count < 1 or product_count < 0 or batch_size < 1:
            raise CommandError(
                "--artisans and --batch-size must be at least 1, --products 0 or more"
            )
        started = time.monotonic()
        # Documents written here are built by this code's analysis: the index is current
        # after, unless it held documents of another analysis before.
        index_was_current = not search_services.is_index_stale() or not (
            SearchDocument.objects.exists()
        )
        trades = {
            trade.code: trade for trade in Trade.objects.filter(sells_goods=True, is_active=True)
        }
        regions = {
            region.code: (region.name_fr, region.name_ar, region.name_en, region.name_es)
            for region in Region.objects.all()
        }
        if not trades or not regions:
            raise CommandError("No trades or regions in the database: run migrate first.")
        generator = CatalogGenerator(
            seed=options["seed"],
            trades=[
                TradeInfo(code=code, sector_code=trade.sector_id, hs_code=trade.default_hs_code)
                for code, trade in sorted(trades.items())
            ],
            region_names=regions,
            until=options["until"],
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        self.timings: dict[str, float] = collections.defaultdict(float)
        artisans, weights, counts = self._write_artisans(generator, artisan_count, batch_size)
        artisans_done = time.monotonic()
        products = self._write_products(
            generator, artisans, weights, product_count, batch_size, options["seed"], trades
        )
        products_done = time.monotonic()
        self._after_bulk_writes()
        if index_was_current:
            IndexVersion.objects.filter(pk=1).update(analysis_version=ANALYSIS_VERSION)
        self.stdout.write(
            f"Register entries: {counts['entries']} created, {counts['reused_entries']} reused. "
            f"Shops: {counts['shops']} created, {counts['reused_shops']} reused. "
            f"Listings: {products} created with their search documents. "
            f"Artisans {artisans_done - started:.1f} s, "
            f"listings {products_done - artisans_done:.1f} s, "
            f"analyse {time.monotonic() - products_done:.1f} s, "
            f"total {time.monotonic() - started:.1f} s."
        )
        if options["verbosity"] > 1:
            for name, seconds in self.timings.items():
                self.stdout.write(f"  {name}: {seconds:.1f} s")

    def _write_artisans(
        self, generator: CatalogGenerator, count: int, batch_size: int
    ) -> tuple[list[Artisan], list[float], dict[str, int]]:
        existing_entries = {
            number: (entry_id, trade_id, region_id, commune)
            for number, entry_id, trade_id, region_id, commune in RegisterEntry.objects.filter(
                register_number__startswith=REGISTER_NUMBER_PREFIX
            ).values_list("register_number", "id", "trade_id", "region_id", "commune")
        }
        existing_shops = dict(
            Shop.objects.filter(
                register_entry__register_number__startswith=REGISTER_NUMBER_PREFIX
            ).values_list("register_entry_id", "id")
        )
        arabic_communes = {
            commune_fr: commune_ar
            for _weight, towns in REGIONS.values()
            for _province, commune_fr, commune_ar in towns
        }
        trade_indexes = {trade.code: index for index, trade in enumerate(generator.trades)}
        next_entry_id = _next_id(RegisterEntry)
        next_shop_id = _next_id(Shop)
        entry_writer = BulkWriter(RegisterEntry, with_primary_key=True)
        shop_writer = BulkWriter(Shop, with_primary_key=True)
        trade_writer = BulkWriter(Shop.trades.through)
        artisans: list[Artisan] = []
        weights: list[float] = []
        counts = {"entries": 0, "reused_entries": 0, "shops": 0, "reused_shops": 0}
        entries: list[Row] = []
        shops: list[Row] = []
        shop_trades: list[Row] = []

        def flush() -> None:
            with transaction.atomic():
                entry_writer.insert(entries)
                shop_writer.insert(shops)
                trade_writer.insert(shop_trades)
            entries.clear()
            shops.clear()
            shop_trades.clear()

        for index in range(count):
            entry, trade_index, region_code, commune_fr, commune_ar = generator.artisan(index)
            known = existing_entries.get(entry["register_number"])
            if known is None:
                entry_id = next_entry_id
                next_entry_id += 1
                entries.append({**entry, "id": entry_id})
                counts["entries"] += 1
            else:
                # A reused entry keeps its own trade and place; its listings follow them.
                entry_id, trade_code, region_code, commune_fr = known
                commune_ar = arabic_communes.get(commune_fr, commune_fr)
                trade_index = trade_indexes.get(trade_code, -1)
                counts["reused_entries"] += 1
            shop = generator.shop(index, entry, shop_id=next_shop_id, entry_id=entry_id)
            weight = generator.shop_weight()
            shop_id = existing_shops.get(entry_id)
            if shop_id is None:
                shop_id = next_shop_id
                next_shop_id += 1
                shop.update(region_id=region_code, workshop_city=commune_fr)
                shops.append(shop)
                shop_trades.append(
                    {"shop_id": shop_id, "trade_id": generator.trades[trade_index].code}
                )
                counts["shops"] += 1
            else:
                counts["reused_shops"] += 1
            artisans.append(Artisan(shop_id, trade_index, region_code, commune_fr, commune_ar))
            # An entry whose trade sells no goods gets no listings.
            weights.append(weight if trade_index >= 0 else 0.0)
            if len(entries) >= batch_size or len(shops) >= batch_size:
                flush()
            if (index + 1) % PROGRESS_EVERY_ROWS == 0:
                self.stderr.write(f"{index + 1:,} artisans")
        flush()
        for model in (RegisterEntry, Shop):
            _reset_sequence(model)
        return artisans, weights, counts

    def _write_products(
        self,
        generator: CatalogGenerator,
        artisans: list[Artisan],
        weights: list[float],
        count: int,
        batch_size: int,
        seed: int,
        trades: dict[str, Trade],
    ) -> int:
        if count == 0 or not any(weights):
            return 0
        product_writer = BulkWriter(Product, with_primary_key=True)
        document_writer = BulkWriter(SearchDocument, with_primary_key=True)
        document_values = _document_values(trades)
        next_id = _next_id(Product)
        written = 0
        assignments = shop_assignments(weights, count, seed=seed)
        with _sqlite_full_text_in_bulk() as index_full_text:
            for start in range(0, count, batch_size):
                written += self._write_product_batch(
                    generator,
                    [artisans[index] for index in assignments[start : start + batch_size]],
                    first_id=next_id + start,
                    writers=(product_writer, document_writer),
                    document_values=document_values,
                    index_full_text=index_full_text,
                )
                if written % PROGRESS_EVERY_ROWS < batch_size:
                    self.stderr.write(f"{written:,} listings")
        _reset_sequence(Product)
        return written

    def _write_product_batch(
        self,
        generator: CatalogGenerator,
        artisans: list[Artisan],
        *,
        first_id: int,
        writers: tuple[BulkWriter, BulkWriter],
        document_values: Callable[[Row], Row],
        index_full_text: Callable[[int, int], None] | None,
    ) -> int:
        product_writer, document_writer = writers
        drawing = time.monotonic()
        rows = [
            generator.product(artisan, product_id=first_id + offset)
            for offset, artisan in enumerate(artisans)
        ]
        documents = [document_values(row) for row in rows]
        began = time.monotonic()
        self.timings["drawing listings and their documents"] += began - drawing
        with transaction.atomic():
            product_writer.insert(rows)
            wrote_products = time.monotonic()
            document_writer.insert(documents)
            vocabulary.record(
                token
                for document in documents
                for column in ("title_text", "body_text")
                for token in str(document[column]).split()
            )
            if index_full_text is not None:
                index_full_text(first_id, first_id + len(rows) - 1)
        self.timings["listing inserts"] += wrote_products - began
        self.timings["document inserts, full-text index, commit"] += (
            time.monotonic() - wrote_products
        )
        return len(rows)

    def _after_bulk_writes(self) -> None:
        """Fresh statistics, so the query planner knows the tables are no longer small; the
        new documents' material rows written and the browse pages' kept counts counted again
        (documents were written in bulk, not through the backend's `index`); a new index
        version, so no search results kept from before are shown."""
        materials.fill()
        sqlite_terms.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        kept_counts.rebuild()
        query_cache.forget()


def _document_values(trades: dict[str, Trade]) -> Callable[[Row], Row]:
    """The search document of a listing row: the columns `build_document` gives, computed
    from the row without making a Product and a SearchDocument per listing.

    Text columns are built by the search's own `document_texts`, each field analysed once per
    distinct text (most titles and many descriptions recur across listings). The command's
    test compares every document of a small catalog with build_document's, column by column,
    so a change there that this misses fails the test.
    """
    analyse = functools.lru_cache(maxsize=FRAGMENT_CACHE_SIZE)(analyse_field)
    reach_rules = shipping.get_reach_rules()

    def values(row: Row) -> Row:
        zones = reach_rules.reachable_zones(
            weight_grams=row["weight_grams"],
            length_mm=row["length_mm"],
            width_mm=row["width_mm"],
            height_mm=row["height_mm"],
        )
        return {
            "product_id": row["id"],
            **document_texts(
                {code: row[f"title_{code}"] for code in PRODUCT_LANGUAGES},
                {code: row[f"description_{code}"] for code in PRODUCT_LANGUAGES},
                materials=f"{every_name(row['material_codes'])} {row['materials']}".strip(),
                techniques=row["techniques"],
                trade_code=row["trade_id"],
                region_code=row["region_id"],
                analyse=analyse,
            ),
            "sector_code": trades[row["trade_id"]].sector_id,
            "trade_code": row["trade_id"],
            "region_code": row["region_id"],
            "shop_id": row["shop_id"],
            "price_amount": row["price_amount"],
            "is_in_stock": row["stock_quantity"] > 0 and not row["is_made_to_order"],
            "is_made_to_order": row["is_made_to_order"],
            **{column: zone in zones for zone, column in SHIPS_TO_COLUMNS.items()},
            "published_at": row["published_at"],
            "updated_at": row["updated_at"],
        }

    return values


@contextlib.contextmanager
def _sqlite_full_text_in_bulk() -> Iterator[Callable[[int, int], None] | None]:
    """On SQLite, index documents in the FTS5 table one batch at a time instead of by its
    insert trigger: one `INSERT ... SELECT` per batch takes a third of the time of a trigger
    run per row (measured, docs/benchmarks.md). The trigger (migration 0002 of the search) is
    dropped meanwhile, with the one counting each token's documents (migration 0013, counted
    again by `_after_bulk_writes`), and created again from its own stored SQL, whatever
    happens; the index stays in step with the documents at every commit. Elsewhere (no FTS5
    table), None."""
    if connection.vendor != "sqlite":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [FTS_INSERT_TRIGGER],
        )
        found = cursor.fetchone()
        if found is None:
            yield None
            return
        # The FTS5 table's columns are named after the document columns it indexes.
        cursor.execute(f"SELECT name FROM pragma_table_info('{FTS_TABLE}')")  # noqa: S608
        columns = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
        cursor.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        # The kept numbers of documents per token too: counted again at the end.
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [sqlite_terms.INSERT_TRIGGER],
        )
        terms_trigger = cursor.fetchone()
        if terms_trigger is not None:
            cursor.execute(f"DROP TRIGGER {sqlite_terms.INSERT_TRIGGER}")
    statement = (
        f"INSERT INTO {FTS_TABLE}(rowid, {columns}) "  # noqa: S608
        f"SELECT product_id, {columns} FROM {SearchDocument._meta.db_table} "
        "WHERE product_id BETWEEN %s AND %s"
    )

    def index_full_text(first_id: int, last_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, [first_id, last_id])

    try:
        yield index_full_text
    finally:
        with connection.cursor() as cursor:
            cursor.execute(found[0])
            if terms_trigger is not None:
                cursor.execute(terms_trigger[0])


def _next_id(model: type[models.Model]) -> int:
    largest = model._default_manager.aggregate(largest=models.Max("pk"))["largest"]
    return int(largest or 0) + 1


def _reset_sequence(model: type[models.Model]) -> None:
    """Rows were written with their ids: move PostgreSQL's sequence past them (SQLite needs
    nothing, its next rowid follows the largest)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
