"""Judge the search on a set of buyer queries: success@5, precision@5 and zero-result pages per
language, and the server time of each search with nothing cached.

Run from a repository root against the database its settings point at (SOUK_VAR_DIR or
DATABASE_URL), after `generate_catalog` or `seed_demo`:

    SOUK_SANDBOX=1 SOUK_VAR_DIR=/tmp/q .venv/bin/python bench/search_quality.py --label sqlite

Queries and their rules are in bench/search_queries.tsv (its header says the rule language).
A rule says which listings are relevant from their own data (trade, sector, region, materials,
and the generator's words for a piece or a colour in each title's language), never through
the search's analysis. Each query goes through the page's own parameter parsing (SearchForm)
and selector (search_products) with the cache emptied first. Only queries that have relevant
listings in the catalog count in success@5 and precision@5; a zero-result page among them is a
"zero" (the catalog held what was asked). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

import machine as machine_facts  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from souk.catalog import selectors as catalog  # noqa: E402
from souk.core.text import normalize_text  # noqa: E402
from souk.demo.synthetic.catalog.vocabulary import COLOURS, SECTORS  # noqa: E402
from souk.search.forms import SearchForm  # noqa: E402
from souk.search.selectors import search_products  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "search_queries.tsv"
LANGUAGE_INDEX = {"fr": 0, "ar": 1, "en": 2, "es": 3}
TITLE_FIELDS = ("title_fr", "title_ar", "title_en", "title_es")
TOP = 5


@dataclass(frozen=True, slots=True)
class Listing:
    id: int
    trade: str
    sector: str
    region: str
    materials: str
    # Normalised titles, in the order fr, ar, en, es, padded with spaces for word matching.
    titles: tuple[str, str, str, str]


def _words_of(french: str, table: Iterable[tuple[str, str, str, str]]) -> list[tuple[str, ...]]:
    return [
        tuple(f" {normalize_text(word)} " for word in words)
        for words in table
        if words[0] == french
    ]


def _pieces(french: str) -> list[tuple[str, ...]]:
    return _words_of(
        french, (piece.words for sector in SECTORS.values() for piece in sector.pieces)
    )


def _term(term: str) -> Callable[[Listing], bool]:
    name, _sep, value = term.strip().partition(":")
    if name == "sector":
        return lambda listing: listing.sector == value
    if name == "trade":
        return lambda listing: listing.trade == value
    if name == "region":
        return lambda listing: listing.region == value
    if name == "mat":
        wanted = f" {normalize_text(value)} "
        return lambda listing: wanted in listing.materials
    if name in ("piece", "colour"):
        variants = _pieces(value) if name == "piece" else _words_of(value, COLOURS)
        if not variants:
            raise ValueError(f"no such {name}: {value}")
        return lambda listing: any(
            words[index] in listing.titles[index]
            for words in variants
            for index in range(4)
            if listing.titles[index].strip()
        )
    raise ValueError(f"unknown rule term: {term}")


def rule(text: str) -> Callable[[Listing], bool]:
    """`a|b & c`: (a or b) and c."""
    clauses = [[_term(term) for term in clause.split("|")] for clause in text.split(" & ")]
    return lambda listing: all(any(term(listing) for term in clause) for clause in clauses)


def _padded(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", normalize_text(text))) + " "


def load_listings() -> list[Listing]:
    rows = (
        catalog.list_visible_products()
        .order_by()
        .values_list("pk", "trade_id", "trade__sector_id", "region_id", "materials", *TITLE_FIELDS)
    )
    return [
        Listing(pk, trade, sector, region, _padded(materials), tuple(_padded(t) for t in titles))  # type: ignore[arg-type]
        for pk, trade, sector, region, materials, *titles in rows.iterator(chunk_size=5000)
    ]


@dataclass
class Judged:
    kind: str
    language: str
    query: str
    parameters: str
    relevant: int
    total: int
    hits_in_top: int
    success: bool
    milliseconds: float


def run(listings: list[Listing]) -> list[Judged]:
    with QUERIES.open(encoding="utf-8", newline="") as file:
        rows = [
            row
            for row in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row and not row[0].startswith("#") and row[0] != "kind"
        ]
    judged = []
    for kind, language, query, parameters, rule_text in rows:
        is_relevant = rule(rule_text)
        relevant = {listing.id for listing in listings if is_relevant(listing)}
        data = QueryDict(mutable=True)
        data.update(QueryDict(parameters))
        data["q"] = query
        form = SearchForm(data)
        cache.clear()
        started = time.perf_counter()
        page = search_products(query=form.query(), filters=form.filters(), sort=form.chosen_sort())
        elapsed = (time.perf_counter() - started) * 1000
        top = [product.pk for product in page.products[:TOP]]
        hits = sum(1 for pk in top if pk in relevant)
        judged.append(
            Judged(
                kind,
                language,
                query,
                parameters,
                len(relevant),
                page.total,
                hits,
                hits > 0,
                elapsed,
            )
        )
    return judged


def summary(judged: list[Judged]) -> dict[str, Any]:
    by_language: dict[str, list[Judged]] = defaultdict(list)
    for item in judged:
        if item.relevant:
            by_language[item.language].append(item)
            by_language["all"].append(item)
    table = {}
    for language, items in sorted(by_language.items()):
        table[language] = {
            "judged": len(items),
            "success_at_5": sum(item.success for item in items) / len(items),
            "precision_at_5": sum(item.hits_in_top for item in items) / (TOP * len(items)),
            "zero_result": sum(item.total == 0 for item in items),
        }
    times = sorted(item.milliseconds for item in judged)
    return {
        "languages": table,
        "queries": len(judged),
        "without_relevant": sum(1 for item in judged if not item.relevant),
        "ms_p50": statistics.median(times),
        "ms_p95": times[max(0, int(len(times) * 0.95) - 1)],
        "ms_max": times[-1],
        "failures": [
            f"{item.kind} {item.language} {item.query!r} {item.parameters}".strip()
            for item in judged
            if item.relevant and not item.success
        ],
    }


def markdown(label: str, listings: int, result: dict[str, Any]) -> str:
    lines = [
        f"**{label}** ({listings:,} listings, {connection.vendor}): "
        f"{result['queries']} queries, {result['without_relevant']} without a relevant listing "
        f"in this catalog; search time with nothing cached p50 {result['ms_p50']:.0f} ms, "
        f"p95 {result['ms_p95']:.0f} ms, max {result['ms_max']:.0f} ms.",
        "",
        "| language | judged | success@5 | precision@5 | zero-result pages |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for language, row in result["languages"].items():
        lines.append(
            f"| {language} | {row['judged']} | {row['success_at_5']:.1%} | "
            f"{row['precision_at_5']:.1%} | {row['zero_result']} |"
        )
    if result["failures"]:
        lines += ["", "Without a relevant work in the top 5: " + "; ".join(result["failures"])]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="catalog")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    listings = load_listings()
    judged = run(listings)
    result = summary(judged)
    result["machine"] = machine_facts.describe()
    print(markdown(options.label, len(listings), result))
    print("\nMachine: " + ", ".join(f"{k} {v}" for k, v in result["machine"].items()))
    if options.json:
        options.json.write_text(
            json.dumps({"summary": result, "judged": [asdict(item) for item in judged]}, indent=1)
        )


if __name__ == "__main__":
    main()
