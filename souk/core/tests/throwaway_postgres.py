"""A PostgreSQL server of our own, in a temporary directory on a free port, that a test or the
fault drill (bench/fault_drill.py) may stop and start at will: the machine's server on 5432,
which other tests use, is never touched."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_pg_bin() -> Path | None:
    """The directory of pg_ctl and initdb, or None when PostgreSQL's server is not installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayPostgres:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="souk-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        # initdb refuses to run as root: the server then belongs to the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, user="postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/souk"

    def _run(self, *command: str) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            [*self.as_user, *command], check=True, capture_output=True, timeout=120
        )

    def create(self) -> ThrowawayPostgres:
        try:
            self._create()
        except BaseException:
            # A server left running by a half-done setup would outlive the test.
            self.destroy()
            raise
        return self

    def _create(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self._run(
            str(self.bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "souk",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_ready(self) -> bool:
        ready = subprocess.run(  # noqa: S603 - PostgreSQL's own tool, fixed arguments
            [str(self.bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
            timeout=10,
        )
        return ready.returncode == 0

    def destroy(self) -> None:
        if self.is_ready():
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for(condition: object, *, timeout: float, every: float = 0.5) -> bool:
    """Poll `condition()` until it is true or `timeout` seconds passed; its last answer."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():  # type: ignore[operator]  # any callable returning a truth value
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
