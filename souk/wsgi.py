"""WSGI entry point, served by gunicorn in `make run`.

Every system check runs first, deployment checks included: a server whose secrets are missing
or public, or whose sandbox sits beside real keys, raises here and gunicorn does not start
(souk/core/checks.py, souk/sandbox/checks.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

application = get_wsgi_application()

from souk.core.checks import refuse_to_start  # noqa: E402  # needs the apps loaded just above

refuse_to_start()
