"""The second factor over HTTP: enrolment, the code after the password, replays, recovery
codes, throttling, and staff sent to it before the back office."""

from __future__ import annotations

import datetime
import io

import pyotp
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from souk.accounts import services as accounts
from souk.accounts.models import RecoveryCode, SecondFactorFailure, TotpDevice, User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import TEST_PASSWORD, make_user
from souk.accounts.two_factor import services
from souk.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/account/login/"
SETUP_URL = "/en/account/security/setup/"
VERIFY_URL = "/en/account/security/verify/"
CODES_URL = "/en/account/security/recovery-codes/"
PROFILE_URL = "/en/account/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def log_in(client, user: User) -> None:
    response = client.post(LOGIN_URL, {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def client_class() -> Client:
    return Client()


def enrolled(user: User) -> tuple[pyotp.TOTP, list[str]]:
    """`user` with a confirmed authenticator; returns it and the recovery codes."""
    device = services.start_enrolment(user=user)
    totp = pyotp.TOTP(device.secret)
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    codes = services.confirm_enrolment(user=user, code=totp.at(earlier), now=earlier)
    return totp, codes


def test_an_artisan_turns_the_second_factor_on_and_sees_ten_recovery_codes_once(client):
    # given
    user = accounts.grant_role(user=make_user(), role=Role.ARTISAN)
    log_in(client, user)

    # when: the setup page shows a QR code and the key; the first code turns it on
    page = client.get(SETUP_URL)
    device = TotpDevice.objects.get(user=user)
    confirmed = client.post(SETUP_URL, {"code": pyotp.TOTP(device.secret).now()})
    shown = client.get(confirmed["Location"])
    shown_again = client.get(CODES_URL)

    # then
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert device.secret[:4] in body
    assert confirmed.status_code == 302
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & set(stored)
    assert shown_again.status_code == 302
    assert AuditEntry.objects.filter(action="account.second_factor_enabled").count() == 1


def test_a_wrong_first_code_leaves_the_second_factor_off(client):
    user = make_user()
    log_in(client, user)
    client.get(SETUP_URL)

    response = client.post(SETUP_URL, {"code": "000000"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This code is not right, or it was already used. Enter the current code."
    ]
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    assert RecoveryCode.objects.filter(user=user).count() == 0


def test_after_the_password_every_page_waits_for_the_code(client):
    # given: an account with the second factor on
    user = make_user()
    totp, _codes = enrolled(user)

    # when: the password alone
    log_in(client, user)
    before = client.get(PROFILE_URL)
    verified = client.post(f"{VERIFY_URL}?next={PROFILE_URL}", {"code": totp.now()})
    after = client.get(PROFILE_URL)

    # then
    assert before.status_code == 302
    assert before["Location"] == f"{VERIFY_URL}?next=%2Fen%2Faccount%2F"
    assert verified.status_code == 302
    assert verified["Location"] == PROFILE_URL
    assert after.status_code == 200


def test_a_code_replayed_within_its_window_is_refused(client):
    # given: the code was just used in one session
    user = make_user()
    totp, _codes = enrolled(user)
    code = totp.now()
    log_in(client, user)
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302
    other = client_class()

    # when: someone who saw it types it in another session
    log_in(other, user)
    replayed = other.post(VERIFY_URL, {"code": code})

    # then
    assert replayed.status_code == 400
    assert "already used" in replayed.content.decode()
    assert other.get(PROFILE_URL).status_code == 302


def test_a_recovery_code_lets_in_once(client):
    # given
    user = make_user()
    _totp, codes = enrolled(user)
    log_in(client, user)

    # when
    first = client.post(VERIFY_URL, {"code": codes[0].lower().replace("-", " ")})
    other = client_class()
    log_in(other, user)
    second = other.post(VERIFY_URL, {"code": codes[0]})

    # then
    assert first.status_code == 302
    assert client.get(PROFILE_URL).status_code == 200
    assert second.status_code == 400
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1


def test_wrong_codes_are_slowed_down_with_increasing_delays(client):
    # given: five wrong codes
    user = make_user()
    totp, _codes = enrolled(user)
    log_in(client, user)
    for _attempt in range(services.FREE_FAILURES):
        assert client.post(VERIFY_URL, {"code": "000000"}).status_code == 400

    # when: the right code straight after
    throttled = client.post(VERIFY_URL, {"code": totp.now()})

    # then: refused without being checked, and told to wait
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "30"
    assert "Too many wrong attempts" in throttled.content.decode()
    assert client.get(PROFILE_URL).status_code == 302
    assert SecondFactorFailure.objects.filter(user=user).count() == services.FREE_FAILURES

    # when: the wait has passed
    SecondFactorFailure.objects.update(at=timezone.now() - datetime.timedelta(seconds=31))
    accepted = client.post(VERIFY_URL, {"code": totp.now()})

    # then
    assert accepted.status_code == 302
    assert SecondFactorFailure.objects.filter(user=user).count() == 0


def test_each_further_failure_doubles_the_wait_up_to_fifteen_minutes():
    user = make_user()
    now = timezone.now()
    waits = []
    for _failure in range(12):
        SecondFactorFailure.objects.create(user=user, at=now)
        waits.append(services.wait_before_next_attempt(user=user, now=now))

    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]


@pytest.mark.parametrize(
    "path", ["/en/admin/", "/en/shops/moderation/", "/en/earnings/operations/"]
)
def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, path):
    # given: a moderator who logged in with the password only
    moderator = accounts.grant_role(user=make_user(), role=Role.MODERATOR)
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": moderator.email, "password": TEST_PASSWORD, "next": "/en/admin/"},
    )
    assert response.status_code == 302

    # when
    response = client.get(path)

    # then
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP_URL)


