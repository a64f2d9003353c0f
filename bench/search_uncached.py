"""Time searches and browse pages nobody asked for before, through the real server, with
nothing cached (issue #16: "fast when nothing is cached").

Run from the repository root, once the million-listing catalogues exist (see --help for their
folders; bench/bench_catalog.py or the commands in docs/benchmarks.md make them):

    .venv/bin/python bench/search_uncached.py --databases sqlite,postgresql [--write]

300 distinct queries are drawn with a fixed seed from the catalogue's own words
(souk/demo/synthetic/catalog/vocabulary), the craft thesaurus (souk/search/data) and the
region names: one to three words in French, Arabic, English, Spanish and Darija, Arabic with
its article and broken plurals, Latin plurals, typos, places, and a few one-letter and common
words. None is a query of bench/search_queries.tsv except the common words the issue names
("tapis"), which are listed apart. Then every sector's browse page (13), every work (the
search page without words) and four regions.

For each database gunicorn is started as scripts/serve.sh starts it (souk.wsgi, sync
workers, 2 unless --workers), with DEBUG off, SOUK_SANDBOX=1 and CACHE_URL=dummy:// so no page
or query rows are kept. A few other pages warm each worker's process first (imports, the
vocabulary read once per process); then each measured URL is asked exactly once, one at a
time. "client" is the time to the last byte of the answer on localhost, a new connection per
request; "server" is gunicorn's own request time (%(D)s of its access log). Not part of
`make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import machine as machine_facts  # noqa: E402  (the bench folder is not a package)
from uncached_queries import QUOTAS, Target, targets  # noqa: E402

BENCHMARKS_MD = ROOT / "docs" / "benchmarks.md"
START_MARKER = "<!-- search_uncached: start -->"
END_MARKER = "<!-- search_uncached: end -->"

CATALOGUES = Path("/tmp/cat1m")  # noqa: S108  (benchmark data, never var/)
POSTGRES_DATABASE = "souk_1m"
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PORTS = {"sqlite": 8620, "postgresql": 8621}
# p95 targets of the issue, server time, ms.
TARGETS_MS = {"sqlite": {"search": 50.0, "browse": 50.0}, "postgresql": {"search": 100.0}}
WARM_UP = (
    "/fr/",
    "/fr/search/?q=zellige",
    "/ar/search/?q=%D8%B2%D8%B1%D8%A8%D9%8A%D8%A9",
    "/en/search/?q=lether",
    "/fr/crafts/S01/S01-T01/",
)


@dataclass(frozen=True, slots=True)
class Timing:
    kind: str
    path: str
    status: int
    client_ms: float
    server_ms: float | None
    size: int


# --- The server -----------------------------------------------------------------------------


def environment_for(database: str, catalogues: Path, postgres_database: str) -> dict[str, str]:
    """The catalogue's own folder (its keys) and database; static files of our own."""
    if database == "sqlite":
        folder, url = catalogues / "sqlite", f"sqlite:///{catalogues / 'sqlite' / 'souk.sqlite3'}"
    else:
        folder = catalogues / "pg"
        url = f"postgres://postgres@127.0.0.1:5432/{postgres_database}"
    scratch = Path("/tmp/search-engines-var")  # noqa: S108
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "TASKS_BACKEND", "WEB_CONCURRENCY"}
    }
    environment.update(
        SOUK_VAR_DIR=str(folder),
        DATABASE_URL=url,
        CACHE_URL="dummy://",
        STATIC_ROOT=str(scratch / "static"),
        DEBUG="0",
        SOUK_SANDBOX="1",
    )
    return environment


