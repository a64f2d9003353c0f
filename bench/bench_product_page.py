"""The product page against the bare-Django ceiling, on the same server, in one command.

Run from the repository root: `.venv/bin/python bench/bench_product_page.py`. It starts gunicorn
as scripts/serve.sh does (sync workers, one per core unless --workers, `--access-logfile -`,
`--graceful-timeout 5`, `--no-control-socket`) twice on the same settings: once serving Souk
(souk.wsgi, DEBUG off, SOUK_SANDBOX=1, the catalogue of --catalog) and once serving
bench/hello_wsgi.py, a Django view answering "Hello" with no middleware. Each is loaded by the
same closed-loop generator (bench/loadgen.py, --clients threads, --duration seconds a run), in
--rounds rounds of hello, anonymous, signed-in (the ratio is the median of the rounds'):

- hello: the ceiling;
- anonymous, kept: one product URL asked again and again by visitors without cookies;
- signed-in buyer, kept: the same URL with a buyer's session cookie;
- never seen: --sample product URLs of the catalogue not asked before, one client, one at a
  time; the server time is Souk's own `Server-Timing: app;dur=` (souk/core/pagecache.py,
  from the kept-page middleware down: the whole Django request but for the security headers
  and static files middleware above it).

Prints req/s, latencies, the ratios to hello and the never-seen server time p50/p95.
--catalog names a folder holding a catalogue (souk.sqlite3 and static/), such as the one
bench/bench_catalog.py generates (/tmp/catbench/bench-sqlite, 1,000,000 listings); with
--generate N and a folder without one, a catalogue of N listings is generated there first.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadgen import LoadResult, run_load  # noqa: E402  (the bench folder is not a package)

DEFAULT_CATALOG = Path("/tmp/catbench/bench-sqlite")  # noqa: S108  (bench_catalog's folder)
SERVER_TIME = re.compile(r"app;dur=([\d.]+)")
# The targets: anonymous >= 50 % of hello, signed-in >= 30 %, never seen p95 <= 15 ms.
TARGETS = {"anonymous": 0.50, "signed-in buyer": 0.30}
NEVER_SEEN_P95_MS = 15.0

# Run inside Django (a child process): a buyer's session and the product paths, as JSON.
SETUP = """
import json, random
from django.db import connection
from django.test import Client
from souk.accounts.models import User
from souk.catalog.models import Product
buyer = User.objects.filter(email="bench-buyer@souk.example").first() or (
    User.objects.create_user(
        "bench-buyer@souk.example", "bench-buyer-password-2026", full_name="Bench Buyer"
    )
)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(buyer)
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT p.id FROM catalog_product p JOIN shops_shop s ON s.id = p.shop_id "
        "WHERE p.status = 'active' AND s.status = 'approved' ORDER BY random() LIMIT %s",
        [SAMPLE + 1],
    )
    ids = [row[0] for row in cursor.fetchall()]
