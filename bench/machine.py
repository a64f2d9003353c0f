"""What a benchmark ran on, for the tables of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
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
