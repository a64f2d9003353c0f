"""Issue #17: dates in Arabic read day, month name, year, in Morocco's time, on pages and in
notices alike (souk/formats/ar/formats.py, souk.notifications.dates)."""

from __future__ import annotations

import datetime

import pytest

from souk.notifications.models import Notification
from souk.shops import notices
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop, make_artisan, owner_of

pytestmark = pytest.mark.django_db

# Changed late on 2 December 2030 (UTC); payouts resume three days later, which is already
# 6 December in Casablanca (UTC+1).
CHANGED_AT = datetime.datetime(2030, 12, 2, 23, 30, tzinfo=datetime.UTC)


def shop_whose_payout_account_was_just_changed(language: str) -> Shop:
    shop = make_approved_shop(owner=make_artisan(preferred_language=language))
    shop.payout_destination_changed_at = CHANGED_AT
    shop.save(update_fields=["payout_destination_changed_at"])
    return shop


@pytest.fixture(autouse=True)
def _three_days_hold(settings):
    settings.SOUK_PAYOUT_HOLD_DAYS = 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "6 ديسمبر 2030، 00:30"), ("fr", "6 décembre 2030 00:30")],
)
def test_a_notice_gives_the_date_day_first_with_the_month_name_in_local_time(language, expected):
    # given
    shop = shop_whose_payout_account_was_just_changed(language)
    owner = owner_of(shop)

    # when
    notices.payout_destination_changed(shop=shop, actor=owner)

    # then
    notice = Notification.objects.get(recipient=owner, kind="payout_destination_changed")
    assert expected in notice.body


def test_an_arabic_page_gives_the_date_day_first_with_the_month_name(client):
    # given
    shop = shop_whose_payout_account_was_just_changed("ar")
    client.force_login(owner_of(shop))

    # when
    page = client.get("/ar/earnings/").content.decode()

    # then
    assert "6 ديسمبر 2030، 00:30" in page
