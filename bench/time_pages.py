"""Time the search and product pages one at a time, inside one process (Django's test client):
what a page costs without the HTTP server, the other clients or the load generator.

Run against a catalog that bench_catalog.py generated (kept with --reuse):
  DATABASE_URL=sqlite:////tmp/catbench/bench-sqlite/souk.sqlite3 \\
    .venv/bin/python bench/time_pages.py [--page search|product] [--requests N]
Every page is asked once first; then N requests in turn are timed, so with the default cache
they are pages kept in the cache. With CACHE_URL=dummy:// every page is made afresh.
Prints the mean, p50 and p95 in milliseconds; writes nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from catalog_facts import FILTERS, QUERIES  # noqa: E402  (the bench folder is not a package)

PRODUCT_SAMPLE = 200
LANGUAGES = ("fr", "ar", "en", "es")


def page_paths(page: str) -> list[str]:
    from django.db import connection

    from souk.catalog.models import Product

    if page == "search":
        return [
            f"/{language}/search/?q={urllib.parse.quote(words)}" + (f"&{extra}" if extra else "")
            for language, words in QUERIES
            for extra in FILTERS
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM catalog_product WHERE status = 'active' ORDER BY random() LIMIT %s",
            [PRODUCT_SAMPLE],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return [
        f"/{LANGUAGES[n % 4]}/products/{product.pk}-{product.slug}/"
        for n, product in enumerate(Product.objects.filter(pk__in=ids))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=("search", "product"), default="search")
    parser.add_argument("--requests", type=int, default=500)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")
    os.environ.setdefault("SOUK_SANDBOX", "1")
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    paths = page_paths(options.page)
    for path in paths:
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
    seconds = []
    for n in range(options.requests):
        started = time.perf_counter()
        client.get(paths[n % len(paths)])
        seconds.append(time.perf_counter() - started)
    milliseconds = sorted(value * 1000 for value in seconds)
    print(
        f"{options.page}: {options.requests} requests over {len(paths)} pages, "
        f"mean {statistics.fmean(milliseconds):.1f} ms, "
        f"p50 {milliseconds[len(milliseconds) // 2]:.1f} ms, "
        f"p95 {milliseconds[int(len(milliseconds) * 0.95)]:.1f} ms"
    )


if __name__ == "__main__":
    main()