def test_staff_reach_the_back_office_once_enrolled_and_verified_in_this_session(client):
    # given
    moderator = accounts.grant_role(user=make_user(), role=Role.MODERATOR)
    log_in(client, moderator)
    client.get(SETUP_URL)
    device = TotpDevice.objects.get(user=moderator)
    code = pyotp.TOTP(device.secret).now()

    # when
    client.post(SETUP_URL, {"code": code})
    admin = client.get("/en/admin/")
    later = client_class()
    log_in(later, moderator)
    unverified = later.get("/en/admin/")

    # then
    assert admin.status_code == 200
    assert unverified.status_code == 302
    assert unverified["Location"].startswith(VERIFY_URL)


def test_staff_cannot_turn_the_second_factor_off(client):
    moderator = accounts.grant_role(user=make_user(), role=Role.MODERATOR)
    totp, _codes = enrolled(moderator)
    log_in(client, moderator)
    client.post(VERIFY_URL, {"code": totp.now()})
    client.post(
        "/en/account/security/confirm/",
        {"password": TEST_PASSWORD, "code": totp.at(timezone.now(), counter_offset=1)},
    )

    response = client.post("/en/account/security/turn-off/")

    assert response.status_code == 403
    assert TotpDevice.objects.filter(user=moderator).exists()


def test_a_buyer_without_a_second_factor_is_not_asked_for_one(client):
    user = make_user()
    log_in(client, user)

    assert client.get(PROFILE_URL).status_code == 200


def test_support_resets_the_second_factor_of_someone_who_lost_phone_and_codes(client):
    # given
    moderator = accounts.grant_role(user=make_user(), role=Role.MODERATOR)
    enrolled(moderator)

    # when
    output = io.StringIO()
    call_command("reset_second_factor", moderator.login_identifier.upper(), stdout=output)
    log_in(client, moderator)

    # then: nothing left, and the next page is the setup of a new authenticator
    assert "is reset" in output.getvalue()
    assert not TotpDevice.objects.filter(user=moderator).exists()
    assert not RecoveryCode.objects.filter(user=moderator).exists()
    assert client.get("/en/admin/")["Location"].startswith(SETUP_URL)
    assert AuditEntry.objects.filter(action="account.second_factor_reset").count() == 1


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_the_second_factor_pages_speak_the_readers_language(client, language):
    # given: an account with the second factor on, verified and re-authenticated
    user = make_user()
    totp, _codes = enrolled(user)
    client.force_login(user)
    client.post(
        "/en/account/security/confirm/",
        {"password": TEST_PASSWORD, "code": totp.now()},
    )

    # when
    pages = [
        client.get(f"/{language}/account/security/"),
        client.get(f"/{language}/account/security/confirm/"),
    ]

    # then
    with translation.override(language):
        title = translation.gettext("Two-step verification")
        confirm = translation.gettext("Confirm it's you")
    assert [page.status_code for page in pages] == [200, 200]
    assert title != "Two-step verification"
    assert title in pages[0].content.decode()
    assert confirm in pages[1].content.decode()


def test_the_authenticator_secret_is_stored_encrypted():
    # given an artisan who turned the second factor on
    user = make_user(email="secret@example.ma")
    totp, _codes = enrolled(user)
    # when the row is read as a copy of the database would show it
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT secret FROM {TotpDevice._meta.db_table} WHERE user_id = %s",  # noqa: S608  # the table name is the model's
            [user.pk],
        )
        [(raw,)] = cursor.fetchall()
    # then the column holds a token, never the secret an authenticator app could use
    assert totp.secret not in raw
    assert TotpDevice.objects.get(user=user).secret == totp.secret
