"""The server process freezes what it loaded at start (souk/wsgi.py): a full garbage
collection during a request then walks only the objects requests made, not Django's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]

PROBE = """
import gc
import souk.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_wsgi_process_starts_with_its_loaded_objects_frozen(tmp_path):
    # when gunicorn's worker imports the application (the sandbox's settings, as make run)
    started = subprocess.run(  # noqa: S603  # our own interpreter and arguments
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "souk.settings",
            "SOUK_VAR_DIR": str(tmp_path / "var"),
            "SOUK_SANDBOX": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    frozen, tracked = (int(n) for n in started.stdout.split())
    # then Django and the apps are frozen, and a full collection has next to nothing to walk
    assert frozen > 50_000
    assert tracked < frozen / 20
