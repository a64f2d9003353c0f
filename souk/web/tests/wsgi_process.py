"""Run Python in a new process that imports souk.wsgi as gunicorn's worker does (the
sandbox's settings, as make run): what the server process holds before its first request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]


def run_server_process(probe: str, home: Path) -> str:
    """`probe`'s standard output; it failing fails the test with its standard error."""
    started = subprocess.run(  # noqa: S603  # our own interpreter and arguments
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "DJANGO_SETTINGS_MODULE": "souk.settings",
            "SOUK_VAR_DIR": str(home / "var"),
            "SOUK_SANDBOX": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    return started.stdout
