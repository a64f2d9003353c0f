"""Production refuses empty and public secrets; the sandbox refuses real ones (issue #13,
defect 3): the check function under overridden settings. `manage.py check --deploy` and the WSGI
entry point in processes of their own are in souk/core/tests/test_checks.py."""

from __future__ import annotations

from souk.sandbox import checks, keys

ALL_SECRETS = [
    "CMI_STORE_KEY",
    "CMI_API_PASSWORD",
    "WALLET_CALLBACK_SECRET",
    "SHIPPING_WEBHOOK_SECRETS",
]


def _production(settings, **secrets: object) -> None:
    settings.SOUK_SANDBOX = False
    settings.CMI_STORE_KEY = secrets.get("CMI_STORE_KEY", "")
    settings.CMI_API_PASSWORD = secrets.get("CMI_API_PASSWORD", "")
    settings.WALLET_CALLBACK_SECRET = secrets.get("WALLET_CALLBACK_SECRET", "")
    settings.WALLET_CALLBACK_PREVIOUS_SECRET = secrets.get("WALLET_CALLBACK_PREVIOUS_SECRET", "")
    settings.SHIPPING_WEBHOOK_SECRETS = secrets.get("SHIPPING_WEBHOOK_SECRETS", {})


def test_production_without_secrets_is_an_error_naming_each_one(settings):
    _production(settings)

    [error] = checks.check_secrets()

    assert error.id == "souk.E001"
    assert error.is_serious()
    for name in ALL_SECRETS:
        assert name in error.msg


def test_production_with_the_sandbox_public_keys_is_an_error_naming_each_one(settings):
    # given the documented test values, the ones that paid an order and delivered a parcel
    _production(
        settings,
        CMI_STORE_KEY=keys.CMI_STORE_KEY,
        CMI_API_PASSWORD=keys.CMI_API_PASSWORD,
        WALLET_CALLBACK_SECRET=keys.WALLET_CALLBACK_SECRET,
        WALLET_CALLBACK_PREVIOUS_SECRET=keys.WALLET_CALLBACK_SECRET,
        SHIPPING_WEBHOOK_SECRETS={
            "amana": [keys.carrier_secret("amana")],
            "ems": ["ems-real-secret-1", keys.LEGACY_CARRIER_SECRET],
            "amana-international": [""],
        },
    )

    [error] = checks.check_secrets()

    assert error.msg == (
        "These secrets are empty, shorter than 12 characters or the sandbox's public test "
        "values: CMI_STORE_KEY, "
        "CMI_API_PASSWORD, WALLET_CALLBACK_SECRET, SHIPPING_WEBHOOK_SECRETS[amana], "
        "SHIPPING_WEBHOOK_SECRETS[amana-international], SHIPPING_WEBHOOK_SECRETS[ems]#2, "
        "WALLET_CALLBACK_PREVIOUS_SECRET."
    )


def test_production_with_its_own_secrets_passes(settings):
    _production(
        settings,
        CMI_STORE_KEY="k8Jq2-store-key",
        CMI_API_PASSWORD="p4ss-from-cmi-api",
        WALLET_CALLBACK_SECRET="w4llet-secret-1",
        WALLET_CALLBACK_PREVIOUS_SECRET="w4llet-secret-0",
        SHIPPING_WEBHOOK_SECRETS={
            "amana": ["amana-secret-1", "amana-secret-0"],
            "amana-international": ["international-1"],
        },
    )

    assert checks.check_secrets() == []


def test_production_with_secrets_short_enough_to_guess_is_an_error(settings):
    # given what an outside review set: one character each
    _production(
        settings,
        CMI_STORE_KEY="a",
        CMI_API_PASSWORD="b",
        WALLET_CALLBACK_SECRET="c",
        WALLET_CALLBACK_PREVIOUS_SECRET="d",
        SHIPPING_WEBHOOK_SECRETS={"amana": ["e"]},
    )

    [error] = checks.check_secrets()

    assert error.id == "souk.E001"
    assert error.msg.endswith(
        "values: CMI_STORE_KEY, CMI_API_PASSWORD, WALLET_CALLBACK_SECRET, "
        "SHIPPING_WEBHOOK_SECRETS[amana], WALLET_CALLBACK_PREVIOUS_SECRET."
    )


def test_the_sandbox_with_its_own_keys_passes(settings):
    settings.SOUK_SANDBOX = True

    assert checks.check_secrets() == []


def test_the_sandbox_beside_a_real_key_is_an_error(settings):
    settings.SOUK_SANDBOX = True
    settings.CMI_STORE_KEY = "k8Jq2-real"
    settings.SHIPPING_WEBHOOK_SECRETS = {"amana": ["a-real-one"]}

    [error] = checks.check_secrets()

    assert error.id == "souk.E002"
    assert error.msg == (
        "SOUK_SANDBOX is on, but these secrets are not the sandbox's: CMI_STORE_KEY, "
        "SHIPPING_WEBHOOK_SECRETS[amana]."
    )
