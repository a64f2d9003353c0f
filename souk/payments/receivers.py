"""Payments acts on orders' news (souk.orders.events), inside the order's transaction, and
tells the ledger's checks what orders and payments hold (souk.ledger.facts)."""

from __future__ import annotations

from souk.core.events import Delivery, subscribe
from souk.ledger import facts
from souk.orders.events import ParcelRefundDue, UnpaidOrderCancelled
from souk.payments import refunds, services
from souk.payments.ledger_facts import OrdersAndPayments


def cancel_awaited_payment(event: UnpaidOrderCancelled) -> None:
    services.cancel_unpaid_payment(order=event.order)


def refund_parcel(event: ParcelRefundDue) -> None:
    refunds.refund_sub_order(sub_order=event.sub_order, reason=event.reason)


def connect() -> None:
    subscribe(UnpaidOrderCancelled, cancel_awaited_payment, delivery=Delivery.IN_TRANSACTION)
    subscribe(ParcelRefundDue, refund_parcel, delivery=Delivery.IN_TRANSACTION)
    facts.provide(OrdersAndPayments())
