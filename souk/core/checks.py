"""System checks that refuse a server Souk must not run: production with missing or weak keys
of personal data, or sending buyers and callbacks to this machine. The secrets of the processor,
the wallet and the carriers are checked by the sandbox app, which knows its public values
(souk/sandbox/checks.py: souk.E001, souk.E002).

Registered as deployment checks: `manage.py check --deploy` reports them, and souk/wsgi.py runs
every check (these included) before gunicorn serves a request, so a misconfigured server does
not start. Tools such as `compile_translations` or `migrate` are not stopped by them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from souk.core import crypto, signing

logger = logging.getLogger("souk.core")
LOCAL_SITE_URL = "souk.W001"


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Errors for production whose CIN/RIB keys are missing, short or unreadable (souk.E101-4);
    keys generated into var/ serve `make run` and the tests only."""
    if settings.SOUK_SANDBOX:
        return []
    return crypto.key_problems()


@checks.register(checks.Tags.security, deploy=True)
def check_signing_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Errors for production whose attestation or certificate signing key is not set from the
    environment or is not an Ed25519 seed (souk.E111, souk.E112)."""
    if settings.SOUK_SANDBOX:
        return []
    return signing.key_problems()


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A warning when production would send buyers and callbacks to this machine or to http."""
    if settings.SOUK_SANDBOX:
        return []
    site = urlsplit(str(settings.SOUK_SITE_URL))
    is_local = site.hostname in ("127.0.0.1", "localhost", "::1", None)
    if not is_local and (site.scheme == "https" or not settings.HTTPS):
        return []
    return [
        checks.Warning(
            f"SOUK_SITE_URL is {settings.SOUK_SITE_URL!r}: payment forms, callbacks and links in "
            "emails would point there.",
            hint="Set SOUK_SITE_URL to the site's public https:// address.",
            id=LOCAL_SITE_URL,
        )
    ]


def refuse_to_start() -> None:
    """Run every system check, deployment ones included; raise ImproperlyConfigured naming each
    error, so a server (souk/wsgi.py) stops before it serves anything."""
    messages = checks.run_checks(include_deployment_checks=True)
    for message in messages:
        # Souk's own warnings are worth a line in the server's log; Django's deployment
        # warnings would repeat at every start of `make run`, which has no TLS.
        if str(message.id).startswith("souk.") and not message.is_serious():
            logger.warning("%s", message)
    errors = [message for message in messages if message.is_serious() and not message.is_silenced()]
    if errors:
        raise ImproperlyConfigured(
            "Souk refuses to start:\n" + "\n".join(str(message) for message in errors)
        )
