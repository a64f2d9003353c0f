"""Paid orders per second over HTTP, end to end (issue #21): cart, checkout, the sandbox
processor's card page, its signed callback, the order paid with its ledger postings.

    .venv/bin/python bench/bench_orders.py [--clients 16] [--seconds 30] [--port 8110]
        [--database-url postgres://postgres@127.0.0.1:5432/souk_bench_orders]

One command: a fresh database (SQLite file under --var-dir, or the PostgreSQL database named by
--database-url, dropped and created again), `migrate`, `collectstatic`, a few shops with
listings holding plenty of stock and one buyer per client with a signed-in session; then
`scripts/serve.sh` as `make run` starts it (gunicorn, the task worker, the scheduler; PORT
given, so SOUK_SITE_URL and the sandbox's callback and status query point at it). N buyers
(threads, each its own keep-alive connection and cookies, closed loop) each repeat the whole
journey in a browser's requests: add to cart (→ cart page), checkout page, checkout form
POST (→ pay page with the signed gateway form), the sandbox's hosted card page, the card form
(approved Visa, or --three-d-secure: the 3-D Secure page and its code), the browser's signed
return (→ the return page). The processor's server-to-server callback is queued by the
sandbox and posted by the task worker (the callback asks the sandbox's status API before
capturing), as the sandbox always does: that is where the order is paid and the ledger posts.

Counted: orders paid (their payment intent succeeded) inside the measured window, per second;
then the queue is drained and the checks run: every order placed is paid, no stock negative,
every listing's stock + its held and sold reservations = the stock it started with (no piece
sold twice), `manage.py ledger_check` clean. Prints a Markdown row (and the environment).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402 - needs bench/ on the path
from orders_journey import Tally, buyer  # noqa: E402

STOCK = 1_000_000

# --- Preparation ------------------------------------------------------------------------------


def environment_for(options: argparse.Namespace) -> dict[str, str]:
    var_dir = Path(options.var_dir)
    url = options.database_url or f"sqlite:///{var_dir / 'souk.sqlite3'}"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "TASKS_BACKEND", "SOUK_SITE_URL"}
    }
    environment.update(
        SOUK_VAR_DIR=str(var_dir),
        DATABASE_URL=url,
        PRIVATE_MEDIA_ROOT=str(var_dir / "private"),
        MEDIA_ROOT=str(var_dir / "media"),
        STATIC_ROOT=str(var_dir / "static"),
        DEBUG="0",
        SOUK_SANDBOX="1",
        PORT=str(options.port),
        DJANGO_SETTINGS_MODULE="souk.settings",
    )
    if options.gunicorn_args:
        # gunicorn reads GUNICORN_CMD_ARGS on top of serve.sh's own command line.
        environment["GUNICORN_CMD_ARGS"] = options.gunicorn_args
    return environment


def manage(arguments: list[str], environment: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def fresh_database(options: argparse.Namespace, environment: dict[str, str]) -> None:
    var_dir = Path(options.var_dir)
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    if options.database_url:
        parts = urlsplit(options.database_url)
        name = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise SystemExit(f"Database name {name!r}: lowercase letters, digits, _ only.")
        admin = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        admin += ["-U", parts.username or "postgres", "-d", "postgres", "-q", "-c"]
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
        subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
    manage(["migrate", "--noinput", "--verbosity", "0"], environment)
    manage(["collectstatic", "--noinput", "--verbosity", "0"], environment)


SEED = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from souk.catalog.tests.factories import make_active_product
from souk.orders.tests.factories import make_buyer

shops, clients, stock = (int(value) for value in sys.argv[1:4])
products = [make_active_product(stock_quantity=stock) for _ in range(shops)]
sessions = []
for number in range(clients):
    buyer = make_buyer(email=f"bench-buyer-{number}@souk.example")
    session = SessionStore()
    session[SESSION_KEY] = str(buyer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
print(json.dumps({
    "products": [product.pk for product in products],
    "sessions": sessions,
    "session_cookie": settings.SESSION_COOKIE_NAME,
}))
"""


