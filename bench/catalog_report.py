"""The Markdown report of bench/bench_catalog.py, written into docs/benchmarks.md."""

from __future__ import annotations

import argparse
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import machine as machine_facts
from catalog_facts import (
    ARTISANS,
    BENCH_FOLDER,
    DEFAULT_WORKERS,
    FILTERS,
    GENERATION_TARGET_SECONDS,
    PRODUCT_SAMPLE,
    PRODUCTS,
    PROGRESS_LINE,
    QUERIES,
    SEED,
    TARGETS_MS,
)
from loadgen import LoadResult

BENCHMARKS_MD = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START_MARKER = "<!-- bench_catalog: start -->"
END_MARKER = "<!-- bench_catalog: end -->"


# What the profile of the slow pages showed and what was changed for them: measured by hand on
# the SQLite database this script generates (EXPLAIN QUERY PLAN, timed queries in
# `manage.py shell`, the views under Django's test client and cProfile), not by each run.
ANALYSIS = (
    "**Profile and changes** (the databases above, queries timed alone in `manage.py shell`, "
    "plans from EXPLAIN QUERY PLAN and EXPLAIN ANALYZE, views one at a time through Django's "
    "test client in one process (`bench/time_pages.py`), under cProfile for the shares):",
    "",
    "- **What the pages keep.** A listing page (search, browse, shop) keeps its rendered "
    "listing and the rows of its page and facet queries, the product page its breadcrumbs, "
    "photos, artisan card, description, facts and other works, in the cache under the search "
    "index version: a database row given a new token by every change of the catalog that a "
    "page shows (edits, status moves, queued re-indexing, photos, shop profile and badge; "
    "docs/search.md), read once a page. Nothing kept is shown after a change, in any process. "
    "The price in the visitor's currency, the stock and the add-to-cart form are made on "
    "every request. One at a time in one process: a kept search page 2.0 ms (13.3 ms when "
    "only its query rows were kept), a kept product page 3.5 ms (3 queries), a product page "
    "made afresh 8.5 ms (8.8 ms before these changes).",
    "- **Which requests find their page kept.** The cache of `make run` is per process "
    "(locmem, 20,000 entries): each gunicorn worker fills its own. The 64 search URLs, 6 "
    "browse pages and 4 last pages are asked hundreds of times each, so nearly all their "
    "warm requests are kept pages; the cold column is their first request, which searches. "
    "The product pages are 2,000 listings asked about 3 times each in 30 s, so most warm "
    "product requests make the page afresh in the worker that serves them. The variant below "
    "without a cache (`dummy://`) makes every page afresh.",
    "- The “ships to” select of every listing page rendered its 250 countries through "
    "Django's Select widget, one template per option: 43 % of a search page under cProfile. "
    "`core.widgets.LongSelect` writes the same options in Python: a search page with its "
    "query rows kept went from 20.7 ms to 13.3 ms.",
    "- Product cards (search results, other works, home) read only the card's columns and "
    "photos (`catalog.selectors.list_cards`), not the shop and region joined to every row.",
    "- `generate_catalog` writes each listing's search document in the same pass; the FTS5 "
    "index is fed by one `INSERT ... SELECT` per batch of 5,000, its insert trigger dropped "
    "meanwhile: on 190,000 documents 14.8 s, against 42.1 s through the trigger. "
    "`rebuild_search_index` took 131 s for 100,000 listings (about 22 min for a million), so "
    "it is not used.",
    '- Counting the facets: "tapis" (41,560 matches) 169 ms, every work 3.4 s, sector S07 '
    "1.2 s; kept with the page since the first of these runs.",
    "- Without words the `matched` CTE was MATERIALIZED: every document copied, joined and "
    "sorted for each page (every work: first page 1.24 s, a page near the end 0.78 s; sector "
    "S07: 0.71 s and 1.63 s). Not materialised, SQLite walks the `published_at` index: every "
    "work 2-9 ms first or last (keyset `(published_at, id) < (...)`). Migration `search/0007` "
    "(`sector_code` | `trade_code` | `region_code`, `published_at`, `product_id`) took the "
    "first page of sector S07 newest first from 398 ms (a sort of its 193,382 documents) to "
    "0.02 ms.",
    '- A search with words not yet kept scores every match. SQLite: for "tapis" the page '
    'query takes 106 ms, FTS5\'s bm25 of its 41,560 matches alone 40 ms; "ceramic bowl" '
    "(1,712) 29 ms. PostgreSQL computes ts_rank and word_similarity (the typo tolerance) for "
    'every match: for "tapis" (44,135 matches) the backend then joined every match back to '
    "the documents, which read all 1,000,000 of them (EXPLAIN ANALYZE 1.6 s); it now scores "
    "and filters the documents in one pass (a `TextMatch` of the backend): 0.56 s, in a "
    "parallel bitmap heap scan. Scoring a bounded set of candidates would change what ranks "
    "first and is left to the search's owner; these are the cold columns.",
    "- Each web worker keeps its database connection 60 s (`DATABASE_CONN_MAX_AGE`, the "
    "default now; it was 0, a connection per request: the product page's cold p50 was 32 ms "
    "on PostgreSQL, 18 ms on SQLite).",
)


