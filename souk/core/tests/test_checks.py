"""Production refuses empty and public secrets; the sandbox refuses real ones (issue #13,
defect 3): `manage.py check --deploy` and the WSGI entry point in processes of their own, as
production starts them, and the site URL check. The secrets check function under overridden
settings is tested in souk/sandbox/tests/test_checks.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from souk.core import checks

BASE_DIR = Path(__file__).resolve().parents[3]
ALL_SECRETS = [
    "CMI_STORE_KEY",
    "CMI_API_PASSWORD",
    "WALLET_CALLBACK_SECRET",
    "SHIPPING_WEBHOOK_SECRETS",
]
REAL_SECRETS = {
    "CMI_STORE_KEY": "k8Jq2-store-key-from-cmi",
    "CMI_API_PASSWORD": "p4ss-from-the-cmi-back-office",
    "WALLET_CALLBACK_SECRET": "w4llet-secret-from-the-wallet",
    "SHIPPING_WEBHOOK_SECRETS": "amana=amana-secret-1,amana-international=intl-secret-1",
    # Personal data at rest (souk.core.crypto): a Fernet key and the CIN blind-index key.
    "SOUK_FIELD_KEYS": "Xk3bV0m1Qy7c2s9dHq4a8RjW6nT5uZpL1eYgF0iKoMs=",
    "SOUK_BLIND_INDEX_KEY": "blind-index-key-of-at-least-32-characters-0123",
    # Ed25519 seeds of sales attestations and certificates of origin (souk.core.signing).
    "SOUK_ATTESTATION_KEY": "11" * 32,
    "SOUK_CERTIFICATE_KEY": "22" * 32,
}


def _production(settings, **secrets: object) -> None:
    settings.SOUK_SANDBOX = False
    settings.CMI_STORE_KEY = secrets.get("CMI_STORE_KEY", "")
    settings.CMI_API_PASSWORD = secrets.get("CMI_API_PASSWORD", "")
    settings.WALLET_CALLBACK_SECRET = secrets.get("WALLET_CALLBACK_SECRET", "")
    settings.WALLET_CALLBACK_PREVIOUS_SECRET = secrets.get("WALLET_CALLBACK_PREVIOUS_SECRET", "")
    settings.SHIPPING_WEBHOOK_SECRETS = secrets.get("SHIPPING_WEBHOOK_SECRETS", {})


def test_production_with_the_local_default_site_url_is_warned(settings):
    # given production whose SOUK_SITE_URL was left to its default (the PORT of make run)
    _production(settings)
    settings.HTTPS = True
    settings.SOUK_SITE_URL = "http://127.0.0.1:8000"
    # when / then
    [warning] = checks.check_site_url()
    assert warning.id == "souk.W001"
    assert not warning.is_serious()
    settings.SOUK_SITE_URL = "https://souk.example"
    assert checks.check_site_url() == []


def _run(tmp_path: Path, code: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    """Run Python in a clean process, with only the environment given (as a server gets it)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "souk.settings",
        "SOUK_VAR_DIR": str(tmp_path / "var"),
        **environment,
    }
    return subprocess.run(  # noqa: S603  # our own interpreter and arguments
        [sys.executable, *code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SOUK_SANDBOX": "0",
    "SECRET_KEY": "a-long-random-secret-key-for-this-test-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "souk.example",
    "SOUK_SITE_URL": "https://souk.example",
    "CMI_GATEWAY_URL": "https://testpayment.cmi.co.ma/fim/est3Dgate",
    "CMI_API_URL": "https://testpayment.cmi.co.ma/fim/api",
    "WALLET_API_URL": "https://wallet.example/api",
}


def test_check_deploy_on_production_without_secrets_fails_naming_each_one(tmp_path):
    result = _run(tmp_path, ["manage.py", "check", "--deploy"], **PRODUCTION)

    assert result.returncode == 1
    assert "souk.E001" in result.stderr
    for name in ALL_SECRETS:
        assert name in result.stderr
    # and the keys of personal data at rest
    assert "souk.E101" in result.stderr
    assert "souk.E102" in result.stderr
    # and the signing keys of attestations and certificates of origin
    assert "SOUK_ATTESTATION_KEY" in result.stderr
    assert "SOUK_CERTIFICATE_KEY" in result.stderr


def test_check_deploy_warns_of_a_site_url_left_on_this_machine(tmp_path):
    environment = {**PRODUCTION, **REAL_SECRETS}
    del environment["SOUK_SITE_URL"]

    result = _run(tmp_path, ["manage.py", "check", "--deploy"], **environment)

    assert result.returncode == 0, result.stderr
    assert "souk.W001" in result.stdout + result.stderr
    assert "'http://127.0.0.1:8000'" in result.stdout + result.stderr
    # and the server starts, saying so in its log
    started = _run(tmp_path, ["-c", "import souk.wsgi"], **environment)
    assert started.returncode == 0, started.stderr
    assert "souk.W001" in started.stderr


def test_check_deploy_on_production_with_its_secrets_passes_without_warnings(tmp_path):
    result = _run(tmp_path, ["manage.py", "check", "--deploy"], **PRODUCTION, **REAL_SECRETS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_wsgi_server_refuses_to_start_without_secrets(tmp_path):
    # when gunicorn imports the application, with the secrets unset
    refused = _run(tmp_path, ["-c", "import souk.wsgi"], **PRODUCTION)
    started = _run(tmp_path, ["-c", "import souk.wsgi"], **PRODUCTION, **REAL_SECRETS)
    sandbox = _run(tmp_path, ["-c", "import souk.wsgi"], SOUK_SANDBOX="1")
    # then only the first is refused, naming what is missing
    assert refused.returncode == 1
    assert "Souk refuses to start" in refused.stderr
    assert "CMI_STORE_KEY" in refused.stderr
    assert started.returncode == 0, started.stderr
    assert sandbox.returncode == 0, sandbox.stderr


def test_the_wsgi_server_refuses_a_sandbox_beside_real_keys(tmp_path):
    result = _run(
        tmp_path, ["-c", "import souk.wsgi"], SOUK_SANDBOX="1", CMI_STORE_KEY="k8Jq2-real"
    )

    assert result.returncode == 1
    assert "souk.E002" in result.stderr


@pytest.mark.parametrize(
    ("port", "expected"), [("8123", "http://127.0.0.1:8123"), ("", "http://127.0.0.1:8000")]
)
def test_the_site_url_follows_port_so_payments_come_back_to_it(tmp_path, port, expected):
    # given `PORT=8123 make run` (PORT reaches the settings through the environment)
    environment = {"SOUK_SANDBOX": "1", **({"PORT": port} if port else {})}
    # when
    result = _run(
        tmp_path,
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SOUK_SITE_URL, s.CMI_GATEWAY_URL, s.WALLET_API_URL)",
        ],
        **environment,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        expected,
        f"{expected}/sandbox/cmi/fim/est3Dgate",
        f"{expected}/sandbox/wallet/api",
    ]