@contextlib.contextmanager
def server(database: str, options: argparse.Namespace) -> Iterator[tuple[int, Path]]:
    """gunicorn as scripts/serve.sh runs it; its access log gives each request's own time."""
    environment = environment_for(database, options.folder, options.postgres_database)
    log_folder: Path = options.folder
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    port = (
        options.port + (1 if database == "postgresql" else 0) if options.port else PORTS[database]
    )
    access = log_folder / f"access-{database}.log"
    access.unlink(missing_ok=True)
    log = (log_folder / f"gunicorn-{database}.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "souk.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--access-logfile",
            str(access),
            "--access-logformat",
            "%(m)s %(U)s?%(q)s %(s)s %(D)s",
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
        deadline = time.monotonic() + 120
        while fetch(port, "/healthz")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start, see {log.name}")
            time.sleep(0.5)
        yield port, access
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def fetch(port: int, path: str) -> tuple[int, float, int]:
    """Status, seconds to the last byte and size of one GET on a new connection."""
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", path, headers={"Accept-Language": "fr"})
        answer = connection.getresponse()
        body = answer.read()
        status = answer.status
        connection.close()
    except OSError:
        return 0, time.perf_counter() - started, 0
    return status, time.perf_counter() - started, len(body)


def server_times(access: Path, count: int) -> list[tuple[str, float]]:
    """The last `count` requests of the access log: (path with its query, milliseconds)."""
    lines = access.read_text(encoding="utf-8").splitlines()[-count:]
    found = []
    for line in lines:
        _method, target, _status, micros = line.rsplit(" ", 3)
        found.append((target.removesuffix("?"), int(micros) / 1000))
    return found


def measure(database: str, chosen: list[Target], options: argparse.Namespace) -> list[Timing]:
    with server(database, options) as (port, access):
        for _round in range(2):
            for path in WARM_UP:
                fetch(port, path)
        measured = []
        for number, target in enumerate(chosen, 1):
            status, seconds, size = fetch(port, target.path)
            measured.append((target, status, seconds, size))
            if number % 50 == 0:
                print(f"  {database}: {number}/{len(chosen)}", flush=True)
        time.sleep(0.5)
        own = server_times(access, len(chosen))
    timings = []
    for (target, status, seconds, size), (logged, server_ms) in zip(measured, own, strict=True):
        same = urllib.parse.unquote(logged) == urllib.parse.unquote(target.path)
        timings.append(
            Timing(
                target.kind, target.path, status, seconds * 1000, server_ms if same else None, size
            )
        )
    return timings


# --- Report ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], percent: float) -> float:
    """Nearest rank, as bench/loadgen.py."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, round(percent / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


BROWSE_KINDS = ("sector", "all works", "region")


def group_of(kind: str) -> str:
    return "browse" if kind in BROWSE_KINDS else "search"


def rows_of(database: str, timings: list[Timing]) -> list[str]:
    groups: dict[str, list[Timing]] = {}
    for timing in timings:
        groups.setdefault(f"all {group_of(timing.kind)}", []).append(timing)
        groups.setdefault(timing.kind, []).append(timing)
    order = ["all search", "all browse", *QUOTAS, "common", *BROWSE_KINDS]
    rows = []
    for name in order:
        if name not in groups:
            continue
        found = groups[name]
        server = [t.server_ms for t in found if t.server_ms is not None]
        client = [t.client_ms for t in found]
        target = TARGETS_MS[database].get(name.removeprefix("all "))
        verdict = "-"
        if target is not None and name in ("all search", "all browse"):
            met = percentile(server, 95) <= target
            verdict = f"≤ {target:.0f} ms: **{'met' if met else 'NOT met'}**"
        label = f"**{name}**" if name in ("all search", "all browse") else name
        rows.append(
            f"| {LABELS[database]} | {label} | {len(found)} "
            f"| {sum(1 for t in found if t.status != 200)} "
            f"| {percentile(server, 50):.0f} | {percentile(server, 95):.0f} | {max(server):.0f} "
            f"| {percentile(client, 50):.0f} | {percentile(client, 95):.0f} "
            f"| {max(client):.0f} | {verdict} |"
        )
    return rows


def slowest(timings: list[Timing], count: int = 8) -> str:
    worst = sorted(timings, key=lambda t: -(t.server_ms or t.client_ms))[:count]
    return "; ".join(
        f"`{urllib.parse.unquote(t.path)}` {t.server_ms or t.client_ms:.0f} ms" for t in worst
    )


def git_head() -> str:
    return subprocess.run(
        ["git", "log", "-1", "--format=%h %s"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def run_block(
    label: str, results: dict[str, list[Timing]], facts: dict[str, str], options: argparse.Namespace
) -> str:
    databases = ",".join(results)
    lines = [
        f"<!-- search_uncached run: {label} -->",
        f"### {label}",
        "",
        f"Command: `.venv/bin/python bench/search_uncached.py --databases {databases} "
        f"--workers {options.workers} --label '{label}' --write`, on commit "
        f"`{facts['Commit']}`, measured {facts['Measured']}. Load average (1 min): "
        + "; ".join(f"{LABELS[d]} {facts.get(f'Load {d}', '?')}" for d in results)
        + ".",
        "",
        "| database | kind | URLs | not 200 | server p50 | server p95 | server max "
        "| client p50 | client p95 | client max | p95 target (server) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for database, timings in results.items():
        lines.extend(rows_of(database, timings))
    lines.append("")
    for database, timings in results.items():
        lines.append(f"Slowest, {LABELS[database]}: {slowest(timings)}.")
        lines.append("")
    lines.append(f"<!-- search_uncached run end: {label} -->")
    return "\n".join(lines)


def header(facts: dict[str, str]) -> str:
    return "\n".join(
        [
            START_MARKER,
            "## Searches nobody asked before, nothing cached (`bench/search_uncached.py`, "
            "issue #16)",
            "",
            "300 distinct queries drawn with a fixed seed (2026) from the catalogue's words, the "
            "thesaurus and the region names (one to three words; French, Arabic, English, "
            "Spanish, Darija; Arabic with article and broken plurals, Latin plurals, typos, "
            "places; and ten one-letter and common words such as `a` and `tapis`), none of them "
            "a judged query of `bench/search_queries.tsv` but those common words; then the 13 "
            "sector pages, every work (twice: fr, ar) and four region pages, each with its "
            "facets. Each URL asked once, one at a time, through gunicorn as scripts/serve.sh "
            "starts it (2 sync workers, DEBUG off, SOUK_SANDBOX=1, CACHE_URL=dummy://: no page "
            "or rows kept), after a few other pages warmed each worker's process. Catalogues: "
            "`generate_catalog --artisans 420000 --products 1000000 --seed 2026` on SQLite and "
            "on PostgreSQL (1,000,000 listings). **server**: gunicorn's own request time "
            "(access log `%(D)s`); **client**: time to the last byte on localhost. In ms.",
            "",
            "Machine: "
            + ", ".join(
                f"{key} {value}"
                for key, value in facts.items()
                if key not in {"Commit", "Measured"} and not key.startswith("Load ")
            )
            + ". Other sessions share the 2 cores: the figures are noisy.",
            "",
        ]
    )


def write(label: str, block: str, facts: dict[str, str]) -> None:
    text = BENCHMARKS_MD.read_text(encoding="utf-8")
    if START_MARKER in text:
        before, rest = text.split(START_MARKER, 1)
        section, after = rest.split(END_MARKER, 1)
        runs = re.findall(
            r"<!-- search_uncached run: (.*?) -->.*?<!-- search_uncached run end: \1 -->",
            section,
            flags=re.S,
        )
        kept = {
            name: re.search(
                rf"<!-- search_uncached run: {re.escape(name)} -->.*?"
                rf"<!-- search_uncached run end: {re.escape(name)} -->",
                section,
                flags=re.S,
            )
            for name in runs
        }
        blocks = [m.group(0) for name, m in kept.items() if m and name != label]
    else:
        before, after, blocks = text.rstrip("\n") + "\n\n", "\n", []
    blocks.insert(0, block)
    section = header(facts) + "\n" + "\n\n".join(blocks) + "\n" + END_MARKER
    BENCHMARKS_MD.write_text(before + section + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="", help="the run's heading (default: the commit)")
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    parser.add_argument("--list", action="store_true", help="print the URLs and stop")
    parser.add_argument(
        "--replay",
        action="store_true",
        help="report the run of this label kept in the folder instead of measuring again",
    )
    parser.add_argument(
        "--folder",
        type=Path,
        default=CATALOGUES,
        help="holds sqlite/ (souk.sqlite3 and its keys) and pg/ (keys); logs are written there",
    )
    parser.add_argument("--postgres-database", default=POSTGRES_DATABASE)
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="the SQLite server's port, PostgreSQL's the next (default: 8620 and 8621)",
    )
    options = parser.parse_args()
    chosen = targets()
    if options.list:
        for target in chosen:
            print(f"{target.kind}\t{target.language}\t{target.words}\t{target.path}")
        return
    facts = {**machine_facts.describe(), "SQLite": sqlite3.sqlite_version}
    facts["Commit"] = git_head()
    label = options.label or facts["Commit"]
    record = options.folder / f"search_uncached-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.json"
    # A label's runs are kept together: measuring one database keeps the other's figures.
    kept = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    facts.update(kept.pop("facts", {}))
    results = {d: [Timing(**t) for t in ts] for d, ts in kept.items()}
    for database in [] if options.replay else options.databases.split(","):
        print(f"{database}: {len(chosen)} URLs", flush=True)
        load = os.getloadavg()[0]
        facts["Commit"] = git_head()
        facts["Measured"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        results[database] = measure(database, chosen, options)
        facts[f"Load {database}"] = f"{load:.2f} at start, {os.getloadavg()[0]:.2f} at the end"
        for row in rows_of(database, results[database]):
            print(row)
    if not options.replay:
        kept = {d: [asdict(t) for t in ts] for d, ts in results.items()}
        record.write_text(json.dumps({**kept, "facts": facts}), encoding="utf-8")
    block = run_block(label, results, facts, options)
    print(block)
    if options.write:
        write(label, block, facts)


if __name__ == "__main__":
    main()