products = {p.pk: p for p in Product.objects.filter(pk__in=ids)}
languages = ("fr", "ar", "en", "es")
paths = [
    f"/{languages[n % 4]}/products/{pk}-{products[pk].slug}/" for n, pk in enumerate(ids)
]
print(json.dumps({"session": client.cookies["sessionid"].value, "paths": paths}))
"""


def environment_for(catalog: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "WEB_CONCURRENCY"}
    }
    environment.update(
        SOUK_VAR_DIR=str(catalog),
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{catalog}/souk.sqlite3",
        MEDIA_ROOT=str(catalog / "media"),
        PRIVATE_MEDIA_ROOT=str(catalog / "private"),
        STATIC_ROOT=str(catalog / "static"),
        DEBUG="0",
        SOUK_SANDBOX="1",
    )
    return environment


def manage(arguments: list[str], environment: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(catalog: Path, generate: int) -> dict[str, str]:
    environment = environment_for(catalog)
    if not (catalog / "souk.sqlite3").exists() and "BENCH_DATABASE_URL" not in os.environ:
        if not generate:
            raise SystemExit(f"No catalogue in {catalog}: give --generate N or --catalog.")
        catalog.mkdir(parents=True, exist_ok=True)
        manage(["migrate", "--noinput", "--verbosity", "0"], environment)
        print(f"generate_catalog --products {generate}...", flush=True)
        manage(
            [
                "generate_catalog",
                *("--artisans", str(max(1, generate * 42 // 100))),
                *("--products", str(generate), "--seed", "2026"),
            ],
            environment,
        )
    manage(["migrate", "--noinput", "--verbosity", "0"], environment)
    manage(["collectstatic", "--noinput", "--verbosity", "0"], environment)
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def gunicorn(app: str, environment: dict[str, str], workers: int, log: Path) -> Iterator[int]:
    """gunicorn as scripts/serve.sh starts it, on a free port; stopped (its id only) after."""
    port = free_port()
    chdir = ["--chdir", str(ROOT / "bench")] if app.startswith("hello_wsgi") else []
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                *(app, *chdir, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
                *("--access-logfile", "-", "--graceful-timeout", "5", "--no-control-socket"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                        break
                except urllib.error.HTTPError:
                    break  # answering (a redirect to a language, a 404...)
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"gunicorn {app} did not start, see {log}") from None
                    time.sleep(0.5)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def load(
    label: str, port: int, paths: list[str], options: argparse.Namespace, **extra: object
) -> LoadResult:
    # Warm every worker first (each keeps its own pages: the cache is per process).
    run_load(
        label=label,
        host="127.0.0.1",
        port=port,
        paths=paths,
        clients=options.clients,
        total_requests=options.clients * 20,
        **extra,  # type: ignore[arg-type]
    )
    result = run_load(
        label=label,
        host="127.0.0.1",
        port=port,
        paths=paths,
        clients=options.clients,
        duration_seconds=options.duration,
        **extra,  # type: ignore[arg-type]
    )
    if result.errors:
        raise SystemExit(f"{label}: {result.errors} answers were not 200")
    return result


def never_seen(port: int, paths: list[str]) -> tuple[list[float], list[float]]:
    """Each path once, one at a time: Souk's server time and the client's, in ms."""
    server, client = [], []
    for path in paths:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        began = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        client.append((time.perf_counter() - began) * 1000)
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        found = SERVER_TIME.search(response.headers.get("Server-Timing", ""))
        if found is None:
            raise SystemExit(f"{path} sent no Server-Timing app;dur=")
        server.append(float(found.group(1)))
    return server, client


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    rank = max(1, round(percent / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def row(result: LoadResult, ceiling: float) -> str:
    ratio = result.requests_per_second / ceiling if ceiling else 0.0
    return (
        f"| {result.label} | {result.requests:,} | {result.requests_per_second:.0f} | "
        f"{result.percentile_ms(50):.1f} | {result.percentile_ms(95):.1f} | {ratio * 100:.0f} % |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    parser.add_argument("--generate", type=int, default=0, help="listings, when none there")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds a run")
    parser.add_argument("--rounds", type=int, default=3, help="hello, anonymous, signed-in")
    parser.add_argument("--sample", type=int, default=300, help="never-seen product pages")
    options = parser.parse_args()
    environment = prepare(options.catalog, options.generate)
    setup = json.loads(
        manage(["shell", "-c", SETUP.replace("SAMPLE", str(options.sample))], environment)
        .strip()
        .splitlines()[-1]
    )
    hot, fresh = setup["paths"][:1], setup["paths"][1:]
    signed_in = {"Cookie": f"sessionid={setup['session']}"}
    load_at_start = os.getloadavg()[0]
    hello_log, souk_log = options.catalog / "hello.log", options.catalog / "souk.log"
    results: list[LoadResult] = []
    # Both servers up at once and loaded in turn, round after round: on a shared machine the
    # load changes from one minute to the next, so each round's ratio compares neighbours.
    with (
        gunicorn("hello_wsgi:application", environment, options.workers, hello_log) as hello,
        gunicorn("souk.wsgi:application", environment, options.workers, souk_log) as souk,
    ):
        server, client = never_seen(souk, fresh)
        for _ in range(options.rounds):
            results.append(load("hello", hello, ["/"], options))
            results.append(load("anonymous", souk, hot, options))
            results.append(load("signed-in buyer", souk, hot, options, headers=signed_in))
    ratios = {
        label: statistics.median(
            results[n + offset].requests_per_second / results[n].requests_per_second
            for n in range(0, len(results), 3)
        )
        for offset, label in ((1, "anonymous"), (2, "signed-in buyer"))
    }
    ceiling = statistics.median(r.requests_per_second for r in results if r.label == "hello")
    p95 = percentile(server, 95)
    print(
        f"\nCommand: {' '.join(sys.argv)}; {options.workers} workers, {options.clients} "
        f"clients, {options.duration:.0f} s a run; load average at start {load_at_start:.2f}, "
        f"at the end {os.getloadavg()[0]:.2f}; {time.strftime('%Y-%m-%d %H:%M')}.\n"
    )
    print("| run | requests | req/s | p50 ms | p95 ms | of hello (same round) |")
    print("|---|---:|---:|---:|---:|---:|")
    for n, result in enumerate(results):
        ceiling_now = results[n - n % 3].requests_per_second
        print(row(result, ceiling_now))
    print(f"\nhello median {ceiling:.0f} req/s. Median of the rounds' ratios:")
    for label, ratio in ratios.items():
        met = "**met**" if ratio >= TARGETS[label] else "**NOT met**"
        print(f"- {label}: {ratio * 100:.0f} % of hello (target {TARGETS[label]:.0%}: {met})")
    print(
        f"\nNever-seen product pages ({len(server)}, one at a time): server time p50 "
        f"{percentile(server, 50):.1f} ms, p95 {p95:.1f} ms "
        f"({'**met**' if p95 <= NEVER_SEEN_P95_MS else '**NOT met**'}: target <= "
        f"{NEVER_SEEN_P95_MS:.0f} ms); seen by the client p50 {percentile(client, 50):.1f} ms, "
        f"p95 {percentile(client, 95):.1f} ms."
    )


if __name__ == "__main__":
    main()
