"""Where the time of an uncached search page goes, per URL of bench/search_uncached.py: the
query analysis (vocabulary reads), the facet counts, the page of ids, the rest of the SQL
(products, photos, names) and Python (analysis, templates). In one process, through Django's
test client with CACHE_URL=dummy:// (nothing kept), each URL once, one at a time.

    SOUK_SANDBOX=1 SOUK_VAR_DIR=DIR DATABASE_URL=... CACHE_URL=dummy:// DEBUG=0 \\
        .venv/bin/python bench/search_profile.py [--kinds word,typo] [--top 20] [--explain] \\
        [--currency EUR]

`--currency EUR`: the pages as a visitor who chose euros reads them (a rate of the day is
written into the database when it has none: a scratch catalogue only).

Prints the slowest URLs with their parts, and the p50/p95 of each part: "cpu" is the process
time of the request, "sql cpu" its share inside database calls (SQLite's engine runs in the
process), "py cpu" the rest (query analysis, ORM, templates). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from uncached_queries import targets  # noqa: E402

from souk.core.middleware import SESSION_CURRENCY_KEY  # noqa: E402
from souk.core.models import ExchangeRate  # noqa: E402


def part_of(sql: str) -> str:
    if "search_searchterm" in sql:
        return "vocabulary"
    if "UNION ALL SELECT 'sector'" in sql:
        return "facets"
    if "FROM hits" in sql:
        return "page"
    if "search_keptcount" in sql:
        return "kept counts"
    if "matched" in sql:
        return "fallback"
    return "other sql"


_CPU_PARTS = {"cpu", "sql cpu"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", default="")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--currency", default="MAD")
    options = parser.parse_args()
    chosen = [t for t in targets() if not options.kinds or t.kind in options.kinds.split(",")]
    if options.limit:
        chosen = chosen[: options.limit]
    client = Client(HTTP_HOST="127.0.0.1")
    if options.currency != "MAD":
        ExchangeRate.objects.get_or_create(
            date=timezone.localdate(),
            currency=options.currency,
            defaults={"mad_per_unit": Decimal("10.85")},
        )
        session = client.session
        session[SESSION_CURRENCY_KEY] = options.currency
        session.save()
    for path in ("/fr/", "/fr/search/?q=zellige", "/en/search/?q=lether"):
        client.get(path)
    rows: list[tuple[str, str, float, dict[str, float]]] = []
    parts: dict[str, float] = defaultdict(float)

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        cpu_start = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            parts[part_of(sql)] += (time.perf_counter() - start) * 1000
            parts["sql cpu"] += (time.process_time() - cpu_start) * 1000

    with connection.execute_wrapper(timer):
        for target in chosen:
            parts.clear()
            start = time.perf_counter()
            cpu = time.process_time()
            response = client.get(target.path)
            total = (time.perf_counter() - start) * 1000
            parts["cpu"] = (time.process_time() - cpu) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{target.path}: {response.status_code}")
            found = dict(parts)
            found["python"] = total - sum(v for k, v in found.items() if k not in _CPU_PARTS)
            # CPU outside the database calls (on SQLite the engine runs in this process: its
            # share is in "sql cpu"); steadier than "python" on a loaded machine.
            found["py cpu"] = found["cpu"] - found.get("sql cpu", 0.0)
            rows.append((target.kind, target.path, total, found))
    names = [
        "vocabulary",
        "facets",
        "page",
        "kept counts",
        "fallback",
        "other sql",
        "python",
        "cpu",
        "sql cpu",
        "py cpu",
    ]
    print(f"{'kind':14} {'total':>7} " + " ".join(f"{n[:9]:>9}" for n in names) + "  path")
    for kind, path, total, found in sorted(rows, key=lambda r: -r[2])[: options.top]:
        print(
            f"{kind:14} {total:7.1f} "
            + " ".join(f"{found.get(n, 0):9.1f}" for n in names)
            + f"  {path}"
        )
    for kinds_name, wanted in (("search", False), ("browse", True)):
        chosen_rows = [r for r in rows if (r[0] in {"sector", "all works", "region"}) == wanted]
        if not chosen_rows:
            continue
        totals = [r[2] for r in chosen_rows]
        print(
            f"{kinds_name}: n={len(totals)} p50 {statistics.median(totals):.1f} "
            f"p95 {percentile(totals, 0.95):.1f} max {max(totals):.1f}"
        )
        for name in names:
            values = [r[3].get(name, 0.0) for r in chosen_rows]
            print(
                f"   {name:12} p50 {statistics.median(values):6.1f} "
                f"p95 {percentile(values, 0.95):6.1f} max {max(values):6.1f}"
            )


if __name__ == "__main__":
    main()
