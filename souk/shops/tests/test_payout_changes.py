"""Changing where the earnings go: "confirm it's you" first, the managers told by SMS and
email, and payouts to the new destination held for SOUK_PAYOUT_HOLD_DAYS."""

from __future__ import annotations

import datetime

import pyotp
import pytest
from django.core import mail
from django.utils import timezone

from souk.accounts.tests.factories import TEST_PASSWORD
from souk.accounts.two_factor import services as two_factor
from souk.core.models import AuditEntry
from souk.ledger import payouts
from souk.ledger.models import Payout, PayoutSkip, SkipReason
from souk.ledger.payouts.iban import rib_to_iban
from souk.ledger.tests.payout_factories import sell
from souk.notifications import sms
from souk.notifications.models import Notification
from souk.shops.models import Shop
from souk.shops.tests.factories import (
    VALID_RIB,
    confirm_password,
    make_approved_shop,
    make_artisan,
    owner_of,
)

pytestmark = pytest.mark.django_db

NEW_RIB = "007780000012345678901209"
CONFIRM_URL = "/en/account/security/confirm/"


@pytest.fixture(autouse=True)
def _messages_sent_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    settings.SOUK_PAYOUT_HOLD_DAYS = 3
    settings.SOUK_PAYOUT_MINIMUM = 10000
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def payout_url(shop: Shop) -> str:
    return f"/en/shops/manage/{shop.pk}/payout/"


def destination(shop: Shop) -> tuple[str, str, str, datetime.datetime | None]:
    saved = Shop.objects.get(pk=shop.pk)
    return (
        saved.payout_method,
        saved.payout_rib,
        saved.payout_wallet_phone,
        saved.payout_destination_changed_at,
    )


def approved_shop_of_an_owner_with_a_phone() -> Shop:
    # The owner reads English, so that the texts below are the source ones.
    owner = make_artisan(phone="+212612345678", preferred_language="en")
    return make_approved_shop(owner=owner)


def test_a_rib_change_without_confirming_the_password_is_refused_and_changes_nothing(client):
    # given: someone in the owner's session (a stolen session cookie, or a forged form)
    shop = approved_shop_of_an_owner_with_a_phone()
    client.force_login(owner_of(shop))
    audit_before = AuditEntry.objects.count()

    # when
    response = client.post(payout_url(shop), {"method": "rib", "rib": NEW_RIB})

    # then
    assert response.status_code == 403
    assert (
        "For your security, confirm your password (and your code) before this change"
        in response.content.decode()
    )
    assert destination(shop) == ("rib", VALID_RIB, "", None)
    assert AuditEntry.objects.count() == audit_before
    assert not Notification.objects.filter(kind="payout_destination_changed").exists()
    assert sms.outbox == []


def test_the_payout_page_first_asks_for_the_password(client):
    shop = approved_shop_of_an_owner_with_a_phone()
    client.force_login(owner_of(shop))

    response = client.get(payout_url(shop))
    wrong = client.post(CONFIRM_URL, {"password": "not-my-password"})
    still_refused = client.post(payout_url(shop), {"method": "rib", "rib": NEW_RIB})

    assert response.status_code == 302
    assert response["Location"] == (
        f"{CONFIRM_URL}?next=%2Fen%2Fshops%2Fmanage%2F{shop.pk}%2Fpayout%2F"
    )
    assert wrong.status_code == 400
    assert wrong.context["form"].non_field_errors() == ["This password or code is not right."]
    assert still_refused.status_code == 403
    assert destination(shop) == ("rib", VALID_RIB, "", None)


def test_a_confirmation_older_than_the_limit_no_longer_counts(client, settings):
    shop = approved_shop_of_an_owner_with_a_phone()
    client.force_login(owner_of(shop))
    confirm_password(client)
    session = client.session
    user_id, at = session["two_factor_reauthenticated"]
    session["two_factor_reauthenticated"] = [user_id, at - settings.SOUK_REAUTH_MINUTES * 60 - 1]
    session.save()

    response = client.post(payout_url(shop), {"method": "rib", "rib": NEW_RIB})

    assert response.status_code == 403
    assert destination(shop) == ("rib", VALID_RIB, "", None)