def seed(options: argparse.Namespace, environment: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SEED, str(options.shops), str(options.clients), str(STOCK)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"seed failed:\n{done.stdout}{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- The server -------------------------------------------------------------------------------


def start_server(
    options: argparse.Namespace, environment: dict[str, str]
) -> subprocess.Popen[bytes]:
    log = (Path(options.var_dir) / "serve.log").open("wb")
    # Its own process group: stopped at the end by its id (serve.sh stops its children).
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{options.port}/healthz", timeout=5):
                return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop_server(server)
                raise SystemExit("The server did not start; see serve.log.") from None
            time.sleep(0.5)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- Checks -----------------------------------------------------------------------------------

CHECKS = """
import json, sys
import django
django.setup()
from django.db.models import Sum
from souk.catalog.models import Product
from souk.orders.models import Order, StockReservation
from souk.payments.models import IntentStatus, PaymentIntent
from django_tasks_db.models import DBTaskResult

product_ids = json.loads(sys.argv[1])
initial = int(sys.argv[2])
stock = []
for product in Product.objects.filter(pk__in=product_ids):
    taken = StockReservation.objects.filter(
        product=product, status__in=["held", "sold"]
    ).aggregate(total=Sum("quantity"))["total"] or 0
    stock.append({"id": product.pk, "stock": product.stock_quantity, "taken": taken})
paid = [
    moment.timestamp()
    for moment in PaymentIntent.objects.filter(status=IntentStatus.SUCCEEDED).values_list(
        "updated_at", flat=True
    )
]
placed = list(Order.objects.values_list("created_at", flat=True))
print(json.dumps({
    "stock": stock,
    "paid": paid,
    "orders": len(placed),
    "unpaid": Order.objects.filter(placed_at__isnull=True).count(),
    "queued": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
}))
"""


def database_state(environment: dict[str, str], seeded: dict[str, object]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHECKS, json.dumps(seeded["products"]), str(STOCK)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"checks failed:\n{done.stdout}{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def ledger_check(environment: dict[str, str]) -> tuple[bool, str]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "ledger_check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    text = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode == 0, (text[-1] if text else "")


# --- What the database's sessions wait on (PostgreSQL) --------------------------------------

WAITS_SQL = (
    "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-'), count(*) "
    "FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
    "AND pid <> pg_backend_pid() GROUP BY 1"
)
LOCKED_SQL = (
    "SELECT c.relname, count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE NOT l.granted GROUP BY 1"
)


def sample_waits(database_url: str, stop: threading.Event, seen: dict[str, int]) -> None:
    """Every 0.2 s, what the active sessions of the database wait on, and on which tables
    sessions wait for a lock: a hot row shows as `Lock:transactionid` / `Lock:tuple`."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        while not stop.wait(0.2):
            seen["samples"] = seen.get("samples", 0) + 1
            for name, count in connection.execute(WAITS_SQL).fetchall():
                seen[name] = seen.get(name, 0) + int(count)
            for table, count in connection.execute(LOCKED_SQL).fetchall():
                seen[f"waiting on {table}"] = seen.get(f"waiting on {table}", 0) + int(count)


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL (else SQLite)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--shops", type=int, default=8, help="shops, one listing each")
    parser.add_argument("--var-dir", default=str(Path(tempfile.gettempdir()) / "bench-orders"))
    parser.add_argument("--three-d-secure", action="store_true", help="the 3-D Secure card")
    parser.add_argument("--label", default="", help="first column of the Markdown row")
    parser.add_argument("--drain-seconds", type=float, default=120.0)
    parser.add_argument(
        "--gunicorn-args",
        default="",
        help='extra gunicorn settings for serve.sh, e.g. "--threads 4" (gthread workers)',
    )
    options = parser.parse_args()
    environment = environment_for(options)
    database = "PostgreSQL" if options.database_url else "SQLite"
    print(f"Preparing {database} in {options.var_dir}...", flush=True)
    fresh_database(options, environment)
    seeded = seed(options, environment)
    load_at_start = os.getloadavg()[0]
    server = start_server(options, environment)
    try:
        tally = Tally()
        waits: dict[str, int] = {}
        stop_sampling = threading.Event()
        sampler = None
        if options.database_url:
            sampler = threading.Thread(
                target=sample_waits, args=(options.database_url, stop_sampling, waits)
            )
            sampler.start()
        started = time.monotonic()
        wall_started = time.time()
        deadline = started + options.seconds
        threads = [
            threading.Thread(target=buyer, args=(n, options, seeded, deadline, tally))
            for n in range(options.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_wall = time.monotonic() - started
        stop_sampling.set()
        if sampler is not None:
            sampler.join()
        wall_ended = wall_started + options.seconds
        # Wait for the callbacks still queued (every placed order must end paid).
        drain_deadline = time.monotonic() + options.drain_seconds
        while True:
            state = database_state(environment, seeded)
            if state["unpaid"] == 0 or time.monotonic() > drain_deadline:
                break
            time.sleep(1)
        drained_after = time.monotonic() - started - load_wall
    finally:
        stop_server(server)
    ledger_ok, ledger_text = ledger_check(environment)
    done = [journey for journey in tally.journeys if not journey.error]
    failed = [journey for journey in tally.journeys if journey.error]
    paid_times = sorted(float(moment) for moment in state["paid"])  # type: ignore[attr-defined]
    paid_in_window = sum(1 for moment in paid_times if wall_started <= moment <= wall_ended)
    # Every order paid, over the time from the first request to the last payment (the load
    # and the callbacks still queued when it stopped): the steady figure when journeys are
    # long next to the window.
    paid_span = (paid_times[-1] - wall_started) if paid_times else 0.0
    stock_rows: list[dict[str, int]] = state["stock"]  # type: ignore[assignment]
    negative = sum(1 for row in stock_rows if row["stock"] < 0)
    oversold = sum(1 for row in stock_rows if row["stock"] + row["taken"] != STOCK)
    latency = sorted(journey.ended - journey.started for journey in done)
    requests_per_order = statistics.fmean(j.requests for j in done) if done else 0.0
    row = {
        "label": options.label or database,
        "clients": options.clients,
        "seconds": round(load_wall, 1),
        "journeys": len(done),
        "failed": len(failed),
        "journeys_per_s": round(len(done) / load_wall, 2),
        "paid_in_window": paid_in_window,
        "paid_per_s": round(paid_in_window / options.seconds, 2),
        "paid_total": len(paid_times),
        "paid_per_s_overall": round(len(paid_times) / paid_span, 2) if paid_span else 0.0,
        "orders": state["orders"],
        "unpaid_after_drain": state["unpaid"],
        "drain_s": round(drained_after, 1),
        "journey_p50_ms": round(latency[len(latency) // 2] * 1000) if latency else 0,
        "journey_p95_ms": round(latency[int(len(latency) * 0.95)] * 1000) if latency else 0,
        "requests_per_order": round(requests_per_order, 1),
        "negative_stock": negative,
        "oversold_listings": oversold,
        "ledger_check": "clean" if ledger_ok else f"FAILED: {ledger_text}",
        "load_at_start": round(load_at_start, 2),
    }
    print(json.dumps(row))
    if waits:
        samples = waits.pop("samples", 1)
        print(f"PostgreSQL sessions, mean per sample over {samples} samples (active, by wait):")
        for name, count in sorted(waits.items(), key=lambda item: -item[1]):
            print(f"  {name}: {count / samples:.2f}")
    if failed:
        print("first errors:", *{journey.error for journey in failed[:5]}, sep="\n  ")
    print(f"\nMachine: {describe()}, load average at start {load_at_start:.2f}")
    print(
        "\n| database | clients | paid orders/s (window) | paid orders/s (all, to the last "
        "payment) | journeys/s | journey p50 / p95 | HTTP requests per order (buyer) | failed | "
        "unpaid after drain | oversold | ledger_check |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|")
    print(
        f"| {row['label']} | {row['clients']} | {row['paid_per_s']} | "
        f"{row['paid_per_s_overall']} | {row['journeys_per_s']} | "
        f"{row['journey_p50_ms']} / {row['journey_p95_ms']} ms | {row['requests_per_order']} | "
        f"{row['failed']} | {row['unpaid_after_drain']} | {oversold + negative} | "
        f"{row['ledger_check']} |"
    )
    if failed or state["unpaid"] or negative or oversold or not ledger_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
