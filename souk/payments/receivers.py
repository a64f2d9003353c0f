"""Payments acts on orders' news (souk.orders.events), inside the order's transaction."""

from __future__ import annotations

from souk.core.events import Delivery, subscribe
from souk.orders.events import ParcelRefundDue, UnpaidOrderCancelled
from souk.payments import refunds, services


def cancel_awaited_payment(event: UnpaidOrderCancelled) -> None:
    services.cancel_unpaid_payment(order=event.order)


def refund_parcel(event: ParcelRefundDue) -> None:
    refunds.refund_sub_order(sub_order=event.sub_order, reason=event.reason)


def connect() -> None:
    subscribe(UnpaidOrderCancelled, cancel_awaited_payment, delivery=Delivery.IN_TRANSACTION)
    subscribe(ParcelRefundDue, refund_parcel, delivery=Delivery.IN_TRANSACTION)
