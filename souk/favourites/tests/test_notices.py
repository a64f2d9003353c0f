"""The "back in stock" and "price dropped" notices: sent by the catalog's news of a change,
in the buyer's language and currency, once per piece and kind a day, never after an opt-out."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.accounts.tests.factories import make_user
from souk.catalog import services as catalog
from souk.catalog.models import Product, ProductVariant
from souk.catalog.tests.factories import details, make_active_product, make_variant
from souk.core.models import ExchangeRate
from souk.favourites import services
from souk.favourites.models import SentNotice
from souk.notifications.models import Notification
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


def change(product: Product, capture, **fields: object) -> None:
    """The artisan edits the listing (its French title unchanged, so it stays on sale)."""
    with capture(execute=True):
        catalog.update_product(
            product=product, actor=owner_of(product.shop), details=details(**fields)
        )


def notices_of(user: User) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", "subject")
    )


@pytest.fixture
def dollar() -> None:
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="USD", mad_per_unit="10.0000"
    )


def test_a_saved_piece_back_in_stock_is_told_once(
    django_capture_on_commit_callbacks, immediate_tasks
) -> None:
    # given: a sold-out tagine saved by a buyer
    tagine = make_active_product(stock_quantity=0)
    buyer = make_user(email="amina@souk.example", preferred_language="en")
    services.save_favourite(user=buyer, kind="piece", target_id=tagine.pk)
    # when: the artisan puts two back, then sells one, then puts it back again the same day
    change(tagine, django_capture_on_commit_callbacks, stock_quantity=2)
    change(tagine, django_capture_on_commit_callbacks, stock_quantity=0)
    change(tagine, django_capture_on_commit_callbacks, stock_quantity=1)
    # then: one notice in the app, one email, in English
    assert notices_of(buyer) == [("favourite_back_in_stock", "Tajine de Safi is back in stock")]
    [email] = mail.outbox
    assert email.to == ["amina@souk.example"]
    assert "A piece you saved, Tajine de Safi, can be bought again: MAD450.00." in email.body
    with translation.override("en"):
        assert reverse("favourites:list") in email.body


def test_a_price_drop_is_told_with_how_much_in_the_buyer_currency_and_mad(
    django_capture_on_commit_callbacks, immediate_tasks, dollar
) -> None:
    # given: a buyer reading French, paying in dollars, saved a 450 MAD tagine
    tagine = make_active_product(price_amount=45_000)
    buyer = make_user(preferred_language="fr", preferred_currency="USD")
    services.save_favourite(user=buyer, kind="piece", target_id=tagine.pk)
    # when
    change(tagine, django_capture_on_commit_callbacks, price_amount=40_000)
    # then
    [notification] = Notification.objects.filter(recipient=buyer)
    assert notification.kind == "favourite_price_dropped"
    assert notification.subject == "Tajine de Safi : le prix a baissé de ≈ 5,00 $US (50,00 MAD)"
    body = notification.body.replace("\xa0", " ")
    assert "≈ 40,00 $US (400,00 MAD) au lieu de ≈ 45,00 $US (450,00 MAD)" in body
    assert ", ≈ 5,00 $US (50,00 MAD) de moins." in body


def test_a_price_rise_is_not_told(django_capture_on_commit_callbacks) -> None:
    tagine = make_active_product(price_amount=45_000)
    buyer = make_user()
    services.save_favourite(user=buyer, kind="piece", target_id=tagine.pk)
    change(tagine, django_capture_on_commit_callbacks, price_amount=50_000)
    assert notices_of(buyer) == []


def test_a_drop_after_a_rise_is_told_from_the_risen_price(
    django_capture_on_commit_callbacks,
) -> None:
    tagine = make_active_product(price_amount=45_000)
    buyer = make_user(preferred_language="en")
    services.save_favourite(user=buyer, kind="piece", target_id=tagine.pk)
    change(tagine, django_capture_on_commit_callbacks, price_amount=50_000)
    change(tagine, django_capture_on_commit_callbacks, price_amount=48_000)
    assert notices_of(buyer) == [
        ("favourite_price_dropped", "Tajine de Safi: the price dropped by MAD20.00")
    ]


def test_the_lowest_variant_price_is_what_drops(django_capture_on_commit_callbacks) -> None:
    # given: a tagine sold by variant, 520 and 600 MAD
    tagine = make_active_product(price_amount=45_000)
    small = make_variant(tagine, price_amount=52_000)
    make_variant(tagine, price_amount=60_000, label_en="Huge")
    buyer = make_user(preferred_language="en")
    services.save_favourite(user=buyer, kind="piece", target_id=tagine.pk)
    owner = owner_of(tagine.shop)
    # when: the dearer one drops but stays above the cheaper one: nothing to tell
    with django_capture_on_commit_callbacks(execute=True):
        catalog.update_variant(
            product=tagine,
            actor=owner,
            variant_id=tagine.variants.get(label_en="Huge").pk,
            details=_variant_details(tagine.variants.get(label_en="Huge"), price_amount=55_000),
        )
    assert notices_of(buyer) == []
    # when: the cheaper one drops
    with django_capture_on_commit_callbacks(execute=True):
        catalog.update_variant(
            product=tagine,
            actor=owner,
            variant_id=small.pk,
            details=_variant_details(small, price_amount=50_000),
        )
    # then
    [notification] = Notification.objects.filter(recipient=buyer)
    assert notification.subject == "Tajine de Safi: the price dropped by MAD20.00"
    assert "from MAD500.00 instead of MAD520.00" in notification.body


def _variant_details(variant: ProductVariant, **fields: Any) -> catalog.VariantDetails:
    base = catalog.VariantDetails(
        label_ar=variant.label_ar,
        label_fr=variant.label_fr,
        label_en=variant.label_en,
        label_es=variant.label_es,
        sku=variant.sku,
        price_amount=variant.price_amount,
        stock_quantity=variant.stock_quantity,
    )
    return replace(base, **fields)


def test_a_buyer_who_opted_out_is_not_told(django_capture_on_commit_callbacks, client) -> None:
    # given: a buyer who turned the notices off on the favourites page
    tagine = make_active_product(stock_quantity=0, price_amount=45_000)
    buyer = make_user()
    other = make_user()
    for person in (buyer, other):
        services.save_favourite(user=person, kind="piece", target_id=tagine.pk)
    client.force_login(buyer)
    with translation.override("en"):
        client.post(reverse("favourites:notices"), {"wanted": "0"})
        page = client.get(reverse("favourites:list")).content.decode()
    assert "Tell me again" in page
    # when
    change(tagine, django_capture_on_commit_callbacks, stock_quantity=1, price_amount=40_000)
    # then: only the other buyer hears of it
    assert notices_of(buyer) == []
    assert [kind for kind, _subject in notices_of(other)] == [
        "favourite_back_in_stock",
        "favourite_price_dropped",
    ]


def test_a_guest_saving_nothing_to_an_account_costs_one_query_per_change(
    django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    # A listing nobody saved: the catalog's news costs favourites one query.
    tagine = make_active_product()
    with django_assert_num_queries(1):
        services.look_at_pieces(product_ids=[tagine.pk])
    assert SentNotice.objects.count() == 0
