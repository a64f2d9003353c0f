"""The statuses of orders and sub-orders and the one table of their moves: who may make each
move, from where to where, and whether it needs a reason (services/transitions.py builds their
machines, core.machine).
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.core.machine import Actor, Transition, transition


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PLACED = "placed", _("Placed")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


class SubOrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid, waiting for the artisan")
    CASH_ON_DELIVERY = "cash_on_delivery", _("To pay on delivery, waiting for the artisan")
    ACCEPTED = "accepted", _("Accepted, being prepared")
    DECLINED = "declined", _("Declined by the artisan")
    SHIPPED = "shipped", _("Shipped")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    RETURNED_TO_SENDER = "returned_to_sender", _("Returned to the artisan by the carrier")
    LOST = "lost", _("Lost by the carrier")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURNED = "returned", _("Returned")
    REFUNDED = "refunded", _("Refunded")
    DISPUTED = "disputed", _("In dispute")
    RESOLVED = "resolved", _("Dispute resolved")


S = SubOrderStatus
BUYER, ARTISAN, MODERATOR, SYSTEM = Actor.BUYER, Actor.ARTISAN, Actor.MODERATOR, Actor.SYSTEM

ORDER_TRANSITIONS: tuple[Transition, ...] = (
    transition(
        "place",
        {OrderStatus.AWAITING_PAYMENT},
        OrderStatus.PLACED,
        {SYSTEM},
        _("Payment received or cash on delivery confirmed"),
    ),
    transition(
        "cancel",
        {OrderStatus.AWAITING_PAYMENT},
        OrderStatus.CANCELLED,
        {BUYER, SYSTEM, MODERATOR},
        _("Cancel the order"),
    ),
    # A payment that arrives after the order expired, while the stock is still there.
    transition(
        "revive",
        {OrderStatus.CANCELLED},
        OrderStatus.AWAITING_PAYMENT,
        {SYSTEM},
        _("Payment arrived late; the works were still available"),
    ),
    transition(
        "close",
        {OrderStatus.PLACED},
        OrderStatus.CLOSED,
        {SYSTEM},
        _("Every parcel finished"),
    ),
    # A buyer asks to return a completed parcel: the order is open until the return is settled.
    transition(
        "reopen",
        {OrderStatus.CLOSED},
        OrderStatus.PLACED,
        {BUYER},
        _("A return was asked"),
    ),
)

# Every move a sub-order may make, and nothing else; anything not listed raises.
SUBORDER_TRANSITIONS: tuple[Transition, ...] = (
    transition("pay", {S.AWAITING_PAYMENT}, S.PAID, {SYSTEM}, _("Payment received")),
    transition(
        "confirm_cash_on_delivery",
        {S.AWAITING_PAYMENT},
        S.CASH_ON_DELIVERY,
        {SYSTEM},
        _("Confirmed, to pay on delivery"),
    ),
    transition(
        "cancel",
        {S.AWAITING_PAYMENT, S.CASH_ON_DELIVERY},
        S.CANCELLED,
        {BUYER, SYSTEM, MODERATOR},
        _("Cancel"),
    ),
    transition(
        "revive",
        {S.CANCELLED},
        S.AWAITING_PAYMENT,
        {SYSTEM},
        _("Payment arrived late; the works were still available"),
    ),
    transition("accept", {S.PAID, S.CASH_ON_DELIVERY}, S.ACCEPTED, {ARTISAN}, _("Accept")),
    transition(
        "decline",
        {S.PAID, S.CASH_ON_DELIVERY},
        S.DECLINED,
        {ARTISAN, SYSTEM},
        _("Decline"),
        reason_required=True,
    ),
    transition("ship", {S.ACCEPTED}, S.SHIPPED, {ARTISAN}, _("Mark as shipped")),
    # The carrier's tracking events (souk/shipping), or a moderator on the carrier's word.
    transition("in_transit", {S.SHIPPED}, S.IN_TRANSIT, {SYSTEM}, _("In transit")),
    transition(
        "deliver",
        {S.SHIPPED, S.IN_TRANSIT},
        S.DELIVERED,
        {SYSTEM, MODERATOR},
        _("Delivered by the carrier"),
    ),
    transition(
        "return_to_sender",
        {S.SHIPPED, S.IN_TRANSIT},
        S.RETURNED_TO_SENDER,
        {SYSTEM, MODERATOR},
        _("Returned to the artisan by the carrier"),
    ),
    transition(
        "lose", {S.SHIPPED, S.IN_TRANSIT}, S.LOST, {SYSTEM, MODERATOR}, _("Lost by the carrier")
    ),
    transition(
        "confirm_receipt",
        {S.SHIPPED, S.IN_TRANSIT, S.DELIVERED},
        S.COMPLETED,
        {BUYER},
        _("I received it"),
    ),
    transition(
        "auto_complete",
        {S.DELIVERED},
        S.COMPLETED,
        {SYSTEM},
        _("Completed after the confirmation period"),
    ),
    transition(
        "request_return",
        {S.DELIVERED, S.COMPLETED},
        S.RETURN_REQUESTED,
        {BUYER},
        _("Ask for a return"),
        reason_required=True,
    ),
    transition(
        "receive_return",
        {S.RETURN_REQUESTED},
        S.RETURNED,
        {ARTISAN, MODERATOR},
        _("Returned item received"),
    ),
    transition(
        "dispute",
        {
            S.SHIPPED,
            S.IN_TRANSIT,
            S.DELIVERED,
            S.RETURN_REQUESTED,
            S.RETURNED,
            S.RETURNED_TO_SENDER,
            S.LOST,
        },
        S.DISPUTED,
        {BUYER, ARTISAN},
        _("Ask Souk to step in"),
        reason_required=True,
    ),
    transition(
        "resolve",
        {S.DISPUTED},
        S.RESOLVED,
        {MODERATOR},
        _("Close the dispute without refund"),
        reason_required=True,
    ),
    # The money goes back: after a decline or a return (by the platform), or on a moderator's
    # decision at any point after payment.
    transition(
        "refund",
        {S.DECLINED, S.RETURNED},
        S.REFUNDED,
        {SYSTEM},
        _("Refunded"),
    ),
    transition(
        "force_refund",
        {
            S.PAID,
            S.ACCEPTED,
            S.SHIPPED,
            S.IN_TRANSIT,
            S.DELIVERED,
            S.COMPLETED,
            S.RETURN_REQUESTED,
            S.RETURNED,
            S.RETURNED_TO_SENDER,
            S.LOST,
            S.DISPUTED,
            S.DECLINED,
        },
        S.REFUNDED,
        {MODERATOR},
        _("Refund the buyer"),
        reason_required=True,
    ),
    transition(
        "force_cancel",
        {S.AWAITING_PAYMENT, S.CASH_ON_DELIVERY, S.ACCEPTED},
        S.CANCELLED,
        {MODERATOR},
        _("Cancel (unpaid)"),
        reason_required=True,
    ),
)
del S


# A sub-order here has reached its end: nothing more happens to it but a moderator's refund.
FINISHED_SUBORDER_STATUSES = frozenset(
    {
        SubOrderStatus.COMPLETED,
        SubOrderStatus.CANCELLED,
        SubOrderStatus.REFUNDED,
        SubOrderStatus.RESOLVED,
        # Declined cash-on-delivery parcels stay declined; paid ones move on to refunded.
        SubOrderStatus.DECLINED,
    }
)
# Reasons the platform itself gives, stored as codes and shown in the reader's language.
SYSTEM_REASONS: dict[str, str | Promise] = {
    "payment_timeout": _("The payment did not arrive in time; the works were put back on sale."),
    "sold_out": _("The works sold out before the payment arrived."),
    "no_answer_in_time": _("The artisan did not answer in time."),
}
