"""Password guessing is slowed down: too many failures refuse further tries for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from souk.accounts.models import LoginFailure
from souk.accounts.services import (
    LOGIN_FAILURES_PER_IDENTIFIER,
    LOGIN_FAILURES_PER_IP,
    LOGIN_WINDOW,
)
from souk.accounts.tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN_URL = "/fr/account/login/"
THROTTLED = (
    "Too many failed attempts to log in. For your security, wait 15 minutes, or reset "
    "your password."
)


def fail_login(client, identifier: str, times: int, ip: str = "203.0.113.7") -> None:
    for _attempt in range(times):
        response = client.post(
            LOGIN_URL, {"username": identifier, "password": "not-it"}, REMOTE_ADDR=ip
        )
        assert response.status_code == 200


def test_after_ten_failures_even_the_right_password_is_refused_with_429(client):
    # given: someone guessed ten times, writing the phone number in different ways
    make_user(email=None, phone="+212612345678")
    fail_login(client, "0612345678", LOGIN_FAILURES_PER_IDENTIFIER // 2)
    fail_login(client, "+212 6 12 34 56 78", LOGIN_FAILURES_PER_IDENTIFIER // 2)

    # when
    response = client.post(
        LOGIN_URL,
        {"username": "06 12 34 56 78", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )

    # then
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    with translation.override("fr"):
        message = translation.gettext(THROTTLED)
    assert message != THROTTLED
    assert message in response.content.decode()


def test_failures_older_than_the_window_no_longer_count(client):
    make_user(email="karim@souk.example")
    fail_login(client, "karim@souk.example", LOGIN_FAILURES_PER_IDENTIFIER)
    LoginFailure.objects.update(at=timezone.now() - LOGIN_WINDOW - timedelta(seconds=1))

    response = client.post(LOGIN_URL, {"username": "KARIM@souk.example", "password": TEST_PASSWORD})

    assert response.status_code == 302


def test_one_address_trying_many_accounts_is_refused(client):
    # given: failures on many different accounts from one address
    LoginFailure.objects.bulk_create(
        LoginFailure(identifier=f"person{n}@souk.example", ip_address="203.0.113.7")
        for n in range(LOGIN_FAILURES_PER_IP)
    )
    make_user(email="amina@souk.example")

    response = client.post(
        LOGIN_URL,
        {"username": "amina@souk.example", "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 429


def test_a_successful_login_records_no_failure(client):
    make_user(email="amina@souk.example")

    client.post(LOGIN_URL, {"username": "amina@souk.example", "password": TEST_PASSWORD})

    assert LoginFailure.objects.count() == 0
