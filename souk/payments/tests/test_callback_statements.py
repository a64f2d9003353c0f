"""What the processor's callback costs in SQL statements (issue #21): the order locked once
(with the intent), each of the order and its parcel saved by one UPDATE with its new status,
the held units sold without a look first, and the notices to the buyer and the shop written
by one bulk insert and queued as one task. The order is still paid, its escrow posted, and
everyone told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from souk.catalog.tests.factories import make_active_product
from souk.ledger.models import JournalEntry
from souk.notifications.models import Notification
from souk.orders.models import Order, OrderStatus, StockReservation
from souk.payments.models import IntentStatus, PaymentIntent
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment

pytestmark = pytest.mark.django_db

CALLBACK = "/payments/cmi/callback"
# Before these cuts: 79 on SQLite. The ledger posts on PostgreSQL by its own statements
# (a sequence read, deferred constraints), one more than on SQLite.
STATEMENTS = {"sqlite": 68, "postgresql": 69}


def statements(captured: CaptureQueriesContext, fragment: str) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if fragment in query["sql"]]


def test_a_paying_callback_costs_its_statements_once_and_still_pays_and_tells(
    client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    product = make_active_product(stock_quantity=10)
    # A first paid order of the shop: its ledger accounts and first-sale steps exist.
    _first, first = start_card_payment(products=[(product, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        assert b"POSTAUTH" in client.post(CALLBACK, cmi_callback_fields(first)).content
    order, start = start_card_payment(products=[(product, 1)])
    fields = cmi_callback_fields(start)
    tasks_before = DBTaskResult.objects.count()

    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        reply = client.post(CALLBACK, fields)

    assert reply.content == b"ACTION=POSTAUTH"
    assert len(statements(captured, 'UPDATE "orders_order" ')) == 1
    assert len(statements(captured, 'UPDATE "orders_suborder" ')) == 1
    # Locked once with the intent, read once more by the notices after commit.
    assert len(statements(captured, 'FROM "orders_order" ')) == 2
    assert statements(captured, 'FROM "orders_stockreservation"') == []
    assert len(statements(captured, 'INSERT INTO "notifications_notification"')) == 1
    assert len(captured.captured_queries) == STATEMENTS[connection.vendor]
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert order.placed_at is not None
    assert order.reserved_until is None
    parcel = order.sub_orders.get()
    assert parcel.status == "paid"
    assert parcel.accept_by is not None
    assert list(StockReservation.objects.filter(order=order).values_list("status", flat=True)) == [
        "sold"
    ]
    assert JournalEntry.objects.filter(key=f"capture:{order.reference}").count() == 1
    told = Notification.objects.filter(kind__in=["order_placed_buyer", "order_paid_artisan"])
    kinds = sorted(told.filter(subject__contains=order.reference).values_list("kind", flat=True))
    assert kinds == ["order_paid_artisan", "order_placed_buyer"]
    queued = DBTaskResult.objects.order_by("-enqueued_at")[
        : DBTaskResult.objects.count() - tasks_before
    ]
    assert [task.task_path.rsplit(".", 1)[-1] for task in queued] == ["send_notifications"]

    # The same callback again: the same reply, nothing more paid, posted or told.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(CALLBACK, fields).content == b"ACTION=POSTAUTH"
    assert JournalEntry.objects.filter(key=f"capture:{order.reference}").count() == 1
    assert told.filter(subject__contains=order.reference).count() == 2
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_an_order_that_cannot_be_placed_leaves_the_payment_recorded_and_the_order_as_it_was(
    client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """record_payment runs in tell_order's savepoint, not one of its own: when placing fails
    half-way (the order moved, its parcel cannot), all of it is undone, the payment kept."""
    order, start = start_card_payment()
    # A parcel in a status the payment cannot move it from.
    order.sub_orders.update(status="accepted")

    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(CALLBACK, cmi_callback_fields(start))

    assert reply.content == b"ACTION=POSTAUTH"
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.SUCCEEDED
    assert intent.order_recorded_at is None  # complete_unrecorded_payments tries again
    kept = Order.objects.get(pk=order.pk)
    assert kept.status == OrderStatus.AWAITING_PAYMENT
    assert kept.placed_at is None
    assert list(StockReservation.objects.filter(order=order).values_list("status", flat=True)) == [
        "held"
    ]
    assert not JournalEntry.objects.filter(key=f"capture:{order.reference}").exists()
