"""What orders tell the apps above them (souk.core.events). Payments subscribes: orders decide
that money must go back or that a payment is no longer awaited, payments moves it.

Both are delivered inside the order's transaction and carry the rows orders has locked (the
lock order of docs/architecture.md: order, sub-orders, then the payment intent): a refund the
gateway layer refuses raises through `publish` and undoes the parcel's move."""

from __future__ import annotations

from dataclasses import dataclass

from souk.core.events import Event
from souk.orders.models import Order, SubOrder


@dataclass(frozen=True, slots=True)
class UnpaidOrderCancelled(Event):
    """Sub-orders of an order nobody paid for were cancelled (expired, given up, undelivered
    cash on delivery): once all are, the payment is no longer awaited."""

    in_transaction_only = True

    order: Order


@dataclass(frozen=True, slots=True)
class ParcelRefundDue(Event):
    """The buyer is owed back what is left of this paid parcel (declined, refunded by a
    moderator, returned); orders books it in the ledger once this returns."""

    in_transaction_only = True

    sub_order: SubOrder
    reason: str


@dataclass(frozen=True, slots=True)
class ParcelReachedBuyer(Event):
    """The carrier delivered this parcel, or the buyer said they received it: the buyer may now
    review its pieces. Heard once the move commits (it may be published twice for one parcel:
    delivered, then completed)."""

    sub_order_id: int
