"""Payouts wait for the papers: a shop listed before sending its RIB and ID documents is paid
only once they are there and a moderator accepted them (docs/payouts.md)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from souk.core.money import Money, format_money_for_language
from souk.ledger import payouts
from souk.ledger.models import Payout, PayoutRun, PayoutSkip, SkipReason
from souk.ledger.tests.payout_factories import make_rib_shop, payable, sell
from souk.shops import services as shops
from souk.shops.models import KycKind, PayoutMethod, Shop
from souk.shops.tests.factories import (
    VALID_RIB,
    make_claimed_shop,
    make_moderator,
    owner_of,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

RUN_DATE = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _minimum_100_mad(settings):
    settings.SOUK_PAYOUT_MINIMUM = 10000


def run(key: str) -> PayoutRun:
    return payouts.start_payout_run(key=key, today=RUN_DATE)


def make_shop_listed_first() -> Shop:
    """A shop sent to review at sign-up and approved with nothing but its register claim."""
    shop = make_claimed_shop()
    shops.send_claimed_shop_for_review(shop=shop, actor=owner_of(shop))
    return shops.approve_shop(shop=shop, moderator=make_moderator())


def send_papers(shop: Shop) -> None:
    owner = owner_of(shop)
    shops.set_payout_destination(shop=shop, actor=owner, method=PayoutMethod.RIB, rib=VALID_RIB)
    for kind in KycKind.values:
        shops.upload_kyc_document(shop=shop, actor=owner, kind=kind, upload=pdf_upload())


def en_url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def earnings_page(client, shop: Shop, language: str = "en"):
    client.force_login(owner_of(shop))
    with translation.override(language):
        return client.get(reverse("ledger:earnings"))


def test_a_shop_without_rib_or_documents_is_held_and_the_others_are_paid():
    # given: a shop with everything, and one approved before sending any paper
    complete, listed_first = make_rib_shop(), make_shop_listed_first()
    sell(complete, 20000)
    sell(listed_first, 123400)

    # when
    payout_run = run("test:1")

    # then: only the complete shop is paid; the other's money stays in its payable
    assert [payout.shop_id for payout in Payout.objects.filter(run=payout_run)] == [complete.pk]
    skip = PayoutSkip.objects.get(run=payout_run)
    assert (skip.shop_id, skip.reason, skip.amount) == (
        listed_first.pk,
        SkipReason.NO_DESTINATION,
        123400,
    )
    assert payable(listed_first) == 123400


def test_papers_sent_but_not_accepted_still_hold_the_money():
    # given: RIB and both documents sent, no moderator has looked at them
    shop = make_shop_listed_first()
    sell(shop, 50000)
    send_papers(shop)

    # when
    payout_run = run("test:1")

    # then
    assert not Payout.objects.filter(shop=shop).exists()
    skip = PayoutSkip.objects.get(run=payout_run, shop=shop)
    assert (skip.reason, skip.amount) == (SkipReason.DOCUMENTS_MISSING, 50000)
    assert payable(shop) == 50000


def test_a_replaced_document_waits_for_a_new_acceptance():
    # given: a complete, approved shop sends a new ID card scan
    shop = make_rib_shop()
    sell(shop, 30000)
    shops.upload_kyc_document(
        shop=shop, actor=owner_of(shop), kind=KycKind.ID_CARD, upload=pdf_upload()
    )

    # when
    payout_run = run("test:1")

    # then
    assert PayoutSkip.objects.get(run=payout_run, shop=shop).reason == SkipReason.DOCUMENTS_MISSING
    assert not Payout.objects.filter(shop=shop).exists()


def test_the_next_run_pays_once_a_moderator_accepts_the_documents(client):
    # given: a first run held the shop's money for want of papers
    shop = make_shop_listed_first()
    sell(shop, 50000)
    send_papers(shop)
    run("test:1")
    moderator = make_moderator()
    client.force_login(moderator)
    page = client.get(en_url("shops:moderation_detail", shop.pk))
    assert "Accept these documents" in page.content.decode()

    # when: the moderator accepts them, and the next run comes
    response = client.post(en_url("shops:moderation_documents", shop.pk))
    payout_run = run("test:2")

    # then
    assert response.status_code == 302
    payout = Payout.objects.get(run=payout_run, shop=shop)
    assert payout.amount == 50000
    assert payable(shop) == 0
    assert not PayoutSkip.objects.filter(run=payout_run).exists()


def test_an_artisan_cannot_accept_their_own_documents(client):
    # given
    shop = make_shop_listed_first()
    send_papers(shop)
    client.force_login(owner_of(shop))

    # when
    response = client.post(en_url("shops:moderation_documents", shop.pk))

    # then
    assert response.status_code == 403
    assert not shop.kyc_documents.filter(accepted_at__isnull=False).exists()


def test_the_earnings_page_says_what_is_missing_to_be_paid(client):
    # given: 1,234.00 MAD available, no RIB, no documents
    shop = make_shop_listed_first()
    sell(shop, 123400)

    # when
    response = earnings_page(client, shop)

    # then
    content = response.content.decode()
    amount = format_money_for_language(Money(123400, "MAD"), "en")
    assert f"Add your RIB and ID documents to receive {amount}." in content
    assert "A scan of your national ID card" in content
    assert en_url("shops:documents", shop.pk) in content
    assert en_url("shops:edit_payout", shop.pk) in content


def test_the_earnings_page_says_nothing_once_the_papers_are_accepted(client):
    # given
    shop = make_rib_shop()
    sell(shop, 123400)

    # when
    response = earnings_page(client, shop, "fr")

    # then
    assert response.status_code == 200
    assert response.context["missing_for_payout"] == []
    assert 'id="payout-missing"' not in response.content.decode()
