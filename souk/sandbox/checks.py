"""The deployment check of the outside world's secrets: production refuses an empty, short or
public one (souk.E001), and the sandbox refuses to run beside a real one (souk.E002).

It lives with the sandbox because only the sandbox knows its public values (keys.py); core
knows nothing of them. The sandbox app is installed in every profile (it is only mounted while
SOUK_SANDBOX is on), so this check runs in production too: registered when SandboxConfig.ready()
imports this module, run by `manage.py check --deploy` and by souk/wsgi.py before serving
(souk.core.checks.refuse_to_start).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from souk.sandbox import keys as sandbox_keys

UNSAFE_KEYS = "souk.E001"
SANDBOX_BESIDE_REAL_KEYS = "souk.E002"
# A secret shorter than this is guessable whatever its characters (a key of `a` passed before);
# the processor's back office lets the merchant choose a store key of up to 32 characters.
MIN_SECRET_LENGTH = 12


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
