"""Benchmark the catalog at a million listings: `generate_catalog`, then the real server's
search, browse, product and last pages through HTTP, on SQLite and on PostgreSQL.

Run from the repository root: `.venv/bin/python bench/bench_catalog.py`. For each database:
a fresh SOUK_VAR_DIR under /tmp/catbench (and for PostgreSQL a fresh database souk_catbench,
dropped at the end unless --keep), `migrate`, `collectstatic`, then `generate_catalog
--artisans 420000 --products 1000000` timed as its own process (wall time and its own peak
RSS). Then gunicorn is started as scripts/serve.sh starts it (souk.wsgi, one worker per core
unless --workers, DEBUG off, SOUK_SANDBOX=1) on a free port, and bench/loadgen.py sends
requests from 8 clients for a fixed time per page type. Every page is requested once first, one
at a time (cold figures); then each page type is measured on its own. The results are written
into docs/benchmarks.md between this script's markers. Not part of `make test`.

`--reuse` skips the generation when the folder already holds a generated database (its timing
is read from the record the first run left), to measure the pages again after a change.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from catalog_facts import (  # noqa: E402
    ARTISANS,
    BENCH_FOLDER,
    BROWSE_PATHS,
    DEFAULT_WORKERS,
    FILTERS,
    LAST_PAGES,
    PRODUCT_SAMPLE,
    PRODUCTS,
    QUERIES,
    SEED,
    TARGETS_MS,
)
from catalog_report import (  # noqa: E402
    BENCHMARKS_MD,
    Generation,
    Measured,
    markdown,
    variant_markdown,
    write_benchmarks,
)
from loadgen import LoadResult, run_load  # noqa: E402

POSTGRES_ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-X", "-q", "-At"]
POSTGRES_DATABASE = "souk_catbench"
POSTGRES_URL = f"postgres://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}"


# --- Processes ------------------------------------------------------------------------------


def environment_for(folder: Path, database_url: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "TASKS_BACKEND", "WEB_CONCURRENCY"}
    }
    environment.update(
        SOUK_VAR_DIR=str(folder),
        DATABASE_URL=database_url,
        PRIVATE_MEDIA_ROOT=str(folder / "private"),
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        DEBUG="0",
        SOUK_SANDBOX="1",
    )
    return environment


def manage(arguments: list[str], environment: dict[str, str]) -> tuple[float, float, str]:
    """Run `manage.py`; return wall seconds, that process's peak RSS in MiB, its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    # communicate() reaped it; ru_maxrss of this one child is read from its own wait4 below
    # when measured (generate), else not needed.
    if process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{output}")
    return seconds, 0.0, output


def manage_measured(arguments: list[str], environment: dict[str, str]) -> tuple[float, float, str]:
    """Like `manage`, with the child's own peak RSS (wait4's rusage is that child's alone)."""
    started = time.perf_counter()
    log = environment["SOUK_VAR_DIR"] + "/generate.log"
    with open(log, "w+", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{text}")
    return seconds, usage.ru_maxrss / 1024, text


def prepare_database(kind: str, folder: Path, reuse: bool) -> dict[str, str]:
    if folder.exists() and not reuse:
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'souk.sqlite3'}"
    else:
        url = POSTGRES_URL
        if not reuse:
            subprocess.run(
                [*POSTGRES_ADMIN, "-c", f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}"], check=True
            )
            subprocess.run(
                [*POSTGRES_ADMIN, "-c", f"CREATE DATABASE {POSTGRES_DATABASE}"], check=True
            )
    environment = environment_for(folder, url)
    # Also on a kept catalog: the code measured may have migrations and static files of its own.
    manage(["migrate", "--noinput", "--verbosity", "0"], environment)
    manage(["collectstatic", "--noinput", "--verbosity", "0"], environment)
    return environment


