"""Who is told what when an order moves, each in their own language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from souk.fulfilment import services as fulfilment
from souk.notifications.models import Notification
from souk.orders import services
from souk.orders.tests.factories import make_unpaid_order, record_paid
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_a_paid_order_tells_the_artisan_and_the_buyer_in_their_languages(
    language: str, django_capture_on_commit_callbacks
) -> None:
    order = make_unpaid_order()
    parcel = order.sub_orders.get()
    artisan = owner_of(parcel.shop)
    artisan.preferred_language = language
    artisan.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):
        record_paid(order)

    to_artisan = Notification.objects.get(recipient=artisan, kind="order_paid_artisan")
    assert parcel.reference in to_artisan.subject + to_artisan.body
    assert to_artisan.url.startswith(f"/{language}/orders/sales/{parcel.reference}/")
    to_buyer = Notification.objects.get(recipient=order.buyer, kind="order_placed_buyer")
    assert order.reference in to_buyer.body


def test_shipping_tells_the_buyer_the_tracking_number(django_capture_on_commit_callbacks) -> None:
    order = make_unpaid_order()
    record_paid(order)
    parcel = order.sub_orders.get()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)

    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)

    shipped = Notification.objects.get(recipient=order.buyer, kind="suborder_shipped")
    parcel.refresh_from_db()
    assert parcel.tracking_number
    assert parcel.tracking_number in shipped.body
    assert "Amana (Maroc)" in shipped.body  # the carrier's name, not its code


def test_a_message_reaches_the_other_side_only(django_capture_on_commit_callbacks) -> None:
    order = make_unpaid_order()
    record_paid(order)
    parcel = order.sub_orders.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(sub_order=parcel, author=order.buyer, body="Can you gift-wrap it?")

    assert Notification.objects.filter(
        recipient=owner_of(parcel.shop), kind="order_message"
    ).exists()
    assert not Notification.objects.filter(recipient=order.buyer, kind="order_message").exists()


def test_the_artisan_is_told_the_answer_deadline_in_moroccan_time(
    django_capture_on_commit_callbacks,
) -> None:
    # given: an artisan reading Arabic
    order = make_unpaid_order()
    parcel = order.sub_orders.get()
    artisan = owner_of(parcel.shop)
    artisan.preferred_language = "ar"
    artisan.save(update_fields=["preferred_language"])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        record_paid(order)

    # then: the deadline reads day first, with the hour of Casablanca's clock, not UTC's
    parcel.refresh_from_db()
    assert parcel.accept_by is not None
    local = timezone.localtime(parcel.accept_by)
    body = Notification.objects.get(recipient=artisan, kind="order_paid_artisan").body
    assert f"{local.day} " in body
    assert f"{local.year}، {local:%H:%M}" in body
    utc = parcel.accept_by.astimezone(datetime.UTC)
    if local.utcoffset():
        assert f"{utc:%H:%M}" not in body
