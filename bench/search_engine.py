"""The search engine alone on the searches of bench/search_uncached.py (its 300 words, no
browse pages): per search the backend's `search` (first page, relevance, no filter), its CPU
time, and the wall time of its statements by kind: the candidates (`FROM hits`), the term
statistics (SQLite: the kept numbers of documents and FTS5's totals) and the rest (the
Material facet, the index version). Nothing cached (CACHE_URL=dummy://), one process.

    SOUK_SANDBOX=1 SOUK_VAR_DIR=DIR DATABASE_URL=... CACHE_URL=dummy:// DEBUG=0 \\
        SOUK_SEARCH_TIMEOUT_MS=10000 .venv/bin/python bench/search_engine.py \\
        [--save results.json] [--compare results.json] [--kept-idf-from N]

`--save` writes every search's ids, total, facets and flags; `--compare` reads such a file
(another code's run on the same catalogue) and counts the searches whose results differ.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from uncached_queries import targets  # noqa: E402

from souk.search.backends import get_backend  # noqa: E402
from souk.search.backends.base import SearchFilters  # noqa: E402


def part_of(sql: str) -> str:
    if "FROM hits" in sql:
        return "candidates"
    if "search_term_documents" in sql or "search_fts_data" in sql:
        return "terms"
    return "other"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument(
        "--kept-idf-from",
        type=int,
        default=None,
        help="SQLite: sqlite.KEPT_IDF_FROM for this run (0: every score from the kept "
        "statistics; a huge number: every score from FTS5's bm25)",
    )
    options = parser.parse_args()
    if options.kept_idf_from is not None:
        from souk.search.backends import sqlite

        sqlite.KEPT_IDF_FROM = options.kept_idf_from
    words = []
    for target in targets():
        found = parse_qs(urlsplit(target.path).query).get("q")
        if found and found[0] not in words:
            words.append(found[0])
    backend = get_backend()
    backend.search("zellige", SearchFilters(), 24, None)
    parts: dict[str, float] = defaultdict(float)
    rows: list[dict[str, float]] = []
    results: dict[str, Any] = {}

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            parts[part_of(sql)] += (time.perf_counter() - start) * 1000

    with connection.execute_wrapper(timer):
        for query in words:
            parts.clear()
            cpu = time.process_time()
            start = time.perf_counter()
            result = backend.search(query, SearchFilters(), 24, None)
            rows.append(
                {
                    **parts,
                    "total": (time.perf_counter() - start) * 1000,
                    "cpu": (time.process_time() - cpu) * 1000,
                }
            )
            results[query] = {
                "ids": list(result.product_ids),
                "total": result.total,
                "facets": {k: [[f.value, f.count] for f in v] for k, v in result.facets.items()},
                "next": repr(result.next_cursor),
                "flags": [result.partial, result.capped, result.timed_out],
            }
    print(f"searches: {len(rows)}, timed out: {sum(r['flags'][2] for r in results.values())}")
    for name in ("candidates", "terms", "other", "total", "cpu"):
        values = [row.get(name, 0.0) for row in rows]
        print(
            f"{name:10} p50 {statistics.median(values):6.1f}  p95 {percentile(values, 0.95):6.1f}"
            f"  max {max(values):6.1f} ms"
        )
    if options.save:
        options.save.write_text(json.dumps(results, ensure_ascii=False, indent=0))
    if options.compare:
        other = json.loads(options.compare.read_text())
        differing = [query for query in results if results[query] != other.get(query)]
        same_ids = [q for q in differing if results[q]["ids"] == other.get(q, {}).get("ids")]
        print(f"differ from {options.compare}: {len(differing)} ({len(same_ids)} same ids)")
        for query in differing[:10]:
            print(f"  {query!r}")


if __name__ == "__main__":
    main()
