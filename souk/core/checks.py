"""System checks that refuse a server Souk must not run: production with a missing or public
secret, or the sandbox beside real keys.

Registered as deployment checks: `manage.py check --deploy` reports them, and souk/wsgi.py runs
every check (these included) before gunicorn serves a request, so a misconfigured server does
not start. Tools such as `compile_translations` or `migrate` are not stopped by them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from souk.core import crypto
from souk.sandbox import keys as sandbox_keys

logger = logging.getLogger("souk.core")
UNSAFE_KEYS = "souk.E001"
SANDBOX_BESIDE_REAL_KEYS = "souk.E002"
# A secret shorter than this is guessable whatever its characters (a key of `a` passed before);
# the processor's back office lets the merchant choose a store key of up to 32 characters.
MIN_SECRET_LENGTH = 12
LOCAL_SITE_URL = "souk.W001"


def configured_secrets() -> Iterator[tuple[str, str, str]]:
    """Every secret the server holds: (its setting's name, its value, the sandbox's value)."""
    yield "CMI_STORE_KEY", str(settings.CMI_STORE_KEY), sandbox_keys.CMI_STORE_KEY
    yield "CMI_API_PASSWORD", str(settings.CMI_API_PASSWORD), sandbox_keys.CMI_API_PASSWORD
    yield (
        "WALLET_CALLBACK_SECRET",
        str(settings.WALLET_CALLBACK_SECRET),
        sandbox_keys.WALLET_CALLBACK_SECRET,
    )
    carriers: dict[str, list[str]] = dict(settings.SHIPPING_WEBHOOK_SECRETS)
    for code, secrets in sorted(carriers.items()):
        for position, secret in enumerate(secrets):
            name = f"SHIPPING_WEBHOOK_SECRETS[{code}]" + (f"#{position + 1}" if position else "")
            yield name, str(secret), sandbox_keys.carrier_secret(code)


def _missing_or_public() -> list[str]:
    names = [
        name
        for name, value, _sandbox_value in configured_secrets()
        if len(value) < MIN_SECRET_LENGTH or sandbox_keys.is_public_default(value)
    ]
    if not settings.SHIPPING_WEBHOOK_SECRETS:
        names.append("SHIPPING_WEBHOOK_SECRETS")
    previous = str(settings.WALLET_CALLBACK_PREVIOUS_SECRET)
    if previous and (len(previous) < MIN_SECRET_LENGTH or sandbox_keys.is_public_default(previous)):
        names.append("WALLET_CALLBACK_PREVIOUS_SECRET")
    return names


def real_keys_beside_the_sandbox() -> list[str]:
    """The secrets set to something other than the sandbox's own value."""
    names = [name for name, value, sandbox_value in configured_secrets() if value != sandbox_value]
    if settings.WALLET_CALLBACK_PREVIOUS_SECRET:
        names.append("WALLET_CALLBACK_PREVIOUS_SECRET")
    return names


@checks.register(checks.Tags.security, deploy=True)
def check_secrets(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Errors for production with an empty or public secret, and for a sandbox beside real keys."""
    if not settings.SOUK_SANDBOX:
        names = _missing_or_public()
        if not names:
            return []
        return [
            checks.Error(
                f"These secrets are empty, shorter than {MIN_SECRET_LENGTH} characters or the "
                "sandbox's public test values: " + ", ".join(names) + ".",
                hint=(
                    "Set each one in the environment to the value the processor, the wallet or "
                    "the carrier gave you (SHIPPING_WEBHOOK_SECRETS: carrier_code=secret,...); "
                    "see docs/architecture.md."
                ),
                id=UNSAFE_KEYS,
            )
        ]
    names = real_keys_beside_the_sandbox()
    if not names:
        return []
    return [
        checks.Error(
            "SOUK_SANDBOX is on, but these secrets are not the sandbox's: "
            + ", ".join(names)
            + ".",
            hint=(
                "The sandbox signs only with its own public keys and must never run beside real "
                "ones: turn SOUK_SANDBOX off in production, or leave these unset for the sandbox."
            ),
            id=SANDBOX_BESIDE_REAL_KEYS,
        )
    ]


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
