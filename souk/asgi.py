"""ASGI entry point, for a deployment that prefers an ASGI server."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

application = get_asgi_application()
