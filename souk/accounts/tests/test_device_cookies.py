"""Device cookies: an outsider's wrong passwords no longer keep the owner out of the browser
where they logged in before (OWASP "device cookies"; issue #13, review finding B)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client

from souk.accounts import devices, throttle
from souk.accounts.models import LoginFailure, User
from souk.accounts.roles import Role
from souk.accounts.services import grant_role
from souk.accounts.tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN_URL = "/fr/account/login/"
ADMIN_LOGIN_URL = "/fr/admin/login/"
COOKIE = "souk_device"


def log_in(client: Client, email: str, password: str = TEST_PASSWORD, url: str = LOGIN_URL):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR="203.0.113.5")


def let_time_pass(delta: timedelta) -> None:
    for failure in LoginFailure.objects.all():
        failure.at -= delta
        failure.save(update_fields=["at"])


def drive_to_longest_delay(email: str) -> Client:
    """An attacker's browser guesses, waiting out each delay, until the account waits the most."""
    attacker = Client()
    while throttle.account_delay(LoginFailure.objects.count()) < throttle.MAX_ACCOUNT_DELAY:
        response = attacker.post(
            LOGIN_URL, {"username": email, "password": "guess"}, REMOTE_ADDR="198.51.100.66"
        )
        if response.status_code == 429:
            let_time_pass(timedelta(seconds=int(response["Retry-After"])))
        else:
            assert response.status_code == 200
    return attacker


def owner_browser(email: str) -> Client:
    """The owner's usual browser: it logged in before, then logged out."""
    browser = Client()
    assert log_in(browser, email).status_code == 302
    browser.post("/fr/account/logout/")
    assert "_auth_user_id" not in browser.session
    assert browser.cookies[COOKIE].value
    return browser


def test_lockout_the_owners_browser_logs_in_at_once_while_strangers_wait(client):
    # given: the owner logged in before on their browser; an attacker then drove the account
    # to its longest delay
    owner = make_user(email="shop06@souk.example")
    browser = owner_browser("shop06@souk.example")
    attacker = drive_to_longest_delay("shop06@souk.example")
    failures = LoginFailure.objects.count()

    # when
    owners_login = log_in(browser, "shop06@souk.example")
    fresh_browser = log_in(client, "shop06@souk.example")
    attackers_next = attacker.post(
        LOGIN_URL, {"username": "shop06@souk.example", "password": "guess"}
    )

    # then: the owner is in at once; a browser without the cookie still waits, and the
    # attacker's failures still count (the owner's visit gave no new free tries)
    assert owners_login.status_code == 302
    assert browser.session["_auth_user_id"] == str(owner.pk)
    assert fresh_browser.status_code == 429
    assert int(fresh_browser["Retry-After"]) > 800
    assert "_auth_user_id" not in client.session
    assert attackers_next.status_code == 429
    assert LoginFailure.objects.count() == failures


def test_lockout_the_back_office_login_gives_and_honours_the_device_cookie(client):
    # given: a moderator logs in to the back office once (a way in of its own)
    grant_role(user=make_user(email="moderator@souk.example"), role=Role.MODERATOR)
    first = log_in(client, "moderator@souk.example", url=ADMIN_LOGIN_URL)
    cookie = first.cookies[COOKIE]
    client.post("/fr/account/logout/")
    drive_to_longest_delay("moderator@souk.example")

    # when
    response = log_in(client, "moderator@souk.example", url=ADMIN_LOGIN_URL)

    # then: a long-lived, HttpOnly, SameSite=Lax cookie, and the moderator is back in
    assert first.status_code == 302
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == int(devices.MAX_AGE.total_seconds())
    assert response.status_code == 302


def test_the_device_cookie_is_secure_and_host_only_behind_https(client, settings):
    # given
    settings.HTTPS = True
    make_user(email="amina@souk.example")

    # when
    response = client.post(
        LOGIN_URL,
        {"username": "amina@souk.example", "password": TEST_PASSWORD},
        secure=True,
    )

    # then
    cookie = response.cookies["__Host-souk_device"]
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_lockout_a_forged_or_other_accounts_cookie_exempts_nothing(client):
    # given: a browser with a genuine cookie for another account, and forged ones for Karim
    karim = make_user(email="karim@souk.example")
    make_user(email="attacker@souk.example")
    attackers_own = owner_browser("attacker@souk.example").cookies[COOKIE].value
    drive_to_longest_delay("karim@souk.example")
    genuine = signing.loads(attackers_own, salt=devices.SALT)
    forged = [
        attackers_own,
        # Karim's id in a cookie signed with another key.
        signing.dumps([[karim.pk, "f" * 32, genuine[0][2]]], salt="not-ours"),
        # A genuine cookie whose account id was rewritten.
        attackers_own.replace(attackers_own[:8], "A" * 8),
        "not-a-cookie",
    ]

    # when
    statuses = []
    for value in forged:
        client.cookies[COOKIE] = value
        statuses.append(log_in(client, "karim@souk.example").status_code)

    # then
    assert statuses == [429] * len(forged)
    assert "_auth_user_id" not in client.session


def test_lockout_the_devices_own_failures_are_limited(client):
    # given: the owner's browser, while the account is at its longest delay
    make_user(email="shop06@souk.example")
    browser = owner_browser("shop06@souk.example")
    drive_to_longest_delay("shop06@souk.example")

    # when: that browser (or whoever holds it) guesses
    guesses = [
        log_in(browser, "shop06@souk.example", password=f"guess-{n}").status_code
        for n in range(throttle.DEVICE_FREE_FAILURES)
    ]
    right_password = log_in(browser, "shop06@souk.example")

    # then: its own allowance was read, then its cookie no longer exempts it
    assert guesses == [200] * throttle.DEVICE_FREE_FAILURES
    assert right_password.status_code == 429
    assert "_auth_user_id" not in browser.session


def test_a_new_password_withdraws_the_exemption_of_browsers_that_knew_the_old_one(client):
    # given: a browser that logged in with the old password; the owner then set a new one
    user = make_user(email="shop06@souk.example")
    browser = owner_browser("shop06@souk.example")
    user.set_password("a-new-long-passphrase")
    user.save(update_fields=["password"])
    drive_to_longest_delay("shop06@souk.example")

    # when
    response = log_in(browser, "shop06@souk.example", password="a-new-long-passphrase")

    # then
    assert response.status_code == 429
    assert User.objects.get(pk=user.pk).check_password("a-new-long-passphrase")


def test_one_browser_remembers_several_accounts(client):
    # given: two people log in on one shared browser, one after the other
    make_user(email="amina@souk.example")
    make_user(email="karim@souk.example")
    browser = owner_browser("amina@souk.example")
    assert log_in(browser, "karim@souk.example").status_code == 302
    browser.post("/fr/account/logout/")
    drive_to_longest_delay("amina@souk.example")

    # when
    response = log_in(browser, "amina@souk.example")

    # then
    assert response.status_code == 302
