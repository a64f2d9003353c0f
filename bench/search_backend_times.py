"""The search backend alone, per never-seen query of bench/uncached_queries.py: its wall time,
its SQL statements and whether it ran out of time (then the answer is the fallback's newest
matches). One process, one query at a time, nothing kept (CACHE_URL=dummy://), the analysis
(and correction) done before the clock starts. Run it on one code and on another in the same
minutes to compare them (the machine is shared: wall times are noisy).

    SOUK_SANDBOX=1 SOUK_VAR_DIR=DIR DATABASE_URL=... CACHE_URL=dummy:// DEBUG=0 \\
        .venv/bin/python bench/search_backend_times.py [--kinds word,typo] [--top 10] \\
        [--explain QUERY]

`--buffers`: instead of wall times, the shared buffers (hit + read) of the candidates queries
of each search, executed without the time bound (EXPLAIN ANALYZE, PostgreSQL): their work,
which the machine's load does not change. `--explain QUERY`: print EXPLAIN (ANALYZE, BUFFERS)
of the candidates queries of QUERY (PostgreSQL) instead. Not part of `make test`.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from uncached_queries import make_queries  # noqa: E402

from souk.search.backends import get_backend  # noqa: E402
from souk.search.backends.base import SearchFilters, Sort  # noqa: E402
from souk.search.query import analyse_query  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def candidate_statements(words: str) -> list[tuple[str, Any]]:
    """The statements of a search that find its candidates (those with `matched`)."""
    plan = analyse_query(words)
    statements: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        get_backend().search(plan, SearchFilters(), 24, None, Sort.RELEVANCE)
    return [(sql, params) for sql, params in statements if "matched AS" in sql]


def buffers(words: str) -> int:
    """The shared buffers (hit and read) the candidates queries of a search touch, executed
    without a time bound: a measure of their work that the machine's load does not change."""
    total = 0
    with connection.cursor() as cursor:
        for name, value in getattr(get_backend(), "PLANNER_WITH_WORDS", {}).items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        for sql, params in candidate_statements(words):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            found = cursor.fetchone()[0]
            plan = (found if isinstance(found, list) else json.loads(found))[0]["Plan"]
            total += plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
    return total


def explain(words: str) -> None:
    statements = candidate_statements(words)
    with connection.cursor() as cursor:
        for name, value in getattr(get_backend(), "PLANNER_WITH_WORDS", {}).items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))
            print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default="")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--explain", default="")
    parser.add_argument(
        "--buffers", action="store_true", help="shared buffers of the candidates queries"
    )
    args = parser.parse_args()
    if args.explain:
        explain(args.explain)
        return
    kinds = set(filter(None, args.kinds.split(",")))
    backend = get_backend()
    times: dict[str, list[float]] = defaultdict(list)
    rows: list[tuple[float, str, str, int, bool]] = []
    for kind, _language, words in make_queries():
        if kinds and kind not in kinds:
            continue
        if args.buffers:
            touched = buffers(words)
            times[kind].append(touched)
            times["all"].append(touched)
            rows.append((touched, kind, words, 0, False))
            continue
        plan = analyse_query(words)
        count = 0

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            results = backend.search(plan, SearchFilters(), 24, None, Sort.RELEVANCE)
            elapsed = (time.perf_counter() - start) * 1000
        times[kind].append(elapsed)
        times["all"].append(elapsed)
        rows.append((elapsed, kind, words, count, results.timed_out))
    print("buffers" if args.buffers else "milliseconds")
    print(f"{'kind':<16}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}{'timed out':>11}")
    for kind, values in sorted(times.items()):
        out = sum(1 for r in rows if r[4] and (kind == "all" or r[1] == kind))
        print(
            f"{kind:<16}{len(values):>5}{statistics.median(values):>8.0f}"
            f"{percentile(values, 0.95):>8.0f}{max(values):>8.0f}{out:>11}"
        )
    print("slowest:")
    for elapsed, kind, words, count, timed_out in sorted(rows, reverse=True)[: args.top]:
        print(f"  {elapsed:7.0f} ms {kind:<15} {words!r} statements={count} timed_out={timed_out}")


if __name__ == "__main__":
    main()
