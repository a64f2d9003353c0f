"""The fault drill (docs/reliability.md): the real stack survives a database outage and a worker
killed during a payout run, with nothing lost and nothing done twice.

    SOUK_SANDBOX=1 .venv/bin/python bench/fault_drill.py [--port 8790] [--outage 10]

It starts a PostgreSQL server of its own (pg_ctl, temporary directory, free port: the machine's
server is never touched), migrates it, and starts `scripts/serve.sh` against it (web server,
worker, scheduler). Then, while buyers check out (through the order services, from this
process: a checkout that meets the outage is tried again with the same checkout token, so it is
placed once) and /healthz is polled: it stops PostgreSQL for `--outage` seconds and starts it;
it queues the weekly payout run and kills the worker with SIGKILL after the wallet took three
payouts. It reports the orders placed, the /healthz answers during and after, whether every
process is back without a hand restart, how many times the wallet received each payout, which
bank payouts are in which file, and `ledger_check`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from souk.core.tests.throwaway_postgres import (  # noqa: E402 - needs ROOT on the path
    ThrowawayPostgres,
    find_pg_bin,
    wait_for,
)

WALLET_SHOPS, BANK_SHOPS = 12, 8
LEASE_SECONDS = 10


@dataclass
class Observed:
    health: list[tuple[float, int]] = field(default_factory=list)
    health_errors: Counter[str] = field(default_factory=Counter)
    checkouts_started: int = 0
    orders_placed: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    retries_after_database_error: int = 0
    sold_out: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


# /healthz is polled from a process of its own: in the drill's process the buyer threads (and
# the GIL they share) could delay a poll past its timeout and count it as "no answer".
HEALTH_POLLER = """
import http.client, sys, time
while True:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=3)
        connection.request("GET", "/healthz")
        status, error = connection.getresponse().status, ""
        connection.close()
    except OSError as failure:
        status, error = 0, type(failure).__name__
    print(time.monotonic(), status, error, flush=True)
    time.sleep(0.25)
"""


def start_health_poller(port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HEALTH_POLLER, str(port)], stdout=subprocess.PIPE, text=True
    )


def collect_health(poller: subprocess.Popen[str], seen: Observed) -> None:
    """Stop the poller and read its lines: monotonic time (system-wide), status, error."""
    poller.terminate()
    output, _ = poller.communicate(timeout=30)
    for line in output.splitlines():
        at, status, *error = line.split()
        seen.health.append((float(at), int(status)))
        if error:
            seen.health_errors[error[0]] += 1


def buy(products: list[object], seen: Observed) -> None:
    from django.db import DatabaseError, close_old_connections

    from souk.orders.errors import OrderError
    from souk.orders.models import PaymentMethod
    from souk.orders.tests.factories import fill_cart, make_buyer, place

    while not seen.stop.is_set():
        token = uuid.uuid4().hex
        seen.checkouts_started += 1
        product = products[seen.checkouts_started % len(products)]
        buyer = None
        while not seen.stop.is_set():
            try:
                close_old_connections()
                if buyer is None:
                    buyer = make_buyer()
                    fill_cart(buyer, [(product, 1)])  # type: ignore[list-item]
                # The same checkout token again after an error: placed once whatever happened.
                order = place(buyer, payment_method=PaymentMethod.CASH_ON_DELIVERY, token=token)
            except DatabaseError:
                seen.retries_after_database_error += 1
                time.sleep(0.5)
                continue
            except OrderError:
                seen.sold_out += 1
                break
            seen.orders_placed.append(order.reference)
            seen.tokens.append(token)
            break


def children(pid: int) -> dict[str, int]:
    """The supervisor's children by role (worker, scheduler, web)."""
    found = {}
    listing = subprocess.run(
        ["pgrep", "-P", str(pid), "-a"], capture_output=True, text=True, check=False
    ).stdout
    for line in listing.splitlines():
        child_pid, command = line.split(" ", 1)
        role = (
            "worker"
            if "run_worker" in command
            else "scheduler"
            if "run_scheduler" in command
            else "web"
            if "gunicorn" in command
            else ""
        )
        if role:
            found[role] = int(child_pid)
    return found


