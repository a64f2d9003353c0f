"""The worker and the scheduler live through a PostgreSQL outage: real processes against a
PostgreSQL server of the test's own, stopped for a few seconds and started again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from souk.core.tests.throwaway_postgres import ThrowawayPostgres, find_pg_bin, wait_for

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = find_pg_bin()

pytestmark = pytest.mark.skipif(
    PG_BIN is None, reason="PostgreSQL's server tools (pg_ctl, initdb) are not installed"
)


@pytest.fixture
def postgres() -> Iterator[ThrowawayPostgres]:
    assert PG_BIN is not None
    server = ThrowawayPostgres(PG_BIN).create()
    yield server
    server.destroy()


def manage(*arguments: str, environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and commands
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def count(url: str, sql: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            row = connection.execute(sql).fetchone()
    except psycopg.OperationalError:
        return -1
    return int(row[0]) if row else 0


def test_worker_and_scheduler_reconnect_after_the_database_comes_back(postgres, tmp_path):
    # given: the schema, then a worker and a scheduler (checking every second)
    environment = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "SOUK_VAR_DIR": str(tmp_path / "var"),
        "SOUK_SANDBOX": "1",
        "DJANGO_SETTINGS_MODULE": "souk.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    worker_log, scheduler_log = tmp_path / "worker.log", tmp_path / "scheduler.log"
    worker = manage(
        "run_worker",
        "--queue-name",
        "*",
        "--interval",
        "0.2",
        environment=environment,
        log=worker_log,
    )
    scheduler = manage(
        "run_scheduler", "--interval", "1", environment=environment, log=scheduler_log
    )
    done = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
    queued = "SELECT count(*) FROM django_tasks_database_dbtaskresult"
    try:
        assert wait_for(lambda: count(postgres.url, done) >= 1, timeout=60)

        # when: PostgreSQL stops for a few seconds, then starts again
        postgres.stop()
        time.sleep(6)
        alive_during = (worker.poll(), scheduler.poll())
        postgres.start()
        # and every periodic task falls due again
        with psycopg.connect(postgres.url) as connection:
            connection.execute("UPDATE core_periodicrun SET last_queued_at = '2000-01-01'")
        queued_before = count(postgres.url, queued)
        done_before = count(postgres.url, done)

        # then: both processes lived through it, and went back to work on their own
        assert alive_during == (None, None)
        assert wait_for(lambda: count(postgres.url, queued) > queued_before, timeout=60)
        assert wait_for(lambda: count(postgres.url, done) > done_before, timeout=60)
        assert (worker.poll(), scheduler.poll()) == (None, None)
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)
    # and each said once that the database was gone, and then that it was back
    for log in (worker_log, scheduler_log):
        text = log.read_text()
        assert text.count("database unreachable") == 1, text[-2000:]
        assert "database back" in text, text[-2000:]