def test_with_a_second_factor_the_confirmation_needs_a_code_too(client):
    # given: an owner who turned the second factor on
    shop = approved_shop_of_an_owner_with_a_phone()
    owner = owner_of(shop)
    device = two_factor.start_enrolment(user=owner)
    totp = pyotp.TOTP(device.secret)
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    two_factor.confirm_enrolment(user=owner, code=totp.at(earlier), now=earlier)
    client.force_login(owner)

    # when
    password_only = client.post(CONFIRM_URL, {"password": TEST_PASSWORD})
    wrong_code = client.post(CONFIRM_URL, {"password": TEST_PASSWORD, "code": "000000"})
    refused = client.post(payout_url(shop), {"method": "rib", "rib": NEW_RIB})
    confirmed = client.post(CONFIRM_URL, {"password": TEST_PASSWORD, "code": totp.now()})
    changed = client.post(payout_url(shop), {"method": "rib", "rib": NEW_RIB})

    # then
    assert password_only.status_code == 400
    assert wrong_code.status_code == 400
    assert refused.status_code == 403
    assert confirmed.status_code == 302
    assert changed.status_code == 302
    assert destination(shop)[:2] == ("rib", NEW_RIB)


def test_a_confirmed_change_is_saved_the_owner_told_and_payouts_held_until_the_hold_passes(
    client, django_capture_on_commit_callbacks
):
    # given: an approved shop owed 500 MAD, its owner confirmed the password
    shop = approved_shop_of_an_owner_with_a_phone()
    owner = owner_of(shop)
    sell(shop, 50000)
    client.force_login(owner)
    confirm_password(client)

    # when: the RIB is replaced
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(payout_url(shop), {"method": "rib", "rib": NEW_RIB})

    # then: saved, with the time of the change
    assert response.status_code == 302
    method, rib, wallet_phone, changed_at = destination(shop)
    assert (method, rib, wallet_phone) == ("rib", NEW_RIB, "")
    assert changed_at is not None
    audit = AuditEntry.objects.filter(action="shop.payout_destination_set").latest("pk")
    assert audit.data == {"method": "rib", "ending": "1209", "previous_ending": "4921"}
    # the owner is told in the app, by email and by SMS
    notice = Notification.objects.get(recipient=owner, kind="payout_destination_changed")
    assert notice.emailed_at is not None
    assert notice.texted_at is not None
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "ending in 1209" in mail.outbox[0].body
    assert [(message.to, message.text[:44]) for message in sms.outbox] == [
        ("+212612345678", "Souk: your payout account was changed (endin")
    ]

    # when: the payout run comes before the hold has passed
    held_run = payouts.start_payout_run(key="test:held")

    # then: nothing is paid, the skip says why, the earnings page says when payouts resume
    assert Payout.objects.filter(shop=shop).count() == 0
    skip = PayoutSkip.objects.get(run=held_run, shop=shop)
    assert (skip.reason, skip.amount) == (SkipReason.DESTINATION_HELD, 50000)
    earnings = client.get("/en/earnings/").content.decode()
    assert "For your security, payouts resume on" in earnings

    # when: three days have passed
    Shop.objects.filter(pk=shop.pk).update(
        payout_destination_changed_at=changed_at - datetime.timedelta(days=3, seconds=1)
    )
    paid_run = payouts.start_payout_run(key="test:after-hold")

    # then: paid to the new account
    payout = Payout.objects.get(run=paid_run, shop=shop)
    assert (payout.amount, payout.destination) == (50000, rib_to_iban(NEW_RIB))
    assert "payouts resume on" not in client.get("/en/earnings/").content.decode()


def test_the_first_destination_is_neither_held_nor_announced():
    # given/when: make_approved_shop gives the shop its first RIB
    shop = make_approved_shop()

    # then
    assert destination(shop) == ("rib", VALID_RIB, "", None)
    assert Shop.objects.get(pk=shop.pk).payouts_resume_at() is None
    assert not Notification.objects.filter(kind="payout_destination_changed").exists()
