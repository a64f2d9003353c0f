"""Two moderators refund parts of one multi-parcel order at the same moment (#14, defect 6).

One gives back part of the order on its refund page (refund_payment: every parcel's share),
the other refunds one parcel whole from the moderation page (force_refund). Before, the first
locked the payment and then the order, the second the order and its parcel and then the
payment: PostgreSQL found a deadlock in most rounds and the moderator got a 500. Every writer
now takes its locks in one order (docs/architecture.md, "Lock order").

Each moderator posts through the real pages in its own thread, with its own database
connection. SQLite serialises writers (BEGIN IMMEDIATE), so there the same rounds run one
after the other and check the same amounts.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.models import Transfer
from souk.ledger.selectors import get_balance
from souk.orders.models import Order, SubOrder, SubOrderStatus
from souk.orders.tests.factories import fill_cart, make_buyer, place
from souk.payments import services as payments
from souk.payments.models import PaymentIntent, Refund
from souk.payments.tests.factories import cmi_callback_fields
from souk.shops.tests.factories import make_moderator

ROUNDS = 20
PARTIAL = "37.45"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture(autouse=True)
def _no_four_eyes(settings):
    # The rounds refund far more than a day's solo limit: no second person in this test.
    settings.SOUK_REFUND_APPROVAL_ABOVE = 10**9
    settings.SOUK_REFUND_APPROVAL_DAILY_ABOVE = 10**12


def _url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _paid_order(products: list[Product]) -> Order:
    """One card order of one piece from each shop, paid through CMI's callback."""
    buyer = make_buyer(email=f"{uuid.uuid4().hex[:12]}@souk.example")
    fill_cart(buyer, [(product, 1) for product in products])
    order = place(buyer)
    start = payments.start_payment(order=order, language="fr")
    assert payments.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return Order.objects.get(pk=order.pk)


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refund_part(client: Client, order: Order) -> Callable[[], int]:
    def post() -> int:
        response = client.post(
            _url("payments:refund", order.reference),
            {"amount": PARTIAL, "reason": "Chipped lid.", "key": uuid.uuid4().hex},
        )
        return response.status_code

    return post


def _refund_parcel(client: Client, parcel: SubOrder) -> Callable[[], int]:
    def post() -> int:
        response = client.post(
            _url("orders:moderator_step", parcel.reference),
            {"action": "force_refund", "reason": "Counterfeit."},
        )
        return response.status_code

    return post


def _at_once(steps: list[Callable[[], int]]) -> tuple[list[int], list[BaseException]]:
    """Run the steps at the same moment, each in its own thread and database connection."""
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(steps))

    def run(step: Callable[[], int]) -> None:
        try:
            start.wait()
            status = step()
            with lock:
                statuses.append(status)
        except BaseException as error:  # reported below, so a crash is not a silent pass
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, errors


def _one_after_the_other(steps: list[Callable[[], int]]) -> tuple[list[int], list[BaseException]]:
    return [step() for step in steps], []


def _check_round(order: Order, parcel: SubOrder) -> int:
    """Both refunds were made, once each, and agree with the parcels and the ledger; the
    amount given back in this round."""
    refunds = list(Refund.objects.filter(intent__order=order))
    assert len(refunds) == 2
    partial = next(refund for refund in refunds if refund.sub_order_reference == "")
    whole = next(refund for refund in refunds if refund.sub_order_reference == parcel.reference)
    assert partial.amount == Money.from_decimal(PARTIAL, "MAD").amount
    # The parcel refunded whole got back what the partial refund had not already given it.
    refunded = SubOrder.objects.get(pk=parcel.pk)
    assert refunded.status == SubOrderStatus.REFUNDED
    assert refunded.refunded_amount == refunded.total_amount
    share_before = sum(
        Transfer.objects.filter(
            reference_id=parcel.reference, entry__key__startswith=partial.idempotency_key
        ).values_list("amount", flat=True)
    )
    assert whole.amount == refunded.total_amount - share_before
    # Every parcel's refunded amount adds up to the refunds; never more than was paid.
    given_back = partial.amount + whole.amount
    parcels = SubOrder.objects.filter(order=order)
    assert sum(parcels.values_list("refunded_amount", flat=True)) == given_back
    assert given_back <= PaymentIntent.objects.get(order=order).amount
    return given_back


def _run_rounds(run: Callable[[list[Callable[[], int]]], tuple[list[int], list[BaseException]]]):
    # given: three shops' pieces, and two moderators with their own browsers
    products = [make_active_product(stock_quantity=ROUNDS) for _shop in range(3)]
    first, second = _as(make_moderator()), _as(make_moderator())
    given_back = 0
    for _round in range(ROUNDS):
        order = _paid_order(products)
        parcel = order.sub_orders.order_by("pk")[1]

        # when: one gives back part of the order as the other refunds one parcel whole
        statuses, errors = run([_refund_part(first, order), _refund_parcel(second, parcel)])

        # then: no error, both pages answered with their redirect, the amounts agree
        assert errors == []
        assert statuses == [302, 302]
        given_back += _check_round(order, parcel)
    # The ledger owes the buyers exactly what was given back, and keeps every rule.
    assert get_balance(key=accounting.REFUNDS) == Money(given_back, "MAD")


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers (BEGIN IMMEDIATE): two refunds cannot overlap there",
)
def test_two_refunds_of_one_order_at_the_same_moment_both_succeed(caplog):
    _run_rounds(_at_once)
    # Not even once did the database abort one to settle a deadlock (core/retry.py would have
    # run it again and said so): the lock order, not the retry, keeps them apart.
    assert "aborted by a conflict" not in caplog.text


def test_two_refunds_of_one_order_one_after_the_other_give_back_what_was_asked():
    _run_rounds(_one_after_the_other)
