"""One throttle for every way in: increasing delays per account, a per-address limit that
never locks out other people's correct log-ins, client addresses from our own proxy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from souk.accounts import throttle
from souk.accounts.models import LoginFailure
from souk.accounts.roles import Role
from souk.accounts.services import grant_role
from souk.accounts.tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN_URL = "/fr/account/login/"
ADMIN_LOGIN_URL = "/fr/admin/login/"
IP_THROTTLED = (
    "Too many failed attempts to log in. For your security, wait 15 minutes, or reset "
    "your password."
)
ACCOUNT_THROTTLED = (
    "Too many failed attempts to log in. For your security, wait %(seconds)s "
    "seconds before trying again, or reset your password."
)


def french(message: str) -> str:
    with translation.override("fr"):
        translated = translation.gettext(message)
    assert translated != message
    return translated


def fail_login(client, identifier: str, times: int, ip: str = "203.0.113.7") -> None:
    for _attempt in range(times):
        response = client.post(
            LOGIN_URL, {"username": identifier, "password": "not-it"}, REMOTE_ADDR=ip
        )
        assert response.status_code == 200


def let_time_pass(delta: timedelta) -> None:
    for failure in LoginFailure.objects.all():
        failure.at -= delta
        failure.save(update_fields=["at"])


def test_admin_login_brute_force_is_slowed_down_and_answered_429(client):
    # given: a moderator, whose back-office password someone guesses 25 times in a row
    moderator = grant_role(user=make_user(email="karim@souk.example"), role=Role.MODERATOR)

    # when
    statuses = [
        client.post(
            ADMIN_LOGIN_URL, {"username": "karim@souk.example", "password": f"guess-{n}"}
        ).status_code
        for n in range(25)
    ]
    right_password_now = client.post(
        ADMIN_LOGIN_URL, {"username": "karim@souk.example", "password": TEST_PASSWORD}
    )

    # then: five tries were read, the other twenty were refused unread, and so is the right
    # password until the delay has passed
    free = throttle.FREE_FAILURES_PER_ACCOUNT
    assert statuses == [200] * free + [429] * (25 - free)
    assert LoginFailure.objects.filter(identifier="karim@souk.example").count() == free
    assert right_password_now.status_code == 429
    assert french(ACCOUNT_THROTTLED).split("%(seconds)s")[0] in right_password_now.content.decode()
    assert "_auth_user_id" not in client.session

    # when: the delay has passed
    let_time_pass(throttle.account_delay(free))
    response = client.post(
        ADMIN_LOGIN_URL, {"username": "karim@souk.example", "password": TEST_PASSWORD}
    )

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(moderator.pk)
    assert LoginFailure.objects.count() == 0


def test_delays_grow_with_each_failure_and_stay_capped():
    free = throttle.FREE_FAILURES_PER_ACCOUNT
    assert throttle.account_delay(free - 1) == timedelta(0)
    assert throttle.account_delay(free) == timedelta(seconds=2)
    assert throttle.account_delay(free + 1) == timedelta(seconds=4)
    assert throttle.account_delay(free + 3) == timedelta(seconds=16)
    assert throttle.account_delay(free + 50) == throttle.MAX_ACCOUNT_DELAY


def test_phone_spellings_share_one_counter_and_the_right_password_waits(client):
    # given: someone failed five times, writing the phone number in different ways
    make_user(email=None, phone="+212612345678")
    fail_login(client, "0612345678", 2)
    fail_login(client, "+212 6 12 34 56 78", 2)
    fail_login(client, "06 12 34 56 78", 1)

    # when
    response = client.post(
        LOGIN_URL,
        {"username": "0612345678", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )

    # then
    assert response.status_code == 429
    assert int(response["Retry-After"]) in (1, 2)
    assert "_auth_user_id" not in client.session
    assert french(ACCOUNT_THROTTLED).split("%(seconds)s")[0] in response.content.decode()
    assert LoginFailure.objects.filter(identifier="+212612345678").count() == 5


def test_after_the_delay_the_right_password_logs_in_without_waiting_15_minutes(client):
    # given: ten failures (the old rule refused even the right password for 15 minutes)
    make_user(email="karim@souk.example")
    LoginFailure.objects.bulk_create(
        LoginFailure(identifier="karim@souk.example", ip_address="203.0.113.7") for _n in range(10)
    )
    let_time_pass(throttle.account_delay(10))

    # when
    response = client.post(LOGIN_URL, {"username": "KARIM@souk.example", "password": TEST_PASSWORD})

    # then
    assert throttle.account_delay(10) < timedelta(minutes=15)
    assert response.status_code == 302


def test_proxy_lockout_failures_behind_the_proxy_do_not_lock_out_others(client, settings):
    # given: one TLS proxy (10.0.0.1) in front; an attacker at 198.51.100.66 tries 100 unknown
    # identifiers through it
    settings.SOUK_TRUSTED_PROXY_HOPS = 1
    settings.SOUK_TRUSTED_PROXIES = ["10.0.0.1/32"]
    admin = grant_role(user=make_user(email="salma@souk.example"), role=Role.ADMIN)
    buyer = make_user(email="emily@souk.example")
    for n in range(throttle.FAILURES_PER_IP):
        client.post(
            LOGIN_URL,
            {"username": f"nobody{n}@souk.example", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )

    # when: the attacker goes on, even writing another address in front of the header
    attacker = client.post(
        LOGIN_URL,
        {"username": "nobody-more@souk.example", "password": "guess"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.66",
    )
    # ... while the administrator and a buyer log in through the same proxy
    logins = {}
    for user, address in ((admin, "203.0.113.5"), (buyer, "203.0.113.77")):
        client.logout()
        response = client.post(
            ADMIN_LOGIN_URL if user is admin else LOGIN_URL,
            {"username": user.email, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )
        logins[user.email] = (response.status_code, client.session.get("_auth_user_id"))

    # then
    assert attacker.status_code == 429
    assert french(IP_THROTTLED) in attacker.content.decode()
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    assert logins == {
        "salma@souk.example": (302, str(admin.pk)),
        "emily@souk.example": (302, str(buyer.pk)),
    }


def test_proxy_lockout_a_client_reaching_the_server_directly_cannot_forge_its_address(
    client, settings
):
    # given: HTTPS=1's one proxy hop, and an attacker who reaches the server directly (not
    # through the proxy on 127.0.0.1) and writes a new X-Forwarded-For on every request
    settings.SOUK_TRUSTED_PROXY_HOPS = 1
    settings.SOUK_TRUSTED_PROXIES = ["127.0.0.0/8", "::1"]
    statuses = [
        client.post(
            LOGIN_URL,
            {"username": f"nobody{n}@souk.example", "password": "guess"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n % 250 + 1}",
        ).status_code
        for n in range(throttle.FAILURES_PER_IP)
    ]

    # when
    response = client.post(
        LOGIN_URL,
        {"username": "nobody-more@souk.example", "password": "guess"},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="192.0.2.251",
    )

    # then: every failure was counted against the address it came from, and the limit holds
    assert statuses == [200] * throttle.FAILURES_PER_IP
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    assert response.status_code == 429
    assert french(IP_THROTTLED) in response.content.decode()


def test_an_address_over_its_limit_still_lets_a_clean_account_log_in(client):
    # given: 100 failures from one address (a carrier's NAT, or a proxy not configured)
    LoginFailure.objects.bulk_create(
        LoginFailure(identifier=f"person{n}@souk.example", ip_address="203.0.113.7")
        for n in range(throttle.FAILURES_PER_IP)
    )
    make_user(email="amina@souk.example")

    # when
    correct = client.post(
        LOGIN_URL,
        {"username": "amina@souk.example", "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    # then
    assert correct.status_code == 302


def test_an_address_over_its_limit_may_not_retry_an_account_that_failed(client):
    # given: 100 failures from one address, one of them on Amina's account
    LoginFailure.objects.bulk_create(
        LoginFailure(identifier=f"person{n}@souk.example", ip_address="203.0.113.7")
        for n in range(throttle.FAILURES_PER_IP - 1)
    )
    make_user(email="amina@souk.example")
    fail_login(client, "amina@souk.example", 1)

    # when
    response = client.post(
        LOGIN_URL,
        {"username": "amina@souk.example", "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    # then
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_records_no_failure(client):
    make_user(email="amina@souk.example")

    client.post(LOGIN_URL, {"username": "amina@souk.example", "password": TEST_PASSWORD})

    assert LoginFailure.objects.count() == 0


def test_failures_older_than_a_day_are_pruned(client):
    make_user(email="karim@souk.example")
    fail_login(client, "karim@souk.example", 3)
    let_time_pass(timedelta(days=1, seconds=1))

    fail_login(client, "someone@souk.example", 1)

    assert list(LoginFailure.objects.values_list("identifier", flat=True)) == [
        "someone@souk.example"
    ]
