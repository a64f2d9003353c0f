"""Who is told what when an order moves, each in their own language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from souk.core.money import Money, format_money_for_language
from souk.fulfilment import services as fulfilment
from souk.ledger import selectors as ledger
from souk.notifications.models import Notification
from souk.orders import services
from souk.orders.models import Order, SubOrder
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


def _shipped_by_the_artisan(order: Order) -> SubOrder:
    parcel = order.sub_orders.get()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    return SubOrder.objects.get(pk=parcel.pk)


def _carrier_says(parcel: SubOrder, status: str) -> None:
    fulfilment.apply_tracking(
        fulfilment.TrackingUpdate(
            tracking_number=parcel.tracking_number,
            event_id=f"{parcel.reference}-{status}",
            status=status,
            happened_at=timezone.now(),
        )
    )


def test_the_buyer_hears_once_that_it_shipped_when_the_carrier_has_it(
    django_capture_on_commit_callbacks,
) -> None:
    # given
    order = make_unpaid_order()
    record_paid(order)
    on_the_way = ["suborder_shipped", "suborder_in_transit"]

    # when: the artisan prints the label
    with django_capture_on_commit_callbacks(execute=True):
        parcel = _shipped_by_the_artisan(order)
    # then: nothing yet, the carrier does not have it
    assert not Notification.objects.filter(recipient=order.buyer, kind__in=on_the_way).exists()

    # when: the carrier scans it, then scans it again on its way
    with django_capture_on_commit_callbacks(execute=True):
        _carrier_says(parcel, "in_transit")
    with django_capture_on_commit_callbacks(execute=True):
        _carrier_says(parcel, "out_for_delivery")

    # then: one notice, with the carrier's name and the tracking number
    shipped = Notification.objects.get(recipient=order.buyer, kind__in=on_the_way)
    assert shipped.kind == "suborder_shipped"
    assert parcel.tracking_number in shipped.body
    assert "Amana (Maroc)" in shipped.body  # the carrier's name, not its code


def test_money_released_tells_the_artisan_the_net_and_the_commission(
    django_capture_on_commit_callbacks,
) -> None:
    # given: a parcel the carrier is delivering, an artisan reading English
    order = make_unpaid_order()
    record_paid(order)
    parcel = _shipped_by_the_artisan(order)
    artisan = owner_of(parcel.shop)
    artisan.preferred_language = "en"
    artisan.save(update_fields=["preferred_language"])
    _carrier_says(parcel, "out_for_delivery")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_receipt(sub_order=parcel, buyer=order.buyer)

    # then: the artisan reads what is available to them, and the commission taken
    released = Notification.objects.get(recipient=artisan, kind="suborder_completed")
    commission = ledger.get_commission_taken(reference=parcel.reference, currency="MAD")
    total = Money(parcel.total_amount, "MAD")
    assert commission.is_positive()
    net = format_money_for_language(total - commission, "en")
    assert f"{net} is now available to your shop" in released.body
    assert f"less {format_money_for_language(commission, 'en')} commission" in released.body
    assert net in released.sms_text


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