@dataclass(frozen=True, slots=True)
class Generation:
    seconds: float
    peak_mib: float
    output: str
    measured: str
    load_at_start: float


@dataclass(frozen=True, slots=True)
class Measured:
    database: str
    workers: int
    cold: dict[str, LoadResult]
    warm: dict[str, LoadResult]
    last_pages: list[dict[str, Any]]
    load_during: float


def machine(load_at_start: float, postgres_version: str) -> dict[str, str]:
    return {
        **machine_facts.describe(),
        "SQLite": f"{sqlite3.sqlite_version} (WAL, synchronous=NORMAL)",
        "PostgreSQL": postgres_version or "not measured",
        "Load average at start (1 min)": f"{load_at_start:.2f}",
    }


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return "-"
    return f"< {target:.0f} ms: **{'met' if value < target else 'NOT met'}**"


def markdown(
    generations: dict[str, Generation],
    measures: list[Measured],
    load_at_start: float,
    postgres_version: str,
    options: argparse.Namespace,
) -> str:
    lines = [
        START_MARKER,
        "## Catalog at a million listings (`generate_catalog`, search, product and last pages)",
        "",
        "Command: `.venv/bin/python bench/bench_catalog.py"
        + (f" --workers {options.workers}" if options.workers != DEFAULT_WORKERS else "")
        + f" --duration {options.duration:g}`"
        + (
            " (with `--reuse`: the catalogs generated and timed by the script's first run, "
            "at the time given below, measured again)"
            if options.reuse
            else ""
        )
        + ". Per database: a fresh SOUK_VAR_DIR under "
        f"{BENCH_FOLDER} (PostgreSQL: a fresh database `souk_catbench`), `migrate`, "
        f"`collectstatic`, then `manage.py generate_catalog --artisans {ARTISANS} --products "
        f"{PRODUCTS} --seed {SEED}` as its own process (wall time, its own peak RSS). Then "
        "gunicorn as `scripts/serve.sh` starts it (`souk.wsgi:application`, "
        f"`--workers {options.workers}` sync workers, DEBUG off, SOUK_SANDBOX=1, the default "
        "per-process locmem cache and `DATABASE_CONN_MAX_AGE` of 60 s) on a free port, and "
        "`bench/loadgen.py` "
        f"({options.clients} threads, each its own `http.client` connection, closed loop; the "
        "load generator runs on the same 2 cores) requests one page type at a time for "
        f"{options.duration:g} s. Every page is first requested once, one at a time (cold "
        "column: p50 / max of that pass; the last pages were requested once before it, to "
        "check that they are the last).",
        "",
        "Pages: **search** = "
        f"{len(QUERIES)} queries in the four languages ({', '.join(w for _, w in QUERIES[:6])}, "
        "...), each alone, with a region, a price range and in-stock only "
        f"({len(QUERIES) * len(FILTERS)} URLs); **browse** = all works and sector and region "
        "pages without words (newest first); **product** = "
        f"{PRODUCT_SAMPLE:,} random visible listings, in the four languages; **last page** = the "
        "last page of: "
        + "; ".join(f"{page['label']} ({page['total']:,} works)" for page in measures[0].last_pages)
        + ", reached by a keyset cursor (`after=`), no OFFSET. Every answer is checked: "
        '"not 200" counts the others.',
        "",
        "| machine | |",
        "|---|---|",
        *[
            f"| {name} | {value} |"
            for name, value in machine(load_at_start, postgres_version).items()
        ],
        f"| measured | {time.strftime('%Y-%m-%d')} |",
        "",
        "| database | artisans | listings | generate_catalog | peak RSS | generated at | "
        "target < 15 min |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for database, generation in generations.items():
        target = "met" if generation.seconds < GENERATION_TARGET_SECONDS else "NOT met"
        lines.append(
            f"| {database} | {ARTISANS:,} | {PRODUCTS:,} | {generation.seconds / 60:.1f} min "
            f"({generation.seconds:.0f} s) | {generation.peak_mib:.0f} MiB | "
            f"{generation.measured} | "
            f"{'**' + target + '**' if database == 'SQLite' else '- (' + target + ')'} |"
        )
    lines += [""]
    for database, generation in generations.items():
        lines.append(
            f"{database} generation (load average {generation.load_at_start:.1f} at its start): "
            + " ".join(
                line.strip()
                for line in generation.output.splitlines()
                if not PROGRESS_LINE.fullmatch(line.strip())
            )
        )
        lines.append("")
    lines += results_table(measures)
    lines += [
        "",
        "Highest 1-minute load average seen during the measured runs: "
        + ", ".join(f"{m.database} {m.load_during:.1f}" for m in measures)
        + ".",
        "",
        *ANALYSIS,
        *closed_loop_note(measures, options.clients),
        END_MARKER,
    ]
    return "\n".join(lines)


def closed_loop_note(measures: list[Measured], clients: int) -> list[str]:
    """Why latency under load is what it is: Little's law on the measured throughput."""
    parts = []
    for measured in measures:
        product = measured.warm["product"]
        if product.requests_per_second:
            parts.append(
                f"{measured.database} {product.requests_per_second:.0f} pages/s, "
                f"so {clients} / {product.requests_per_second:.0f} = "
                f"{clients / product.requests_per_second * 1000:.0f} ms"
            )
    return [
        f"- With {clients} clients in a closed loop on 2 cores (shared with the load generator) "
        "a request waits for the others: mean latency is about clients / throughput (product "
        "page: " + "; ".join(parts) + ").",
    ]


def markers(variant: str) -> tuple[str, str]:
    if not variant:
        return START_MARKER, END_MARKER
    return f"<!-- bench_catalog {variant}: start -->", f"<!-- bench_catalog {variant}: end -->"


def results_table(measures: list[Measured]) -> list[str]:
    lines = [
        "| database | page | requests | not 200 | cold p50 / max | p50 | p95 | p99 | req/s | "
        "p95 target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for measured in measures:
        for kind, result in measured.warm.items():
            cold = measured.cold[kind]
            p95 = result.percentile_ms(95)
            lines.append(
                f"| {measured.database} | {kind} | {result.requests:,} | {result.errors} | "
                f"{cold.percentile_ms(50):.0f} / {cold.percentile_ms(100):.0f} ms | "
                f"{result.percentile_ms(50):.0f} ms | {p95:.0f} ms | "
                f"{result.percentile_ms(99):.0f} ms | {result.requests_per_second:.1f} | "
                f"{verdict(p95, TARGETS_MS[kind])} |"
            )
    return lines


def variant_markdown(
    measures: list[Measured], load_at_start: float, options: argparse.Namespace
) -> str:
    """A variant of the measurements (another cache, another worker count): results only."""
    start, end = markers(options.variant)
    command = " ".join(
        part
        for part in (
            ".venv/bin/python bench/bench_catalog.py --reuse",
            f"--databases {options.databases}",
            f"--workers {options.workers}" if options.workers != DEFAULT_WORKERS else "",
            f"--cache-url {options.cache_url}" if options.cache_url else "",
            f"--duration {options.duration:g}",
            f"--variant {options.variant}",
        )
        if part
    )
    return "\n".join(
        [
            start,
            f"### Variant: {options.variant}",
            "",
            f"Command: `{command}`: the catalogs and pages above, the server started the same "
            "way with "
            + (f"CACHE_URL={options.cache_url}" if options.cache_url else "the locmem cache")
            + f" and {options.workers} workers. Load average at start {load_at_start:.2f}, "
            "highest during the runs "
            + ", ".join(f"{m.database} {m.load_during:.1f}" for m in measures)
            + f"; measured {time.strftime('%Y-%m-%d %H:%M')}.",
            "",
            *results_table(measures),
            end,
        ]
    )


def write_benchmarks(section: str, *, variant: str = "") -> None:
    start, end = markers(variant)
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else ""
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    elif variant and END_MARKER in text:
        # After the main section.
        before, after = text.split(END_MARKER, 1)
        text = before + END_MARKER + "\n\n" + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    BENCHMARKS_MD.write_text(text, encoding="utf-8")
