"""What one product page costs when rendered for the first time: its SQL statements, each
with its time, then a cProfile of --renders such renders (distinct listings) sorted by own time.

    SOUK_SANDBOX=1 SOUK_VAR_DIR=DIR DATABASE_URL=... CACHE_URL=dummy:// DEBUG=0 \\
        .venv/bin/python bench/product_page_profile.py [CODE_ROOT] [--renders 50] [--top 40]

CODE_ROOT (default: this checkout) is the checkout whose `souk` is measured. With
CACHE_URL=dummy:// nothing is kept, so every render is a first render. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--language", default="fr")
    options = parser.parse_args()
    sys.path.insert(0, options.root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from souk.catalog.models import Product

    products = list(Product.objects.filter(status="active").order_by("pk")[: options.renders + 2])
    paths = [f"/{options.language}/products/{p.pk}-{p.slug}/" for p in products]
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(paths[0])  # imports, template loading, URL resolver: not a first render's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(paths[1])
    if response.status_code != 200:
        raise SystemExit(f"{paths[1]} answered {response.status_code}")
    print(f"{len(queries)} SQL statements for {paths[1]}:")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:300]}")
    profile = cProfile.Profile()
    profile.enable()
    for path in paths[2:]:
        client.get(path)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(options.top)
    stats.sort_stats("cumulative").print_stats(options.top * 2)
    print(out.getvalue())


if __name__ == "__main__":
    main()
