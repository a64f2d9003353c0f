"""Benchmark: the advisor's portfolio of 5,000 artisans and the programme's funnel over 420,000
artisans, read from kept rows (support.Progress, support.FunnelCount).

Run: .venv/bin/python bench/bench_support.py [--artisans 420000] [--portfolio 5000]
     [--database-url URL]
Default database: a fresh SQLite file (WAL) in a temporary folder; for PostgreSQL pass
--database-url postgres://postgres@127.0.0.1:5432/support_bench (the database is recreated).
The rows are written directly (bulk), as the nightly batch would leave them; the pages are
then requested through Django's test client (in process: the server's time, no network).
Prints the median and worst of 20 requests per page, after two warm-up requests.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from machine import fresh_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--artisans", type=int, default=420_000)
    parser.add_argument("--portfolio", type=int, default=5_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--batch-artisans",
        type=int,
        default=0,
        help="then give this many artisans a claimed entry and a shop, and time the nightly batch",
    )
    parser.add_argument(
        "--nudge-artisans",
        type=int,
        default=40_000,
        help="then give this many stuck artisans a phone and time the nightly nudges (0: skip)",
    )
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="souk-bench-support-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "souk.settings",
            "SOUK_VAR_DIR": str(workdir),
            "DATABASE_URL": fresh_database(options.database_url, workdir),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    run(options)


def run(options: argparse.Namespace) -> None:
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from souk.accounts import services as accounts
    from souk.accounts.models import User
    from souk.accounts.roles import Role
    from souk.core.bulk import BulkWriter
    from souk.registry.models import Region, Sector
    from souk.support import services
    from souk.support.models import MILESTONES, STAGE_DONE, Advisor, Assignment, Progress

    rng = random.Random(2026)  # noqa: S311  # synthetic data, not secrets
    advisors_count = max(1, options.artisans // options.portfolio)
    now = timezone.now()
    started = time.perf_counter()
    users = BulkWriter(User, with_primary_key=True)
    progress = BulkWriter(Progress, with_primary_key=True)
    assignments = BulkWriter(Assignment)
    regions = list(Region.objects.values_list("code", flat=True))
    sectors = list(Sector.objects.values_list("code", flat=True))
    with transaction.atomic():
        users.insert(
            {
                "id": n,
                "email": f"advisor{n}@bench.example",
                "full_name": f"Advisor {n}",
                "password": "!",
                "preferred_language": "fr",
                "preferred_currency": "MAD",
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "created_at": now,
            }
            for n in range(1, advisors_count + 1)
        )
        advisors = [
            Advisor.objects.create(user_id=n, capacity=6000) for n in range(1, advisors_count + 1)
        ]
    first_artisan = advisors_count + 1
    batch = 20_000
    for start in range(0, options.artisans, batch):
        ids = range(first_artisan + start, first_artisan + min(start + batch, options.artisans))
        rows = []
        for n in ids:
            stage_index = min(int(rng.expovariate(0.35)), len(MILESTONES))
            dates = {
                f"{m.value}_at": now - datetime.timedelta(days=400 - 30 * i)
                if i < stage_index
                else None
                for i, m in enumerate(MILESTONES)
            }
            rows.append(
                {
                    "id": n,
                    "artisan_id": n,
                    "shop_id": None,
                    "region_code": rng.choice(regions),
                    "sector_code": rng.choice(sectors),
                    "advisor_id": advisors[
                        (n - first_artisan) // options.portfolio % len(advisors)
                    ].pk,
                    "stage": MILESTONES[stage_index].value
                    if stage_index < len(MILESTONES)
                    else STAGE_DONE,
                    "stage_index": stage_index,
                    "last_step_at": now - datetime.timedelta(days=rng.randint(0, 400)),
                    "refreshed_at": now,
                    **dates,
                }
            )
        with transaction.atomic():
            users.insert(
                {
                    "id": row["id"],
                    "email": f"artisan{row['id']}@bench.example",
                    "full_name": f"Artisan {row['id']}",
                    "password": "!",
                    "preferred_language": "ar",
                    "preferred_currency": "MAD",
                    "is_active": True,
                    "is_staff": False,
                    "is_superuser": False,
                    "created_at": now,
                }
                for row in rows
            )
            progress.insert(rows)
            assignments.insert(
                {
                    "artisan_id": row["id"],
                    "advisor_id": row["advisor_id"],
                    "started_at": now,
                    "start_reason": "claim",
                    "end_reason": "",
                    "note": "",
                }
                for row in rows
            )
    print(
        f"| rows written ({options.artisans:,} artisans, {len(advisors)} advisors) "
        f"| {time.perf_counter() - started:.1f} s |"
    )
    for advisor in advisors:
        Advisor.objects.filter(pk=advisor.pk).update(
            open_count=Assignment.objects.filter(advisor=advisor).count()
        )
    started = time.perf_counter()
    services.rebuild_funnel_counts()
    print(
        "| rebuild_funnel_counts (nightly, one grouped query) "
        f"| {time.perf_counter() - started:.2f} s |"
    )

    accounts.sync_roles()
    advisor_user = accounts.grant_role(
        user=User.objects.get(pk=advisors[0].user_id), role=Role.ADVISOR
    )
    analyst = accounts.grant_role(
        user=User.objects.create(email="analyst@bench.example", full_name="Analyst"),
        role=Role.ANALYST,
    )
    pages = [
        (advisor_user, "/fr/support/portfolio/", "portfolio, first page of 100"),
        (advisor_user, "/fr/support/portfolio/?stuck=30", "portfolio, stuck > 30 days"),
        (advisor_user, "/fr/support/portfolio/?page=50", "portfolio, page 50"),
        (analyst, "/fr/support/funnel/", "funnel, all regions"),
        (analyst, "/fr/support/funnel/?region=07", "funnel, one region"),
        (analyst, "/fr/support/funnel/?format=csv", "funnel CSV"),
    ]
    for user, path, label in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        seconds, cpu = [], []
        for attempt in range(22):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            elapsed = time.perf_counter() - began
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
            if attempt >= 2:
                seconds.append(elapsed)
                cpu.append(time.process_time() - began_cpu)
        # CPU time of this process (Python and SQLite in process) is less hurt by other
        # sessions' load than the wall clock on a shared machine.
        print(
            f"| {label} `{path}` | median {statistics.median(seconds) * 1000:.1f} ms "
            f"| worst {max(seconds) * 1000:.1f} ms "
            f"| CPU median {statistics.median(cpu) * 1000:.1f} ms |"
        )

    if options.nudge_artisans:
        nudge(options)
    if options.batch_artisans:
        nightly(options, first_artisan=first_artisan, regions=regions)


def nudge(options: argparse.Namespace) -> None:
    """Give `--nudge-artisans` stuck artisans a phone, then time one run of the nightly nudges
    (support.nudges.send_nudges: the nudges and notifications written, the SMS queued as tasks
    in the database queue; sending them is the worker's)."""
    from django.db import connection
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from souk.accounts.models import User
    from souk.support import nudges
    from souk.support.models import STAGE_DONE, Progress

    stuck_before = timezone.now() - datetime.timedelta(days=15)
    ids = list(
        Progress.objects.filter(last_step_at__lt=stuck_before)
        .exclude(stage=STAGE_DONE)
        .order_by("artisan_id")
        .values_list("artisan_id", flat=True)[: options.nudge_artisans]
    )
    for start in range(0, len(ids), 5000):
        User.objects.filter(pk__in=ids[start : start + 5000]).update(
            phone=Concat(Value("+2126"), Cast(F("id") + 10_000_000, CharField()))
        )
    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started, started_cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        run = nudges.send_nudges()
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    tasks = DBTaskResult.objects.filter(task_path__endswith="send_notifications").count()
    print(
        f"| nightly nudges, {len(ids):,} stuck artisans with a phone: {run.sent:,} nudged, "
        f"{run.advisors_told} advisors told, {tasks} SMS tasks queued, {queries} queries "
        f"| {elapsed:.1f} s | CPU {elapsed_cpu:.1f} s |"
    )


def nightly(options: argparse.Namespace, *, first_artisan: int, regions: list[str]) -> None:
    """Claimed entries and draft shops for the first artisans (no listings or sales: the
    batch's floor), then `recompute_all_progress` over them."""
    from django.db import transaction
    from django.utils import timezone

    from souk.core.bulk import BulkWriter
    from souk.registry.models import RegisterEntry, Trade
    from souk.shops.models import Shop
    from souk.support import services

    now = timezone.now()
    trades = list(Trade.objects.values_list("code", flat=True))
    entries = BulkWriter(RegisterEntry, with_primary_key=True)
    shops = BulkWriter(Shop, with_primary_key=True)
    count = options.batch_artisans
    for start in range(0, count, 20_000):
        numbers = range(start + 1, min(start + 20_000, count) + 1)
        with transaction.atomic():
            entries.insert(
                {
                    "id": n,
                    "register_number": f"BENCH-{n:07d}",
                    "category": "artisan",
                    "qualification": "",
                    "cin": "",
                    "trade_id": trades[n % len(trades)],
                    "region_id": regions[n % len(regions)],
                    "registered_at": now.date(),
                    "status": "active",
                    "content_hash": f"{n:032d}",
                    "claimed_by_id": first_artisan + n - 1,
                    "claimed_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in numbers
            )
            shops.insert(
                {
                    "id": n,
                    "register_entry_id": n,
                    "slug": f"bench-{n}",
                    "display_name": f"Atelier {n}",
                    "region_id": regions[n % len(regions)],
                    "status": "draft",
                    "created_at": now,
                    "updated_at": now,
                    "status_changed_at": now,
                }
                for n in numbers
            )
    started = time.perf_counter()
    seen = services.recompute_all_progress()
    print(
        f"| recompute_all_progress (nightly) over {seen:,} artisans with a shop "
        f"| {time.perf_counter() - started:.1f} s |"
    )


if __name__ == "__main__":
    main()
