"""What a benchmark ran on, for the tables of docs/benchmarks.md, and the database it runs on."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def _first_field(path: str, prefix: str) -> str:
    with Path(path).open(encoding="utf-8") as info:
        for line in info:
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    return ""


def describe() -> dict[str, str]:
    """CPU, memory, OS and Python; a benchmark adds its database and how busy the machine
    was (other work slows the figures down)."""
    memory_kib = int(_first_field("/proc/meminfo", "MemTotal:").split()[0] or 0)
    return {
        "CPU": f"{_first_field('/proc/cpuinfo', 'model name') or 'unknown'}, "
        f"{os.cpu_count()} cores (nproc)",
        "RAM": f"{memory_kib / 1024 / 1024:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
    }


def fresh_database(database_url: str, workdir: Path) -> str:
    """The database a bench runs on: `database_url`, a PostgreSQL database dropped and created
    again, or without one a new SQLite file in `workdir`."""
    url = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    return url
