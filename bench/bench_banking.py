"""Benchmark: the artisan's money page for a shop with N orders over 24 months.

Run: .venv/bin/python bench/bench_banking.py [--orders 10000] [--database-url URL]
Default database: a fresh SQLite file in a temporary folder. The orders' postings (a capture
into escrow and a completion taking the commission, some refunds, one payout a month) go
through the ledger's real `post_entry`, whose `EntryPosted` keeps banking's monthly figures;
their dates are spread over 24 months by replaying the same events with older dates into
`rollups.record_entry` (the subscriber itself). Then the page is fetched 50 times through
Django's test client and the server time is printed (median, 95th percentile, worst) with
the number of queries. Target (issue #18): under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="souk-bench-banking-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="souk.settings",
        SOUK_VAR_DIR=str(workdir),
        SOUK_SANDBOX="1",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=options.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    run(options.orders)


def run(orders: int) -> None:
    import datetime
    from dataclasses import replace

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from souk.banking import rollups
    from souk.core.money import Money
    from souk.ledger import accounting
    from souk.ledger.events import EntryPosted
    from souk.ledger.selectors import list_posted_entries_of_shop
    from souk.shops.tests.factories import make_approved_shop, owner_of

    shop = make_approved_shop()
    started = time.perf_counter()
    now = timezone.now()
    for number in range(orders):
        reference = f"BENCH-{number}"
        parcel = accounting.ParcelAmount(shop.pk, reference, Money(54_000, "MAD"))
        accounting.record_payment_captured(key=f"cap:{number}", gateway="cmi", parcels=[parcel])
        if number % 25 == 0:
            accounting.record_refund(
                key=f"refund:{number}",
                shop_id=shop.pk,
                reference=reference,
                amount=Money(54_000, "MAD"),
                commission_returned=Money(0, "MAD"),
                after_completion=False,
            )
        else:
            accounting.record_sub_order_completed(
                shop_id=shop.pk,
                reference=reference,
                total=Money(54_000, "MAD"),
                commission=Money(4_500, "MAD"),
            )
    posted = time.perf_counter() - started
    # Spread the same postings over 24 months: rebuild the rows from older dates.
    entries: list[EntryPosted] = list_posted_entries_of_shop(shop_id=shop.pk)
    from souk.banking.models import MonthlyCountrySales, MonthlyFigures

    MonthlyFigures.objects.filter(shop=shop).delete()
    MonthlyCountrySales.objects.filter(shop=shop).delete()
    for index, entry in enumerate(entries):
        days = (index * 730) // len(entries)
        rollups.record_entry(
            replace(entry, posted_at=now - datetime.timedelta(days=days)), only_shop=shop.pk
        )
    client = Client()
    client.force_login(owner_of(shop))
    client.get("/fr/banking/")
    timings = []
    for _attempt in range(50):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get("/fr/banking/")
            timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"The money page answered {response.status_code}.")
    timings.sort()
    print("| orders | postings (s) | median | p95 | worst | queries |")
    print(
        f"| {orders:,} | {posted:.1f} | {statistics.median(timings):.1f} ms | "
        f"{timings[int(len(timings) * 0.95) - 1]:.1f} ms | {timings[-1]:.1f} ms | "
        f"{len(queries.captured_queries)} |"
    )


if __name__ == "__main__":
    main()