def generate(environment: dict[str, str], folder: Path, reuse: bool) -> Generation:
    record = folder / "generation.json"
    if reuse and record.exists():
        return Generation(**json.loads(record.read_text(encoding="utf-8")))
    load = os.getloadavg()[0]
    print(f"  generate_catalog --artisans {ARTISANS} --products {PRODUCTS}...", flush=True)
    seconds, peak_mib, output = manage_measured(
        [
            "generate_catalog",
            "--artisans",
            str(ARTISANS),
            "--products",
            str(PRODUCTS),
            "--seed",
            str(SEED),
            "--verbosity",
            "2",
        ],
        environment,
    )
    summary = "\n".join(line for line in output.splitlines() if not line.endswith(" listings"))
    generation = Generation(seconds, peak_mib, summary, time.strftime("%Y-%m-%d %H:%M"), load)
    record.write_text(json.dumps(dataclasses.asdict(generation)), encoding="utf-8")
    print(f"  {seconds:.0f} s, {peak_mib:.0f} MiB", flush=True)
    return generation


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server(environment: dict[str, str], workers: int, folder: Path) -> Iterator[int]:
    """gunicorn as scripts/serve.sh runs it, on a free port; stopped (its id only) at the end."""
    port = free_port()
    log = (folder / f"gunicorn-{workers}.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "souk.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            str(folder / f"access-{workers}.log"),
            "--graceful-timeout",
            "5",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start, see {log.name}") from None
                time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# --- Pages ----------------------------------------------------------------------------------


def emit_urls() -> None:
    """Run inside Django (a child process): print the product and last-page paths as JSON."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")
    django.setup()
    from django.db import connection

    from souk.catalog import selectors as catalog
    from souk.search import selectors
    from souk.search.backends import get_backend
    from souk.search.backends.base import SearchFilters

    languages = ("fr", "ar", "en", "es")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM catalog_product WHERE status = 'active' ORDER BY random() LIMIT %s",
            [PRODUCT_SAMPLE],
        )
        ids = [row[0] for row in cursor.fetchall()]
    products = (
        catalog.list_visible_products()
        .filter(pk__in=ids)
        .select_related(None)
        .prefetch_related(None)
        .only("id", "title_fr", "title_en", "title_es")
    )
    product_paths = [
        f"/{languages[n % 4]}/products/{product.pk}-{product.slug}/"
        for n, product in enumerate(products)
    ]
    last_pages = []
    for label, words, fixed, path, extra in LAST_PAGES:
        sort = selectors.default_sort(words)
        filters = dataclasses.replace(SearchFilters(), **fixed)
        first = get_backend().search(words, filters, selectors.PAGE_SIZE, None, sort)
        # The results up to the last page in one read: its cursor is the last page's `after`.
        before_last = max(first.total - selectors.PAGE_SIZE, 1)
        results = get_backend().search(words, filters, before_last, None, sort)
        if results.next_cursor is None:
            raise SystemExit(f"No last page for {label}")
        query = f"q={urllib.parse.quote(words)}&" if words else ""
        last_pages.append(
            {
                "label": label,
                "total": first.total,
                "path": f"{path}?{query}{extra}after={results.next_cursor.encode()}",
            }
        )
    print(json.dumps({"products": product_paths, "last_pages": last_pages}))


def page_paths(environment: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--emit-urls"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    emitted = json.loads(output.strip().splitlines()[-1])
    search = [
        f"/{language}/search/?q={urllib.parse.quote(words)}" + (f"&{extra}" if extra else "")
        for language, words in QUERIES
        for extra in FILTERS
    ]
    return {
        "search": search,
        "browse": list(BROWSE_PATHS),
        "product": emitted["products"],
        "last page": [page["path"] for page in emitted["last_pages"]],
        "last_pages": emitted["last_pages"],
    }


def check_last_pages(port: int, last_pages: list[dict[str, Any]]) -> None:
    """Each last-page path answers 200 with works and no link to a next page."""
    for page in last_pages:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{page['path']}") as answer:
            body = answer.read().decode()
        if answer.status != 200 or 'rel="next"' in body or "product-card" not in body:
            raise SystemExit(f"Not a last page: {page['path']}")


def measure(
    database: str, environment: dict[str, str], folder: Path, options: argparse.Namespace
) -> Measured:
    paths = page_paths(environment)
    with server(environment, options.workers, folder) as port:
        check_last_pages(port, paths["last_pages"])
        cold: dict[str, LoadResult] = {}
        warm: dict[str, LoadResult] = {}
        for kind in TARGETS_MS:
            every = paths[kind] if kind != "product" else paths[kind][:200]
            cold[kind] = run_load(
                label=kind,
                host="127.0.0.1",
                port=port,
                paths=every,
                clients=1,
                total_requests=len(every),
            )
        loads = []
        for kind in TARGETS_MS:
            print(
                f"  {database}: {kind}, {options.clients} clients, {options.duration} s", flush=True
            )
            warm[kind] = run_load(
                label=kind,
                host="127.0.0.1",
                port=port,
                paths=paths[kind],
                clients=options.clients,
                duration_seconds=options.duration,
                seed=SEED,
            )
            loads.append(os.getloadavg()[0])
            result = warm[kind]
            print(
                f"    {result.requests} requests, {result.errors} not 200, "
                f"p50 {result.percentile_ms(50):.0f} ms, p95 {result.percentile_ms(95):.0f} ms, "
                f"{result.requests_per_second:.1f}/s",
                flush=True,
            )
    return Measured(database, options.workers, cold, warm, paths["last_pages"], max(loads))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn sync workers"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per page type")
    parser.add_argument("--reuse", action="store_true", help="keep a generated catalog")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/ alone")
    parser.add_argument(
        "--cache-url", default="", help="CACHE_URL of the server (default: locmem, as make run)"
    )
    parser.add_argument(
        "--variant",
        default="",
        help="write a short section of its own (results only), named so, after the main one",
    )
    parser.add_argument("--emit-urls", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.emit_urls:
        emit_urls()
        return
    load_at_start = os.getloadavg()[0]
    generations: dict[str, Generation] = {}
    measures: list[Measured] = []
    postgres_version = ""
    for kind in options.databases.split(","):
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
        folder = BENCH_FOLDER / f"bench-{kind}"
        print(f"{name} in {folder}", flush=True)
        environment = prepare_database(kind, folder, options.reuse)
        generations[name] = generate(environment, folder, options.reuse)
        if options.cache_url:
            environment["CACHE_URL"] = options.cache_url
        if kind == "postgresql":
            postgres_version = subprocess.run(
                [*POSTGRES_ADMIN, "-c", "SHOW server_version"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        measures.append(measure(name, environment, folder, options))
        if kind == "postgresql" and not options.keep:
            subprocess.run(
                [*POSTGRES_ADMIN, "-c", f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}"],
                check=True,
            )
    if options.variant:
        section = variant_markdown(measures, load_at_start, options)
    else:
        section = markdown(generations, measures, load_at_start, postgres_version, options)
    print()
    print(section)
    if not options.no_write:
        write_benchmarks(section, variant=options.variant)
        print(f"\nWritten to {BENCHMARKS_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
