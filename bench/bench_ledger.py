"""Benchmark: post N ledger transfers through post_entries (the real posting path, `--batch`
business events per transaction; `--batch 1` posts each through post_entry), then run
ledger_check.

Run: .venv/bin/python bench/bench_ledger.py [--transfers 1000000] [--legs 10] [--batch 1000]
[--database-url URL]
Default database: a fresh SQLite file (WAL) in a temporary folder. For PostgreSQL pass
--database-url postgres://postgres@127.0.0.1:5432/souk_bench (the database is recreated).
Prints one Markdown table row per phase.
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
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--legs", type=int, default=10, help="transfers per journal entry")
    parser.add_argument("--accounts", type=int, default=1_000, help="escrow accounts")
    parser.add_argument("--batch", type=int, default=1_000, help="business events per batch")
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="souk-bench-ledger-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "souk.settings",
        "SOUK_VAR_DIR": str(workdir),
        "DATABASE_URL": options.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
    }
    if options.database_url.startswith("postgres"):
        name = options.database_url.rsplit("/", 1)[1]
        admin_url = options.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True, cwd=ROOT)
    script = f"""
import time, django
django.setup()
from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.models import AccountType
from souk.ledger.services import Leg, Posting
accounts = {options.accounts}
ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
for n in range(accounts):
    ledger.open_account(key=f"escrow:{{n}}", type=AccountType.ESCROW, currency="MAD")
legs, total, batch = {options.legs}, {options.transfers}, {options.batch}

def posting(entry):
    return Posting(
        key=f"capture:{{entry}}",
        code="payment_captured",
        legs=[
            Leg("clearing", f"escrow:{{(entry * legs + leg) % accounts}}", Money(1000, "MAD"))
            for leg in range(legs)
        ],
    )

entries = total // legs
started, cpu = time.perf_counter(), time.process_time()
for first in range(0, entries, batch):
    if batch == 1:
        one = posting(first)
        ledger.post_entry(key=one.key, code=one.code, legs=one.legs)
        continue
    outcomes = ledger.post_entries([posting(e) for e in range(first, min(first + batch, entries))])
    assert all(o.error is None and not o.replayed for o in outcomes)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
print(f"{{total}} {{elapsed:.1f}} {{cpu:.1f}}")
"""
    post = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    transfers, post_seconds, post_cpu = post.stdout.split()
    started = time.perf_counter()
    subprocess.run([*manage, "ledger_check"], env=environment, check=True, cwd=ROOT)
    check_seconds = time.perf_counter() - started
    load = os.getloadavg()[0]
    engine = "PostgreSQL" if options.database_url.startswith("postgres") else "SQLite (WAL)"
    rate = int(int(transfers) / float(post_seconds))
    print(
        "| database | transfers | per entry | events per batch | post (s) | client CPU (s) "
        "| transfers/s | ledger_check (s) | load (1 min) at end |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {engine} | {int(transfers):,} | {options.legs} | {options.batch:,} | {post_seconds} "
        f"| {post_cpu} | {rate:,} | {check_seconds:.1f} | {load:.1f} |"
    )


if __name__ == "__main__":
    main()
