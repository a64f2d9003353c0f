"""Placing orders: split per shop, totals, commission, currency snapshot, reservations."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core import events
from souk.core.events import Delivery, Event
from souk.core.models import ExchangeRate
from souk.orders import services
from souk.orders.errors import CartChanged, CashOnDeliveryNotAllowed, InsufficientStock
from souk.orders.events import UnpaidOrderCancelled
from souk.orders.models import (
    CommissionRate,
    Order,
    OrderStatus,
    PaymentMethod,
    ReservationStatus,
    StockReservation,
    SubOrderStatus,
)
from souk.orders.tests.factories import fill_cart, make_buyer, make_unpaid_order, place, record_paid
from souk.registry.models import Sector
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db


def test_an_order_of_two_shops_is_split_into_two_parcels_each_with_its_shipping() -> None:
    tagine = make_active_product(price_amount=45_000)
    rug = make_active_product(shop=make_approved_shop(), price_amount=120_000, stock_quantity=1)
    buyer = make_buyer()
    fill_cart(buyer, [(tagine, 2), (rug, 1)])

    order = place(buyer, country="FR")

    parcels = {sub.shop_id: sub for sub in order.sub_orders.all()}
    assert set(parcels) == {tagine.shop_id, rug.shop_id}
    tagines = parcels[tagine.shop_id]
    # Two 30 x 30 x 25 cm tagines stack into one 50 x 30 x 30 cm box: 9 kg volumetric at the
    # international divisor of 5000, the 10 kg bracket of Amana International to the EU.
    assert (tagines.items_amount, tagines.shipping_amount) == (90_000, 92_000)
    assert tagines.carrier == "amana-international"
    # One piece alone: 4.5 kg volumetric, the 5 kg bracket.
    assert parcels[rug.shop_id].total_amount == 120_000 + 58_000
    assert order.items_amount == 210_000
    assert order.shipping_amount == 150_000
    assert order.total_amount == 360_000
    assert [line.quantity for line in tagines.lines.all()] == [2]
    assert {sub.reference for sub in order.sub_orders.all()} == {
        f"{order.reference}-1",
        f"{order.reference}-2",
    }
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_commission_is_computed_per_line_from_the_sector_rate_in_force() -> None:
    product = make_active_product(price_amount=33_333)
    sector = Sector.objects.get(code=product.trade.sector_id)
    today = timezone.localdate()
    CommissionRate.objects.create(
        sector=sector, rate=Decimal("0.1500"), effective_from=today - datetime.timedelta(days=30)
    )
    # A rate that starts tomorrow does not apply yet.
    CommissionRate.objects.create(
        sector=sector, rate=Decimal("0.2000"), effective_from=today + datetime.timedelta(days=1)
    )

    order = make_unpaid_order(products=[(product, 1)])

    line = order.sub_orders.get().lines.get()
    assert line.commission_rate == Decimal("0.1500")
    # 333.33 MAD times 15% = 49.9995 MAD, rounded half-up to the centime.
    assert line.commission_amount == 5_000
    assert order.sub_orders.get().commission_amount == 5_000


def test_the_default_commission_applies_to_a_sector_without_its_own_rate() -> None:
    order = make_unpaid_order()
    line = order.sub_orders.get().lines.get()
    assert line.commission_rate == Decimal("0.1000")
    assert line.commission_amount == 4_500


def test_the_buyer_currency_estimate_and_its_rate_are_snapshotted() -> None:
    ExchangeRate.objects.create(
        date=timezone.localdate(), currency="EUR", mad_per_unit=Decimal("10.8500")
    )
    order = make_unpaid_order(country="FR", currency="EUR")

    assert order.currency == "MAD"
    assert order.display_currency == "EUR"
    assert order.display_rate == Decimal("10.8500")
    # (450 + 580 shipping) MAD / 10.85 = 94.9308… EUR, half-up to 94.93.
    assert order.display_total_amount == 9_493
    # A new rate later does not change what the order recorded.
    ExchangeRate.objects.filter(currency="EUR").update(mad_per_unit=Decimal("11"))
    assert Order.objects.get(pk=order.pk).display_total_amount == 9_493


def test_stock_is_reserved_when_the_order_is_placed_and_sold_on_payment() -> None:
    product = make_active_product(stock_quantity=3)
    order = make_unpaid_order(products=[(product, 2)])

    assert Product.objects.get(pk=product.pk).stock_quantity == 1
    reservation = StockReservation.objects.get(order=order)
    assert (reservation.quantity, reservation.status) == (2, ReservationStatus.HELD)

    assert record_paid(order) == services.PaymentOutcome.PLACED
    assert StockReservation.objects.get(order=order).status == ReservationStatus.SOLD
    assert Product.objects.get(pk=product.pk).stock_quantity == 1
    assert {sub.status for sub in order.sub_orders.all()} == {SubOrderStatus.PAID}
    # The callback again: one effect only.
    assert record_paid(order) == services.PaymentOutcome.ALREADY_PLACED


def test_an_expired_reservation_goes_back_to_stock_and_cancels_the_order() -> None:
    product = make_active_product(stock_quantity=1)
    order = make_unpaid_order(products=[(product, 1)])
    assert Product.objects.get(pk=product.pk).stock_quantity == 0

    later = timezone.now() + datetime.timedelta(minutes=services.reservation_minutes() + 1)
    assert services.expire_unpaid_orders(now=later) == 1

    assert Product.objects.get(pk=product.pk).stock_quantity == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert StockReservation.objects.get(order=order).status == ReservationStatus.RELEASED
    assert services.expire_unpaid_orders(now=later) == 0


def test_a_reservation_not_yet_expired_stays() -> None:
    order = make_unpaid_order()
    assert services.expire_unpaid_orders(now=timezone.now()) == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_a_late_payment_takes_the_stock_again_when_it_is_still_there() -> None:
    product = make_active_product(stock_quantity=1)
    order = make_unpaid_order(products=[(product, 1)])
    later = timezone.now() + datetime.timedelta(minutes=services.reservation_minutes() + 1)
    services.expire_unpaid_orders(now=later)

    assert record_paid(order) == services.PaymentOutcome.PLACED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert Product.objects.get(pk=product.pk).stock_quantity == 0


def test_a_late_payment_for_works_sold_meanwhile_asks_for_a_refund() -> None:
    product = make_active_product(stock_quantity=1)
    order = make_unpaid_order(products=[(product, 1)])
    later = timezone.now() + datetime.timedelta(minutes=services.reservation_minutes() + 1)
    services.expire_unpaid_orders(now=later)
    make_unpaid_order(products=[(product, 1)])  # someone else takes the last one

    assert record_paid(order) == services.PaymentOutcome.REFUND_NEEDED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert Product.objects.get(pk=product.pk).stock_quantity == 0


def test_a_payment_failure_releases_the_stock_and_a_retry_holds_it_again() -> None:
    product = make_active_product(stock_quantity=1)
    order = make_unpaid_order(products=[(product, 1)])

    services.record_payment_failure(order_id=order.pk)
    assert Product.objects.get(pk=product.pk).stock_quantity == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT

    services.reserve_again(order=order)
    assert Product.objects.get(pk=product.pk).stock_quantity == 0


def test_the_same_checkout_posted_twice_makes_one_order() -> None:
    buyer = make_buyer()
    fill_cart(buyer, [(make_active_product(), 1)])
    first = place(buyer, token="same-token")
    second = place(buyer, token="same-token")
    assert first.pk == second.pk
    assert Order.objects.filter(buyer=buyer).count() == 1


def test_checkout_refuses_a_cart_whose_price_changed_until_the_buyer_looked() -> None:
    product = make_active_product(price_amount=45_000)
    buyer = make_buyer()
    fill_cart(buyer, [(product, 1)])
    Product.objects.filter(pk=product.pk).update(price_amount=50_000)

    with pytest.raises(CartChanged):
        place(buyer)
    assert not Order.objects.exists()

    cart = services.get_or_create_cart(user=buyer, cart_id=None)
    services.accept_cart_changes(cart=cart)
    # Within Morocco: 7.5 kg volumetric (divisor 3000), the 10 kg bracket of Amana, 90 MAD.
    assert place(buyer).total_amount == 50_000 + 9_000


def test_ordering_more_than_the_stock_left_is_refused_and_reserves_nothing() -> None:
    scarce = make_active_product(stock_quantity=2)
    plenty = make_active_product(shop=scarce.shop, stock_quantity=5)
    buyer = make_buyer()
    fill_cart(buyer, [(plenty, 2), (scarce, 2)])
    Product.objects.filter(pk=scarce.pk).update(stock_quantity=1)
    cart = services.get_or_create_cart(user=buyer, cart_id=None)
    services.accept_cart_changes(cart=cart)  # the buyer now wants 1
    other = make_buyer(email="other@souk.example")
    fill_cart(other, [(scarce, 1)])
    place(other)  # takes the last one after the buyer looked

    with pytest.raises((InsufficientStock, CartChanged)):
        place(buyer)
    assert Product.objects.get(pk=plenty.pk).stock_quantity == 5
    assert not Order.objects.filter(buyer=buyer).exists()


def test_cash_on_delivery_only_in_morocco_and_up_to_the_limit(settings) -> None:
    buyer = make_buyer()
    fill_cart(buyer, [(make_active_product(price_amount=45_000), 1)])
    with pytest.raises(CashOnDeliveryNotAllowed):
        place(buyer, country="FR", payment_method=PaymentMethod.CASH_ON_DELIVERY)
    settings.SOUK_COD_MAX_AMOUNT = 40_000
    with pytest.raises(CashOnDeliveryNotAllowed):
        place(buyer, country="MA", payment_method=PaymentMethod.CASH_ON_DELIVERY)
    settings.SOUK_COD_MAX_AMOUNT = 500_000
    order = place(buyer, country="MA", payment_method=PaymentMethod.CASH_ON_DELIVERY)
    services.confirm_cash_on_delivery(order_id=order.pk)
    assert {sub.status for sub in order.sub_orders.all()} == {SubOrderStatus.CASH_ON_DELIVERY}


def test_made_to_order_works_have_no_stock_limit_and_give_the_parcel_its_lead_time() -> None:
    product = make_active_product(
        is_made_to_order=True, stock_quantity=0, lead_time_days=21, price_amount=300_000
    )
    order = make_unpaid_order(products=[(product, 4)])
    sub_order = order.sub_orders.get()
    assert sub_order.lead_time_days == 21
    assert not StockReservation.objects.filter(order=order).exists()


def test_paying_empties_the_bought_works_from_the_cart() -> None:
    product = make_active_product()
    order = make_unpaid_order(products=[(product, 1)])
    cart = services.get_or_create_cart(user=order.buyer, cart_id=None)
    assert cart.items.count() == 1
    record_paid(order)
    assert cart.items.count() == 0


def test_a_payment_for_works_sold_after_a_failed_attempt_is_not_told_as_unpaid(
    monkeypatch,
) -> None:
    # given: the stock released by a failed attempt, and sold to someone else meanwhile
    product = make_active_product(stock_quantity=1)
    order = make_unpaid_order(products=[(product, 1)])
    services.record_payment_failure(order_id=order.pk)
    make_unpaid_order(products=[(product, 1)])
    heard: list[Event] = []
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))
    events.subscribe(UnpaidOrderCancelled, heard.append, delivery=Delivery.IN_TRANSACTION)
    # when the money arrives after all
    outcome = record_paid(order)
    # then: the order is cancelled and payments refunds it; nobody is told it went unpaid
    assert outcome == services.PaymentOutcome.REFUND_NEEDED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert heard == []
