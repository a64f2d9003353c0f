"""Benchmark: the nightly eligibility of N approved shops against M published offers.

Run: .venv/bin/python bench/bench_eligibility.py [--shops 20000] [--offers 20]
A fresh SQLite database in a temporary folder; register entries, shops and 12 monthly rows
each (kept figures) are bulk-inserted (no services: this measures the batch, not the seeding),
the offers are created and approved through the services, then `nightly.compute_all_eligibility`
runs once and its time and rate are printed. Issue #18's target: 420,000 shops and 20 offers in
under 60 s on SQLite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shops", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=20)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="souk-bench-eligibility-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="souk.settings",
        SOUK_VAR_DIR=str(workdir),
        SOUK_SANDBOX="1",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
    )
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    run(options.shops, options.offers)


def run(shop_count: int, offer_count: int) -> None:
    from django.db.models import F
    from django.utils import timezone

    from souk.banking import nightly, selectors
    from souk.banking.models import MonthlyFigures, ShopEligibility
    from souk.banking.tests.factories import make_bank, make_offer
    from souk.core.bulk import BulkWriter
    from souk.registry.models import RegisterEntry
    from souk.shops.models import Shop, ShopStatus

    started = time.perf_counter()
    today = timezone.localdate()
    # Rows go in with core.bulk's prepared statements (ids given): the ORM's bulk_create
    # took about 50 minutes at 420,000 shops on this machine.
    BulkWriter(RegisterEntry, with_primary_key=True).insert(
        {
            "id": n + 1,
            "register_number": f"RNA-B{n:08d}",
            "category": "artisan" if n % 5 else "cooperative",
            "first_name_fr": "Fatima",
            "last_name_fr": "Bennani",
            "legal_name_fr": "" if n % 5 else "Coopérative",
            "trade_id": "S01-T01",
            "region_id": f"{n % 12 + 1:02d}",
            "registered_at": today,
            "status": "active",
            "content_hash": f"{n:032d}",
        }
        for n in range(shop_count)
    )
    BulkWriter(Shop, with_primary_key=True).insert(
        {
            "id": n + 1,
            "register_entry_id": n + 1,
            "slug": f"bench-{n}",
            "display_name": f"Bench {n}",
            "region_id": f"{n % 12 + 1:02d}",
            "status": ShopStatus.APPROVED,
        }
        for n in range(shop_count)
    )
    shop_ids = list(range(1, shop_count + 1))
    months = selectors.last_months(12, today=today)
    BulkWriter(MonthlyFigures).insert(
        {
            "shop_id": shop_id,
            "month": month,
            "sales_amount": (n * 7919 + index * 104_729) % 500_000 if (n + index) % 3 else 0,
            "orders_count": (n + index) % 7,
            "refunds_amount": (n % 11) * 1_000,
        }
        for n, shop_id in enumerate(shop_ids)
        for index, month in enumerate(months)
    )
    bank = make_bank()
    for n in range(offer_count):
        make_offer(
            bank,
            min_months_selling=n % 12 or None,
            min_sales_12m_amount=(n % 5) * 500_000 or None,
            min_orders_12m=n % 9 or None,
            region_codes=[f"{n % 12 + 1:02d}"] if n % 4 == 0 else [],
            legal_form="individual" if n % 6 == 0 else "",
        )
    seeded = time.perf_counter() - started

    began, cpu = time.perf_counter(), time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("nightly.compute_all_eligibility()", globals(), locals(), sort="cumtime")
    result = nightly.compute_all_eligibility()
    elapsed, elapsed_cpu = time.perf_counter() - began, time.process_time() - cpu
    rows = ShopEligibility.objects.count()
    # The next night, nothing changed: every shop is evaluated, no row is written.
    began, cpu = time.perf_counter(), time.process_time()
    again = nightly.compute_all_eligibility()
    unchanged, unchanged_cpu = time.perf_counter() - began, time.process_time() - cpu
    # A night after one shop in ten sold again: those rows only are written.
    MonthlyFigures.objects.filter(month=months[-1], shop_id__in=shop_ids[::10]).update(
        orders_count=F("orders_count") + 3, sales_amount=F("sales_amount") + 250_000
    )
    began, cpu = time.perf_counter(), time.process_time()
    tenth = nightly.compute_all_eligibility()
    some, some_cpu = time.perf_counter() - began, time.process_time() - cpu
    print("| shops | offers | rows | seeding | first night | nothing changed | 1 in 10 changed |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {shop_count:,} | {offer_count} | {rows:,} | {seeded:.0f} s | {elapsed:.1f} s "
        f"({elapsed_cpu:.1f} s CPU) | {unchanged:.1f} s ({unchanged_cpu:.1f} s CPU) | "
        f"{some:.1f} s ({some_cpu:.1f} s CPU) |"
    )
    print("failed chunks:", result.failed, again.failed, tenth.failed)


if __name__ == "__main__":
    main()
