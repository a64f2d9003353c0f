"""Benchmark: post N ledger transfers through post_entries (the real posting path, `--batch`
business events per transaction; `--batch 1` posts each through post_entry), then run
ledger_check.

Run: .venv/bin/python bench/bench_ledger.py [--transfers 1000000] [--legs 10] [--batch 1000]
[--database-url URL] [--workers 1]
Default database: a fresh SQLite file (WAL) in a temporary folder. For PostgreSQL pass
--database-url postgres://postgres@127.0.0.1:5432/souk_bench (the database is recreated).
Prints one Markdown table row per phase.

--workers N posts the same transfers from N processes at once, as N task workers would: each
posts every Nth batch, to its own --accounts escrow accounts (the shops of two batches of
captured payments seldom meet), all through the one hot clearing account (its shards). The
wall time runs from a start moment every worker waits for (Django set up, accounts open) to
the last worker's end; "client CPU" is the workers' sum.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import fresh_database

ROOT = Path(__file__).resolve().parent.parent


# Opens the accounts: the hot clearing account and --accounts escrow accounts per worker.
_OPEN = """
import django
django.setup()
from souk.ledger import services as ledger
from souk.ledger.models import AccountType
ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
for worker in range({workers}):
    for n in range({accounts}):
        ledger.open_account(key=f"escrow:{{worker}}:{{n}}", type=AccountType.ESCROW, currency="MAD")
"""

# One worker: every `workers`th batch from `worker`, after the common start moment.
_WORKER = """
import sys, time, django
django.setup()
from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.services import Leg, Posting
worker, workers, start_at = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
accounts, legs, total, batch = {accounts}, {legs}, {transfers}, {batch}
prefix = f"escrow:{{worker}}:"

def posting(entry):
    return Posting(
        key=f"capture:{{entry}}",
        code="payment_captured",
        legs=[
            Leg("clearing", f"{{prefix}}{{(entry * legs + leg) % accounts}}", Money(1000, "MAD"))
            for leg in range(legs)
        ],
    )

entries = total // legs
time.sleep(max(0.0, start_at - time.time()))
cpu = time.process_time()
for number, first in enumerate(range(0, entries, batch)):
    if number % workers != worker:
        continue
    if batch == 1:
        one = posting(first)
        ledger.post_entry(key=one.key, code=one.code, legs=one.legs)
        continue
    outcomes = ledger.post_entries([posting(e) for e in range(first, min(first + batch, entries))])
    assert all(o.error is None and not o.replayed for o in outcomes)
print(f"{{time.time()}} {{time.process_time() - cpu}}")
"""


def _post(options: argparse.Namespace, environment: dict[str, str]) -> tuple[int, float, float]:
    """Post the transfers from --workers processes; (transfers, wall seconds, client CPU)."""
    values = {
        "accounts": options.accounts,
        "legs": options.legs,
        "transfers": options.transfers,
        "batch": options.batch,
        "workers": options.workers,
    }
    python = [sys.executable, "-c"]
    subprocess.run([*python, _OPEN.format(**values)], env=environment, check=True, cwd=ROOT)
    # Late enough for every worker to have set Django up; the clock starts there.
    start_at = time.time() + 4.0 + options.workers
    workers = [
        subprocess.Popen(
            [*python, _WORKER.format(**values), str(n), str(options.workers), str(start_at)],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(options.workers)
    ]
    ends, cpu = [], 0.0
    for process in workers:
        output, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"a posting worker failed ({process.returncode})")
        end, used = output.split()
        ends.append(float(end))
        cpu += float(used)
    entries = options.transfers // options.legs
    return entries * options.legs, max(ends) - start_at, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--legs", type=int, default=10, help="transfers per journal entry")
    parser.add_argument("--accounts", type=int, default=1_000, help="escrow accounts")
    parser.add_argument("--batch", type=int, default=1_000, help="business events per batch")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workers", type=int, default=1, help="posting processes at once")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="souk-bench-ledger-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "souk.settings",
        "SOUK_VAR_DIR": str(workdir),
        "DATABASE_URL": fresh_database(options.database_url, workdir),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True, cwd=ROOT)
    transfers, post_seconds, post_cpu = _post(options, environment)
    started = time.perf_counter()
    subprocess.run([*manage, "ledger_check"], env=environment, check=True, cwd=ROOT)
    check_seconds = time.perf_counter() - started
    load = os.getloadavg()[0]
    engine = "PostgreSQL" if options.database_url.startswith("postgres") else "SQLite (WAL)"
    rate = int(transfers / post_seconds)
    print(
        "| database | transfers | per entry | events per batch | workers | post (s) "
        "| client CPU (s) "
        "| transfers/s | ledger_check (s) | load (1 min) at end |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {engine} | {transfers:,} | {options.legs} | {options.batch:,} | {options.workers} "
        f"| {post_seconds:.1f} | {post_cpu:.1f} | {rate:,} | {check_seconds:.1f} | {load:.1f} |"
    )


if __name__ == "__main__":
    main()
