"""The tantivy side of bench/search_engines.py: the index of the search documents and the
search (ids in order, total, facets) over it, as far as the comparison needs.

The documents' analysed text is indexed as it is stored (space-separated tokens of
souk.search.analysis), so tantivy's own analysers are not used: both engines see the same
tokens. Not part of the application: nothing outside bench/ imports it.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

FIELDS = (
    "product_id, title_text, body_text, materials_text, sector_code, trade_code, region_code, "
    "price_amount, is_in_stock, is_made_to_order, ships_to_ma, ships_to_eu, ships_to_us, "
    "ships_to_world, published_at"
)
FLAGS = (
    "is_in_stock",
    "is_made_to_order",
    "ships_to_ma",
    "ships_to_eu",
    "ships_to_us",
    "ships_to_world",
)
# Titles weigh ten times the rest, as FTS5's bm25 weights of the SQLite backend.
TITLE_BOOST = 10.0
PAGE = 24


# --- Building the index ----------------------------------------------------------------------


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("product_id", indexed=True, fast=True)
    for name in ("title", "body"):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("materials", tokenizer_name="whitespace", index_option="basic")
    for name in ("sector", "trade", "region"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("price", indexed=True, fast=True)
    for name in FLAGS:
        builder.add_boolean_field(name, indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    return builder.build()


def _epoch(value: str) -> int:
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return int(moment.timestamp())


def build(sqlite_path: Path, folder: Path, threads: int) -> dict[str, Any]:
    """The index of every search document; its build time, size and document count."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    index = tantivy.Index(schema(), path=str(folder))
    started = time.perf_counter()
    writer = index.writer(heap_size=400_000_000, num_threads=threads)
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    count = 0
    for row in source.execute(f"SELECT {FIELDS} FROM search_searchdocument"):  # noqa: S608
        product_id, title, body, materials, sector, trade, region, price, *rest = row
        *flags, published = rest
        document = tantivy.Document()
        document.add_integer("product_id", product_id)
        document.add_text("title", title)
        document.add_text("body", body)
        document.add_text("materials", materials)
        document.add_text("sector", sector)
        document.add_text("trade", trade)
        document.add_text("region", region)
        document.add_integer("price", price)
        for name, flag in zip(FLAGS, flags, strict=True):
            document.add_boolean(name, bool(flag))
        document.add_integer("published", _epoch(published))
        writer.add_document(document)
        count += 1
        if count % 200_000 == 0:
            print(f"  {count:,} documents", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    facts = {"documents": count, "seconds": seconds, "bytes": size, "threads": threads}
    (folder.parent / "tantivy-build.json").write_text(json.dumps(facts), encoding="utf-8")
    return facts


# --- Searching -------------------------------------------------------------------------------


@dataclass(slots=True)
class Answer:
    ids: list[int]
    total: int | None
    facets: dict[str, Any] = field(default_factory=dict)


class Tantivy:
    """The SearchBackend's search, on the tantivy index (enough of it for the comparison)."""

    def __init__(self, folder: Path) -> None:
        self.index = tantivy.Index.open(str(folder))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _term(self, name: str, token: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, name, token)

    def _group(self, group: Any) -> tantivy.Query:
        """Any token of a query group, in the title (weighing TITLE_BOOST) or the body."""
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for token in group.exact:
            parts.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(self._term("title", token), TITLE_BOOST),
                )
            )
            parts.append((tantivy.Occur.Should, self._term("body", token)))
        for prefix in group.prefixes:
            # Tokens are letters and digits only: nothing to escape in the pattern.
            for name in ("title", "body"):
                regex = tantivy.Query.regex_query(self.schema, name, f"{prefix}.*")
                parts.append((tantivy.Occur.Should, regex))
        return tantivy.Query.boolean_query(parts)

    def _filters(self, filters: Any) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        from souk.search.backends.base import Availability
        from souk.search.backends.sql import SHIPS_TO_COLUMNS
        from souk.search.query import analyse_query

        must = tantivy.Occur.Must
        found = [
            (must, self._term(name, value))
            for name, value in (
                ("sector", filters.sector_code),
                ("trade", filters.trade_code),
                ("region", filters.region_code),
            )
            if value
        ]
        if filters.min_price_amount is not None or filters.max_price_amount is not None:
            found.append(
                (
                    must,
                    tantivy.Query.range_query(
                        self.schema,
                        "price",
                        tantivy.FieldType.Integer,
                        filters.min_price_amount,
                        filters.max_price_amount,
                        include_upper=False,
                    ),
                )
            )
        if filters.availability == Availability.IN_STOCK:
            found.append((must, self._term("is_in_stock", True)))
        elif filters.availability == Availability.MADE_TO_ORDER:
            found.append((must, self._term("is_made_to_order", True)))
        if filters.ships_to_zone in SHIPS_TO_COLUMNS:
            found.append((must, self._term(SHIPS_TO_COLUMNS[filters.ships_to_zone], True)))
        for group in analyse_query(filters.material, correct=False).groups:
            alternatives = [(tantivy.Occur.Should, self._term("materials", t)) for t in group.exact]
            if len(group.words) == 1 and len(group.words[0]) >= 3:
                pattern = f"{re.escape(group.words[0])}.*"
                regex = tantivy.Query.regex_query(self.schema, "materials", pattern)
                alternatives.append((tantivy.Occur.Should, regex))
            found.append((must, tantivy.Query.boolean_query(alternatives)))
        return found

    def query(self, plan: Any, filters: Any, *, coverage: int | None = None) -> tantivy.Query:
        parts = self._filters(filters)
        if not plan.groups:
            parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        elif coverage is None:
            parts += [(tantivy.Occur.Must, self._group(group)) for group in plan.groups]
        else:
            groups = [(tantivy.Occur.Should, self._group(group)) for group in plan.groups]
            parts.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.boolean_query(groups, minimum_number_should_match=coverage),
                )
            )
        return tantivy.Query.boolean_query(parts)

    def _top(self, query: tantivy.Query, sort: str, limit: int) -> list[int]:
        from souk.search.backends.base import Sort

        order = {
            Sort.NEWEST: ("published", tantivy.Order.Desc),
            Sort.PRICE_ASCENDING: ("price", tantivy.Order.Asc),
            Sort.PRICE_DESCENDING: ("price", tantivy.Order.Desc),
        }
        if sort in order:
            name, direction = order[sort]
            result = self.searcher.search(
                query, limit, count=False, order_by_field=name, order=direction
            )
        else:
            result = self.searcher.search(query, limit, count=False)
        addresses = [address for _key, address in result.hits]
        return [int(v) for v in self.searcher.fast_field_values("product_id", addresses)]  # type: ignore[arg-type]

    def facets(self, query: tantivy.Query) -> tuple[int, dict[str, Any]]:
        from souk.search.backends.base import CENTIMES_PER_MAD, PRICE_BANDS

        ranges = [
            {
                **({"from": low * CENTIMES_PER_MAD} if low else {}),
                **({"to": high * CENTIMES_PER_MAD} if high is not None else {}),
            }
            for low, high in PRICE_BANDS
        ]
        found = self.searcher.aggregate(
            query,
            {
                "sector": {"terms": {"field": "sector", "size": 100}},
                "trade": {"terms": {"field": "trade", "size": 1000}},
                "region": {"terms": {"field": "region", "size": 100}},
                "price": {"range": {"field": "price", "ranges": ranges}},
            },
        )
        sectors = found["sector"]
        total = sum(b["doc_count"] for b in sectors["buckets"]) + sectors["sum_other_doc_count"]
        return int(total), found

    def search(self, plan: Any, filters: Any, sort: str, *, facets: bool) -> Answer:
        query = self.query(plan, filters)
        if not facets:
            return Answer(self._top(query, sort, PAGE + 1), None)
        total, counts = self.facets(query)
        if total == 0 and len(plan.groups) > 1:
            # As ours: no work has every word; those with the most come first (here: at least
            # one word, ranked by the sum of their BM25 scores, not by the count of words).
            query = self.query(plan, filters, coverage=1)
            total, counts = self.facets(query)
        return Answer(self._top(query, sort, PAGE + 1), total, counts)
