"""The server process freezes what it loaded at start (souk/wsgi.py): a full garbage
collection during a request then walks only the objects requests made, not Django's."""

from __future__ import annotations

from souk.web.tests.wsgi_process import run_server_process

PROBE = """
import gc
import souk.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_wsgi_process_starts_with_its_loaded_objects_frozen(tmp_path):
    # when gunicorn's worker imports the application (the sandbox's settings, as make run)
    output = run_server_process(PROBE, tmp_path)
    frozen, tracked = (int(n) for n in output.split())
    # then Django and the apps are frozen, and a full collection has next to nothing to walk
    assert frozen > 50_000
    assert tracked < frozen / 20
