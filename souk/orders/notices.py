"""Who hears about an order's moves, and with which notification (souk.notifications).

Called after commit by the services, with ids (the rows are read again here), so a rolled-back
move never notifies. Amounts and dates are formatted in each recipient's own language.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.catalog.units import TIMES
from souk.core.money import Money, format_money_for_language
from souk.ledger import selectors as ledger
from souk.notifications import services as notifications
from souk.notifications.dates import moment_text
from souk.orders import guests
from souk.orders.models import SYSTEM_REASONS, Order, OrderMessage, SubOrder
from souk.shipping import selectors as shipping
from souk.shops.models import MemberRole

# Sub-order moves the buyer hears about, by action; and those the artisan hears about.
# The buyer hears "shipped" once, when the carrier has the parcel (its first scan), not when
# the artisan prints the label: a label alone is not a parcel on its way.
_BUYER_KINDS = {
    "accept": "suborder_accepted",
    "decline": "suborder_declined",
    "in_transit": "suborder_shipped",
    "deliver": "suborder_delivered",
    "return_to_sender": "suborder_returned_to_sender",
    "lose": "suborder_lost",
    "refund": "suborder_refunded",
    "force_refund": "suborder_refunded",
    "dispute": "suborder_disputed",
}
_ARTISAN_KINDS = {
    "confirm_receipt": "suborder_completed",
    "auto_complete": "suborder_completed",
    "request_return": "return_requested",
    "dispute": "suborder_disputed",
    "force_refund": "suborder_refunded",
}


def _language(user: User) -> str:
    return user.preferred_language or translation.get_language() or "fr"


def _money(amount: int, user: User) -> str:
    return format_money_for_language(Money(amount, "MAD"), _language(user))


def _managers(sub_order: SubOrder) -> list[User]:
    return [
        member.user
        for member in sub_order.shop.members.filter(role=MemberRole.MANAGER).select_related("user")
    ]


def _reason_text(reason: str, user: User) -> str:
    with translation.override(_language(user)):
        return str(SYSTEM_REASONS.get(reason, reason))


def _buyer_url(order: Order) -> str:
    if order.buyer.is_guest:
        # No account to log in to: the signed link is the guest's way to the order.
        return guests.order_link(order)
    return reverse("orders:detail", kwargs={"reference": order.reference})


def _artisan_url(sub_order: SubOrder) -> str:
    return reverse("orders:artisan_detail", kwargs={"reference": sub_order.reference})


def order_placed(order_id: int) -> None:
    """Tell the buyer the order is confirmed and each shop's managers they have one to accept:
    all of them in one bulk insert and their copies in one task (notify_many)."""
    order = Order.objects.select_related("buyer").get(pk=order_id)
    buyer = order.buyer
    items = [
        notifications.Addressed(
            recipient=buyer,
            kind="order_placed_buyer",
            context={"reference": order.reference, "total": _money(order.total_amount, buyer)},
            url=_buyer_url(order),
        )
    ]
    for sub_order in order.sub_orders.select_related("shop"):
        lines = list(sub_order.lines.select_related("product", "variant"))
        item_count = sum(line.quantity for line in lines)
        for manager in _managers(sub_order):
            accept_by = (
                moment_text(sub_order.accept_by, _language(manager)) if sub_order.accept_by else ""
            )
            context = {
                "reference": sub_order.reference,
                "shop_name": sub_order.shop.display_name,
                "item_count": item_count,
                "total": _money(sub_order.total_amount, manager),
                "accept_by": accept_by,
                # The pieces in the manager's language, not the buyer's.
                "lines": [
                    f"{line.quantity}{TIMES}{line.label_in(_language(manager))}" for line in lines
                ],
            }
            items.append(
                notifications.Addressed(
                    recipient=manager,
                    kind="order_paid_artisan",
                    context=context,
                    url=_artisan_url(sub_order),
                )
            )
    notifications.notify_many(items=items)


def sub_order_moved(sub_order_id: int, action: str, reason: str) -> None:
    sub_order = SubOrder.objects.select_related("order__buyer", "shop").get(pk=sub_order_id)
    buyer = sub_order.order.buyer
    if action in _BUYER_KINDS:
        notifications.notify(
            recipient=buyer,
            kind=_BUYER_KINDS[action],
            context=_context(sub_order, buyer, reason),
            url=_buyer_url(sub_order.order),
        )
    if action in _ARTISAN_KINDS:
        for manager in _managers(sub_order):
            notifications.notify(
                recipient=manager,
                kind=_ARTISAN_KINDS[action],
                context={**_context(sub_order, manager, reason), **_released(sub_order, manager)},
                url=_artisan_url(sub_order),
            )


def _released(sub_order: SubOrder, user: User) -> dict[str, str]:
    """What a completed parcel made available to the shop, as the ledger posted it: what the
    buyer paid and kept (less refunds), the commission taken on it, and the difference."""
    kept = Money(sub_order.total_amount - sub_order.refunded_amount, "MAD")
    commission = ledger.get_commission_taken(reference=sub_order.reference, currency="MAD")
    language = _language(user)
    return {
        "kept": format_money_for_language(kept, language),
        "commission": format_money_for_language(commission, language),
        "net": format_money_for_language(kept - commission, language),
    }


def _context(sub_order: SubOrder, user: User, reason: str) -> dict[str, object]:
    return {
        "reference": sub_order.reference,
        "shop_name": sub_order.shop.display_name,
        "reason": _reason_text(reason, user),
        "lead_time_days": sub_order.lead_time_days,
        "carrier": carrier.name
        if (carrier := shipping.get_carrier(code=sub_order.carrier))
        else "",
        "tracking_number": sub_order.tracking_number,
        "total": _money(sub_order.total_amount, user),
        "amount": _money(sub_order.refunded_amount or sub_order.total_amount, user),
    }


def message_sent(message_id: int) -> None:
    """Tell the other side of the conversation (buyer ↔ the shop's managers)."""
    message = OrderMessage.objects.select_related(
        "sub_order__order__buyer", "sub_order__shop", "author"
    ).get(pk=message_id)
    sub_order = message.sub_order
    buyer = sub_order.order.buyer
    sender_name = message.author.full_name if message.author else ""
    context = {
        "reference": sub_order.reference,
        "sender_name": sender_name,
        "excerpt": message.body[:140],
    }
    if message.author_id != buyer.pk:
        notifications.notify(
            recipient=buyer, kind="order_message", context=context, url=_buyer_url(sub_order.order)
        )
    if message.author_role != "artisan":
        for manager in _managers(sub_order):
            notifications.notify(
                recipient=manager,
                kind="order_message",
                context=context,
                url=_artisan_url(sub_order),
            )
