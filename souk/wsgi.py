"""WSGI entry point, served by gunicorn in `make run`.

Every system check runs first, deployment checks included: a server whose secrets are missing
or public, or whose sandbox sits beside real keys, raises here and gunicorn does not start
(souk/core/checks.py, souk/sandbox/checks.py).

Then what the process loaded to get here (Django, the apps, their modules: about 160,000
objects) is moved out of the garbage collector's sight with `gc.freeze()`. They live as long as
the process, yet every full collection walked them all: about 100 ms, once every few hundred
requests, inside whichever request triggered it. Frozen, a full collection walks only what
requests made since (30 ms at worst over 400 product pages, measured in one process).
"""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

# As django.core.wsgi.get_wsgi_application, with Django's handler resolving a kept page's
# address once per process (souk/core/pagecache.py, Handler).
django.setup(set_prefix=False)

from souk.core.pagecache import Handler  # noqa: E402  # needs the apps loaded just above

application = Handler()

from souk.core.checks import refuse_to_start  # noqa: E402  # needs the apps loaded just above

refuse_to_start()

from souk.core.warmup import warm_up  # noqa: E402  # needs the apps loaded just above

warm_up()

# Last: everything above is loaded for the life of the process (see the docstring).
gc.collect()
gc.freeze()
