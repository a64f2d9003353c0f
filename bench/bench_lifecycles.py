"""Benchmark and long run: N random order lifecycles (souk/orders/tests/lifecycles.py), each
checked against the ledger and its own money, on the database of DATABASE_URL.

Run: .venv/bin/python bench/bench_lifecycles.py [--lifecycles 20000] [--first-seed S]
     [--database-url URL]
Default database: a fresh SQLite file (WAL) in a temporary folder; for PostgreSQL pass
--database-url postgres://postgres@127.0.0.1:5432/souk_bench_lifecycles (the database is
recreated). Without --first-seed the first seed is drawn at random and printed, so every run
explores new lifecycles; a finding names its seed, rerun it in the suite with
SOUK_LIFECYCLE_SEED=<seed>. Prints lifecycles/s, CPU time per lifecycle and the findings per
rule with their seeds; exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from machine import fresh_database

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifecycles", type=int, default=20_000)
    parser.add_argument("--first-seed", type=int, default=None)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    options = parser.parse_args()
    first_seed = options.first_seed if options.first_seed is not None else secrets.randbelow(10**9)

    workdir = Path(tempfile.mkdtemp(prefix="souk-bench-lifecycles-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "souk.settings",
            "SOUK_SANDBOX": "1",
            "SOUK_VAR_DIR": str(workdir),
            "DATABASE_URL": fresh_database(options.database_url, workdir),
        }
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=os.environ, check=True, cwd=ROOT)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import translation

    # As the test suite runs them: the test client's host, fast password hashing for the few
    # users, files in the temporary folder, messages in English.
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = workdir / "media"
    settings.PRIVATE_MEDIA_ROOT = workdir / "private"
    translation.activate("en")
    from souk.orders.tests.lifecycle_world import make_world
    from souk.orders.tests.lifecycles import run_lifecycle

    world = make_world()
    seeds_by_rule: dict[str, list[int]] = defaultdict(list)
    examples: dict[str, str] = {}
    broken = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for seed in range(first_seed, first_seed + options.lifecycles):
        findings, _trace = run_lifecycle(world, seed)
        broken += bool(findings)
        for finding in findings:
            if seed not in seeds_by_rule[finding.rule]:
                seeds_by_rule[finding.rule].append(seed)
            examples.setdefault(finding.rule, str(finding))
        done = seed - first_seed + 1
        if done % 1000 == 0:
            print(f"  {done} lifecycles, {broken} with findings", file=sys.stderr, flush=True)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    version = ".".join(str(part) for part in connection.get_database_version())
    engine = f"{connection.display_name} {version}"
    count = options.lifecycles
    print(f"database: {engine}; seeds {first_seed}..{first_seed + count - 1}")
    print("| lifecycles | wall (s) | lifecycles/s | CPU per lifecycle (ms) | with findings |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {count:,} | {elapsed:.0f} | {count / elapsed:.1f} | {1000 * cpu / count:.0f} "
        f"| {broken} |"
    )
    for rule, seeds in sorted(seeds_by_rule.items()):
        print(f"{rule}: {len(seeds)} lifecycles, seeds {seeds[:10]}")
        print(f"    {examples[rule]}")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
