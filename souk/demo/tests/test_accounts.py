"""The demo accounts: one login per role; the demo staff pass the second factor with the
published key."""

from __future__ import annotations

import io

import pyotp
import pytest
from django.core.management import call_command

from souk.demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/account/login/"
VERIFY_URL = "/en/account/security/verify/"


def test_the_demo_staff_log_in_with_the_published_password_and_key(client):
    # given
    call_command("seed_demo", stdout=io.StringIO())
    client.post(LOGIN_URL, {"username": "admin@souk.example", "password": DEMO_PASSWORD})

    # when
    asked = client.get("/en/admin/")
    verified = client.post(
        f"{VERIFY_URL}?next=/en/admin/", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()}
    )

    # then
    assert asked["Location"].startswith(VERIFY_URL)
    assert verified["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_demo_totp_code_prints_the_current_code_of_the_demo_staff():
    output = io.StringIO()

    call_command("demo_totp_code", stdout=output)

    assert pyotp.TOTP(DEMO_TOTP_SECRET).verify(output.getvalue().strip())