def seed(products_count: int = 4) -> list[object]:
    from django.utils import timezone

    from souk.catalog.tests.factories import make_active_product
    from souk.core.models import PeriodicRun
    from souk.ledger.tests.payout_factories import make_rib_shop, make_wallet_shop, sell

    # The drill queues the payout run itself, at the moment it chooses.
    PeriodicRun.objects.create(name="ledger.run_payouts", last_queued_at=timezone.now())
    products = [make_active_product(stock_quantity=10_000) for _ in range(products_count)]
    for index in range(WALLET_SHOPS):
        sell(make_wallet_shop(), 200_000 + index * 1_000)
    for index in range(BANK_SHOPS):
        sell(make_rib_shop(), 300_000 + index * 1_000)
    return products  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--buyers", type=int, default=4)
    options = parser.parse_args()
    pg_bin = find_pg_bin()
    if pg_bin is None:
        sys.exit("PostgreSQL's server tools (pg_ctl, initdb) are not installed.")
    postgres = ThrowawayPostgres(pg_bin).create()
    var_dir = Path(tempfile.mkdtemp(prefix="souk-drill-"))
    environment = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "SOUK_VAR_DIR": str(var_dir),
        "SOUK_SANDBOX": "1",
        "PORT": str(options.port),
        "WEB_CONCURRENCY": "2",
        # One task worker: the one killed, whose leased task is taken up after its restart.
        "TASK_WORKERS": "1",
        "SOUK_TASK_LEASE_SECONDS": str(LEASE_SECONDS),
        "SOUK_PAYOUT_MINIMUM": "10000",
        # The real sandbox wallet, slowed down so that the kill lands in the middle of the run.
        "SOUK_PAYOUT_WALLET_GATEWAY": "bench.drill_wallet.SlowSandboxWallet",
        "DJANGO_SETTINGS_MODULE": "souk.settings",
    }
    os.environ.update(environment)
    supervisor = None
    seen = Observed()
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        import django

        django.setup()
        products = seed()
        log = (var_dir / "serve.log").open("wb")
        supervisor = subprocess.Popen(
            ["scripts/serve.sh"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        if not wait_for(lambda: len(children(supervisor.pid)) == 3, timeout=60):
            sys.exit("The stack did not start.")
        first = children(supervisor.pid)
        poller = start_health_poller(options.port)
        threads = [
            threading.Thread(target=buy, args=(products, seen)) for _ in range(options.buyers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(8)

        # The outage.
        outage_started = time.monotonic()
        postgres.stop()
        time.sleep(options.outage)
        postgres.start()
        outage_ended = time.monotonic()
        time.sleep(8)

        # The worker killed during the payout run.
        from django.db import connection

        from souk.ledger.tasks import run_weekly_payouts

        connection.close()  # opened for the seed, before the outage: gone with it
        from souk.sandbox.models import WalletPayoutReceived

        result = run_weekly_payouts.enqueue()
        wait_for(lambda: WalletPayoutReceived.objects.count() >= 3, timeout=60, every=0.05)
        killed = children(supervisor.pid)["worker"]
        os.kill(killed, signal.SIGKILL)
        killed_at = time.monotonic()
        sent_before_kill = WalletPayoutReceived.objects.count()

        def run_finished() -> bool:
            result.refresh()
            return result.status == "SUCCESSFUL"

        finished = wait_for(run_finished, timeout=LEASE_SECONDS * 6)
        finished_after = time.monotonic() - killed_at
        seen.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        collect_health(poller, seen)
        report(
            seen=seen,
            first=first,
            last=children(supervisor.pid),
            outage=(outage_started, outage_ended),
            killed=(killed, sent_before_kill, finished, finished_after, result),
            environment=environment,
            var_dir=var_dir,
        )
    finally:
        seen.stop.set()
        if supervisor is not None:
            supervisor.send_signal(signal.SIGTERM)
            supervisor.wait(timeout=60)
        postgres.destroy()


def statuses(payouts: list[tuple[str, str]]) -> dict[str, int]:
    return dict(Counter(status for _, status in payouts))


def report(
    *,
    seen: Observed,
    first: dict[str, int],
    last: dict[str, int],
    outage: tuple[float, float],
    killed: tuple[int, int, bool, float, object],
    environment: dict[str, str],
    var_dir: Path,
) -> None:
    from django.conf import settings

    sys.path.insert(0, str(ROOT / "bench"))
    from machine import describe  # the bench folder is not a package

    from souk.ledger.models import Payout, PayoutRun
    from souk.orders.models import Order
    from souk.sandbox.models import WalletPayoutReceived

    started, ended = outage
    during = Counter(status for at, status in seen.health if started + 2 <= at <= ended)
    after = [(at, status) for at, status in seen.health if at > ended]
    back_at = next((at for at, status in after if status == 200), None)
    final = [status for _, status in seen.health[-8:]]
    worker_pid, sent_before_kill, finished, finished_after, result = killed
    orders = Order.objects.filter(reference__in=seen.orders_placed).count()
    per_token = Counter(
        Order.objects.filter(checkout_token__in=seen.tokens).values_list(
            "checkout_token", flat=True
        )
    )
    received = dict(WalletPayoutReceived.objects.values_list("reference", "times_requested"))
    wallet_payouts = list(Payout.objects.filter(method="wallet").values_list("reference", "status"))
    bank_payouts = list(Payout.objects.filter(method="rib").values_list("reference", "status"))
    in_files: Counter[str] = Counter()
    for run in PayoutRun.objects.exclude(transfer_file=""):
        root = ET.fromstring(Path(run.transfer_file.path).read_bytes())  # noqa: S314 - ours
        namespace = root.tag.split("}")[0] + "}"
        in_files.update(node.text or "" for node in root.iter(f"{namespace}EndToEndId"))
    check = subprocess.run(
        [sys.executable, "manage.py", "ledger_check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    serve_log = (var_dir / "serve.log").read_text(errors="replace")
    lines = [
        "## Fault drill",
        *(f"- {name}: {value}" for name, value in describe().items()),
        "- Database: PostgreSQL (throwaway, pg_ctl), "
        f"tasks lease {settings.SOUK_TASK_LEASE_SECONDS} s",
        f"- Checkouts: {seen.checkouts_started} started, {len(seen.orders_placed)} orders placed "
        f"({orders} found in the database), {seen.retries_after_database_error} retries after a "
        f"database error, {sum(1 for n in per_token.values() if n > 1)} tokens placed twice, "
        f"{seen.sold_out} refused",
        f"- /healthz during the outage: {dict(during)}; first 200 after "
        f"{(back_at - ended) if back_at else float('nan'):.1f} s; last answers {final}; "
        f"no answer: {dict(seen.health_errors)}",
        f"- Processes at start {first}, at end {last}; web and scheduler kept: "
        f"{first.get('web') == last.get('web') and first.get('scheduler') == last.get('scheduler')}"
        f"; restarts by serve.sh: {serve_log.count('restarting it in')}",
        f"- Worker {worker_pid} killed (SIGKILL) after the wallet took {sent_before_kill} payouts; "
        f"payout task finished: {finished} ({getattr(result, 'status', '?')}, "
        f"{len(getattr(result, 'worker_ids', []))} attempts) {finished_after:.1f} s later",
        f"- Wallet payouts: {len(wallet_payouts)}, statuses {statuses(wallet_payouts)}, times "
        f"received by the wallet {dict(Counter(received.get(r, 0) for r, _ in wallet_payouts))}",
        f"- Bank payouts: {len(bank_payouts)}, statuses {statuses(bank_payouts)}, times in a "
        f"transfer file {dict(Counter(in_files.get(r, 0) for r, _ in bank_payouts))}",
        f"- ledger_check: exit {check.returncode}: {(check.stdout or check.stderr).strip()[:200]}",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
