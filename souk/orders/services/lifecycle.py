"""What happens to a sub-order after payment: artisan, buyer, moderator and the clock.

Each use case locks the sub-order, applies one move of SUBORDER_MACHINE (transitions.py),
and schedules the notifications after commit. Money goes back through the payments service
(refund_sub_order); when every sub-order of an order is finished, the order closes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import formats, timezone

from souk.accounts.models import User
from souk.core import audit, batch, delegation, events
from souk.core.machine import Actor
from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger import selectors as ledger
from souk.orders import locks, notices, pricing, receipt
from souk.orders.errors import (
    IllegalOrderTransition,
    MessageEmpty,
    NotAllowedForRole,
    ReceiptTooEarly,
    RefundApprovedByRequester,
    RefundNeedsApproval,
    ReturnWindowClosed,
)
from souk.orders.events import ParcelRefundDue, UnpaidOrderCancelled
from souk.orders.models import (
    FINISHED_SUBORDER_STATUSES,
    ORDER_CURRENCY,
    Order,
    OrderMessage,
    OrderStatus,
    PaymentMethod,
    ReturnPhoto,
    SubOrder,
    SubOrderStatus,
)
from souk.orders.services.transitions import (
    SUBORDER_MACHINE,
    acts_as,
    move_order,
    move_sub_order,
)
from souk.shops import files

MAX_RETURN_PHOTOS = 3
# The reason the platform gives when it declines for the artisan (shown translated).
NO_ANSWER_IN_TIME = "no_answer_in_time"


def _close_order_if_finished(order: Order) -> None:
    order = locks.order(order.pk)
    if order.status == OrderStatus.PLACED and all(
        sub_order.status in FINISHED_SUBORDER_STATUSES for sub_order in order.sub_orders.all()
    ):
        move_order(order, action="close", actor=None, role=Actor.SYSTEM)


def _move(
    sub_order_id: int, *, action: str, actor: User | None, role: Actor, reason: str = ""
) -> SubOrder:
    sub_order = locks.sub_order(sub_order_id)
    move_sub_order(sub_order, action=action, actor=actor, role=role, reason=reason)
    transaction.on_commit(partial(notices.sub_order_moved, sub_order.pk, action, reason.strip()))
    return sub_order


def _money(amount: int) -> Money:
    return Money(amount, ORDER_CURRENCY)


def _is_cash_on_delivery(sub_order: SubOrder) -> bool:
    return sub_order.order.payment_method == PaymentMethod.CASH_ON_DELIVERY


def _record_cash_collected(sub_order: SubOrder) -> None:
    """A cash-on-delivery parcel reached its buyer, who paid the courier: the carrier owes the
    cash to the shop's escrow (idempotent: delivery and receipt may both say so)."""
    if _is_cash_on_delivery(sub_order):
        accounting.record_cash_collected(
            carrier=sub_order.carrier or "carrier",
            shop_id=sub_order.shop_id,
            reference=sub_order.reference,
            amount=_money(sub_order.total_amount),
        )


def _commission_due(sub_order: SubOrder, *, kept: int) -> Money:
    # Commission is due only on what the buyer finally paid for (docs/ledger.md, "Commission").
    return pricing.commission_due(
        commission=_money(sub_order.commission_amount), total=sub_order.total_amount, kept=kept
    )


def _record_completion(sub_order: SubOrder) -> None:
    """The parcel's money is the artisan's now: what is left in escrow (total less refunds) goes
    to their payable, less the commission due on it. Nothing left (all of it refunded before):
    no entry."""
    kept = sub_order.total_amount - sub_order.refunded_amount
    accounting.record_sub_order_completed(
        shop_id=sub_order.shop_id,
        reference=sub_order.reference,
        total=_money(kept),
        commission=_commission_due(sub_order, kept=kept),
    )


def _commission_returned(sub_order: SubOrder, *, refunded: int) -> Money:
    """What the platform gives back of the commission it holds on a completed parcel when
    `refunded` more goes back to the buyer: what it holds less what is due on what is left."""
    held = ledger.get_commission_taken(reference=sub_order.reference, currency=ORDER_CURRENCY)
    kept = sub_order.total_amount - sub_order.refunded_amount - refunded
    returned = held - _commission_due(sub_order, kept=kept)
    return returned if returned.is_positive() else _money(0)


def is_paid(sub_order: SubOrder) -> bool:
    """Whether the buyer paid for this parcel. Card and wallet: once the payment was captured.
    Cash on delivery: once the cash was collected, i.e. the carrier said "delivered" or the
    buyer said "I received it", whichever came first (both record cash_collected; the other
    finds it done). orders.selectors.PAID_PARCELS is the same rule as a query."""
    if _is_cash_on_delivery(sub_order):
        return sub_order.delivered_at is not None or sub_order.completed_at is not None
    return sub_order.status not in (SubOrderStatus.AWAITING_PAYMENT, SubOrderStatus.CANCELLED)


def refund_due(sub_order: SubOrder) -> int:
    """What giving this parcel's money back would return now (minor units): what is left of it,
    if it was paid (is_paid)."""
    amount = sub_order.total_amount - sub_order.refunded_amount
    if amount <= 0 or not is_paid(sub_order):
        return 0
    return amount


def _check_four_eyes(sub_order: SubOrder, *, moderator: User, approved_by: User | None) -> None:
    """A moderator's action giving back more than SOUK_REFUND_APPROVAL_ABOVE needs another
    person's approval (payments.refund_approvals.ask_parcel_action asks for it); raise
    RefundNeedsApproval without it."""
    if refund_due(sub_order) <= settings.SOUK_REFUND_APPROVAL_ABOVE:
        return
    if approved_by is None:
        raise RefundNeedsApproval()
    if approved_by.pk == moderator.pk:
        raise RefundApprovedByRequester()


def _lock_refund_accounts(parcels: Sequence[SubOrder]) -> None:
    """The ledger's accounts a refund of these (locked) parcels posts to, last and in one go
    (docs/architecture.md, "Lock order")."""
    accounting.lock_refund_accounts(
        shops_before_completion={p.shop_id for p in parcels if p.completed_at is None},
        shops_after_completion={p.shop_id for p in parcels if p.completed_at is not None},
    )


def _refund(
    sub_order: SubOrder, *, reason: str, action: str, actor: User | None, role: Actor
) -> None:
    """Give the buyer back what they paid for this parcel, then mark it refunded.

    A parcel not paid (is_paid: cash on delivery not collected yet) moves no money. A cash on
    delivery parcel collected is refunded by an operator's bank transfer (a manual Refund)."""
    amount = refund_due(sub_order)
    if amount > 0:
        events.publish(ParcelRefundDue(sub_order=sub_order, reason=reason))
        after_completion = sub_order.completed_at is not None
        _lock_refund_accounts([sub_order])
        accounting.record_refund(
            key=f"refund:{sub_order.reference}",
            shop_id=sub_order.shop_id,
            reference=sub_order.reference,
            amount=_money(amount),
            # Nothing is kept: the platform gives back all the commission it holds.
            commission_returned=(
                _commission_returned(sub_order, refunded=amount) if after_completion else _money(0)
            ),
            after_completion=after_completion,
        )
        SubOrder.objects.filter(pk=sub_order.pk).update(refunded_amount=sub_order.total_amount)
    _move(sub_order.pk, action=action, actor=actor, role=role, reason=reason)


@transaction.atomic
def accept_sub_order(*, sub_order: SubOrder, artisan: User) -> SubOrder:
    """The artisan takes the order on; the buyer is told, with the time to make it."""
    return _move(sub_order.pk, action="accept", actor=artisan, role=Actor.ARTISAN)


@transaction.atomic
def decline_sub_order(*, sub_order: SubOrder, artisan: User | None, reason: str) -> SubOrder:
    """The artisan cannot make or send it (or did not answer in time, `artisan` None): the
    buyer's money goes back at once."""
    role = Actor.SYSTEM if artisan is None else Actor.ARTISAN
    declined = _move(sub_order.pk, action="decline", actor=artisan, role=role, reason=reason)
    if declined.order.payment_method != PaymentMethod.CASH_ON_DELIVERY:
        _refund(declined, reason=reason, action="refund", actor=None, role=Actor.SYSTEM)
    _close_order_if_finished(declined.order)
    return declined


def lock_sub_order_to_ship(*, sub_order: SubOrder, artisan: User) -> SubOrder:
    """The sub-order, locked, when `artisan` may ship it; raises NotAllowedForRole otherwise.
    For souk.fulfilment, inside the transaction that creates its shipment (ship_sub_order)."""
    locked = locks.sub_order(sub_order.pk)
    if not acts_as(user=artisan, role=Actor.ARTISAN, order=locked.order, sub_order=locked):
        raise NotAllowedForRole()
    return locked


@transaction.atomic
def mark_shipped(
    *, sub_order: SubOrder, artisan: User, carrier_code: str, tracking_number: str
) -> SubOrder:
    """The parcel is with its carrier: souk.fulfilment created its shipment in this transaction
    (fulfilment.services.ship_sub_order) and the sub-order is shipped under its number."""
    locked = locks.sub_order(sub_order.pk)
    locked.carrier = carrier_code
    locked.tracking_number = tracking_number
    locked.save(update_fields=["carrier", "tracking_number"])
    return _move(locked.pk, action="ship", actor=artisan, role=Actor.ARTISAN)


# The carrier's word that the parcel left for its last leg (souk.fulfilment's status).
OUT_FOR_DELIVERY = "out_for_delivery"
# What each tracking status of a shipment does to its sub-order.
_TRACKING_MOVES = {
    "in_transit": "in_transit",
    "delivered": "deliver",
    "returned": "return_to_sender",
    "lost": "lose",
}


@transaction.atomic
def follow_tracking(*, sub_order: SubOrder, status: str) -> SubOrder:
    """The carrier's news about the parcel (souk.fulfilment): move the sub-order if the move is
    still open (a buyer may have confirmed receipt before the carrier's "delivered").

    "Out for delivery" is no move of its own: it stamps the moment, from which the buyer may
    say "I received it" (is_receipt_possible), and puts a parcel still "shipped" in transit."""
    locked = locks.sub_order(sub_order.pk)
    if status == OUT_FOR_DELIVERY:
        if locked.out_for_delivery_at is None:
            locked.out_for_delivery_at = timezone.now()
            locked.save(update_fields=["out_for_delivery_at"])
        status = "in_transit"
    action = _TRACKING_MOVES.get(status)
    transition = SUBORDER_MACHINE.get(action or "")
    if transition is None or locked.status not in transition.sources:
        return locked
    moved = _move(locked.pk, action=transition.action, actor=None, role=Actor.SYSTEM)
    if transition.action == "deliver":
        _record_cash_collected(moved)
    return moved


@transaction.atomic
def mark_delivered(*, sub_order: SubOrder, moderator: User | None = None) -> SubOrder:
    """The carrier delivered the parcel (a tracking event; or a moderator on its word)."""
    role = Actor.SYSTEM if moderator is None else Actor.MODERATOR
    delivered = _move(sub_order.pk, action="deliver", actor=moderator, role=role)
    _record_cash_collected(delivered)
    return delivered


@transaction.atomic
def confirm_receipt(*, sub_order: SubOrder, buyer: User) -> SubOrder:
    """The buyer has the parcel and is happy: the sub-order is completed. Raises
    ReceiptTooEarly while the carrier has it on the way (is_receipt_possible)."""
    locked = locks.sub_order(sub_order.pk)
    if locked.status in receipt.sources() and not receipt.is_receipt_possible(locked):
        from_moment = receipt.receipt_possible_from(locked)
        raise ReceiptTooEarly(
            ReceiptTooEarly.message
            % {"date": formats.date_format(timezone.localtime(from_moment), "j F Y")}
            if from_moment
            else None
        )
    completed = _move(sub_order.pk, action="confirm_receipt", actor=buyer, role=Actor.BUYER)
    _record_cash_collected(completed)
    _record_completion(completed)
    _close_order_if_finished(completed.order)
    return completed


def return_deadline(sub_order: SubOrder) -> datetime.datetime | None:
    received = sub_order.delivered_at or sub_order.completed_at
    if received is None:
        return None
    return received + timedelta(days=int(settings.SOUK_RETURN_WINDOW_DAYS))


@transaction.atomic
def request_return(
    *, sub_order: SubOrder, buyer: User, reason: str, photos: Sequence[File[bytes]] = ()
) -> SubOrder:
    """The buyer wants to send the parcel back, within SOUK_RETURN_WINDOW_DAYS of receiving it,
    with a reason and up to MAX_RETURN_PHOTOS photos (checked like every uploaded photo)."""
    locked = locks.sub_order(sub_order.pk)
    deadline = return_deadline(locked)
    if deadline is not None and timezone.now() > deadline:
        raise ReturnWindowClosed()
    prepared = [files.prepare_photo(photo) for photo in photos[:MAX_RETURN_PHOTOS]]
    moved = _move(locked.pk, action="request_return", actor=buyer, role=Actor.BUYER, reason=reason)
    for photo in prepared:
        record = ReturnPhoto(sub_order=moved)
        with files.stored_photo(record, photo):
            record.save()
    # A completed parcel reopens the order until the return is settled.
    order = locks.order(moved.order_id)
    if order.status == OrderStatus.CLOSED:
        move_order(order, action="reopen", actor=buyer, role=Actor.BUYER, reason=reason)
    return moved


@transaction.atomic
def receive_return(
    *,
    sub_order: SubOrder,
    actor: User,
    as_moderator: bool = False,
    approved_by: User | None = None,
) -> SubOrder:
    """The returned parcel is back with the artisan: the buyer is refunded. A moderator saying
    so for a large parcel needs `approved_by`, another person (payments.refund_approvals)."""
    role = Actor.MODERATOR if as_moderator else Actor.ARTISAN
    if as_moderator:
        _check_four_eyes(locks.sub_order(sub_order.pk), moderator=actor, approved_by=approved_by)
    returned = _move(sub_order.pk, action="receive_return", actor=actor, role=role)
    _refund(returned, reason="", action="refund", actor=None, role=Actor.SYSTEM)
    _close_order_if_finished(returned.order)
    return returned


@transaction.atomic
def open_dispute(*, sub_order: SubOrder, user: User, reason: str) -> SubOrder:
    """The buyer or the artisan asks a moderator to decide."""
    locked = locks.sub_order(sub_order.pk)
    role = Actor.BUYER if locked.order.buyer_id == user.pk else Actor.ARTISAN
    return _move(locked.pk, action="dispute", actor=user, role=role, reason=reason)


@transaction.atomic
def resolve_dispute(*, sub_order: SubOrder, moderator: User, reason: str) -> SubOrder:
    """A moderator closes the dispute without refund (a refund is force_refund)."""
    resolved = _move(
        sub_order.pk, action="resolve", actor=moderator, role=Actor.MODERATOR, reason=reason
    )
    if resolved.completed_at is None and is_paid(resolved):
        # Closed in the artisan's favour: the parcel's money is theirs, as on completion.
        _record_completion(resolved)
        resolved.completed_at = resolved.status_changed_at
        resolved.save(update_fields=["completed_at"])
    _close_order_if_finished(resolved.order)
    return resolved


@transaction.atomic
def force_refund(
    *, sub_order: SubOrder, moderator: User, reason: str, approved_by: User | None = None
) -> SubOrder:
    """A moderator gives the buyer their money back, whatever the parcel's state. Above
    SOUK_REFUND_APPROVAL_ABOVE only with `approved_by`, another person
    (payments.refund_approvals)."""
    locked = locks.sub_order(sub_order.pk)
    _check_four_eyes(locked, moderator=moderator, approved_by=approved_by)
    _refund(locked, reason=reason, action="force_refund", actor=moderator, role=Actor.MODERATOR)
    _close_order_if_finished(locked.order)
    return locks.sub_order(locked.pk)


@transaction.atomic
def force_cancel(*, sub_order: SubOrder, moderator: User, reason: str) -> SubOrder:
    """A moderator cancels a parcel nobody has paid for yet (unpaid or cash on delivery)."""
    locked = locks.sub_order(sub_order.pk)
    if locked.status == SubOrderStatus.ACCEPTED and (
        locked.order.payment_method != PaymentMethod.CASH_ON_DELIVERY
    ):
        # Paid by card: that is a refund, not a cancellation.
        raise NotAllowedForRole()
    cancelled = _move(
        locked.pk, action="force_cancel", actor=moderator, role=Actor.MODERATOR, reason=reason
    )
    events.publish(UnpaidOrderCancelled(order=cancelled.order))
    _close_order_if_finished(cancelled.order)
    return cancelled


@transaction.atomic
def send_message(*, sub_order: SubOrder, author: User, body: str) -> OrderMessage:
    """A message between the buyer and the artisan (or a moderator) about one parcel."""
    text = body.strip()
    if not text:
        raise MessageEmpty()
    order = sub_order.order
    for role in (Actor.BUYER, Actor.ARTISAN, Actor.MODERATOR):
        if acts_as(user=author, role=role, order=order, sub_order=sub_order):
            break
    else:
        raise NotAllowedForRole()
    who = delegation.current()  # an advisor writing for the artisan: shown, and audited
    by = {"assisted_by_id": who.advisor_id} if who else {}
    message = OrderMessage.objects.create(
        sub_order=sub_order, author=author, author_role=role.value, body=text[:2000], **by
    )
    if who is not None:
        audit.record(actor=author, action="orders.message_sent", target=message)
    transaction.on_commit(partial(notices.message_sent, message.pk))
    return message


def decline_overdue_sub_orders(*, now: datetime.datetime | None = None) -> int:
    """Decline (and refund) the paid sub-orders the artisan did not answer in time."""
    moment = now or timezone.now()
    overdue = SubOrder.objects.filter(
        status__in=[SubOrderStatus.PAID, SubOrderStatus.CASH_ON_DELIVERY], accept_by__lt=moment
    ).order_by("pk")
    return batch.for_each(
        "orders.decline_overdue_sub_orders", overdue.values_list("pk", flat=True), _decline_overdue
    ).done


def _decline_overdue(sub_order_id: int) -> bool:
    sub_order = SubOrder.objects.select_related("order").get(pk=sub_order_id)
    try:
        decline_sub_order(sub_order=sub_order, artisan=None, reason=NO_ANSWER_IN_TIME)
    except IllegalOrderTransition:
        return False  # accepted by the artisan a moment ago
    return True


def complete_delivered_sub_orders(*, now: datetime.datetime | None = None) -> int:
    """Complete the sub-orders delivered SOUK_AUTO_COMPLETE_DAYS ago that nobody contested."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(days=int(settings.SOUK_AUTO_COMPLETE_DAYS))
    due = SubOrder.objects.filter(
        status=SubOrderStatus.DELIVERED, delivered_at__lt=cutoff
    ).order_by("pk")
    return batch.for_each(
        "orders.complete_delivered_sub_orders", due.values_list("pk", flat=True), _auto_complete
    ).done


def _auto_complete(sub_order_id: int) -> bool:
    """One delivered parcel nobody contested: completed, its money the artisan's."""
    completed = _move(sub_order_id, action="auto_complete", actor=None, role=Actor.SYSTEM)
    _record_completion(completed)
    _close_order_if_finished(completed.order)
    return True


def record_partial_refund(*, order_id: int, amount: Money, key: str) -> None:
    """A moderator gave back `amount` of an order (payments.refund_payment): share it among the
    parcels in proportion to what is left of each, record it on them and in the ledger (from
    escrow, or from the artisan's payable with the commission's share for a completed parcel).

    Call inside the refund's transaction; idempotent on `key` through the ledger's keys."""
    with transaction.atomic():
        order = locks.order(order_id)
        parcels = [
            sub_order
            for sub_order in locks.sub_orders_of(order)
            if sub_order.total_amount > sub_order.refunded_amount
            and sub_order.status not in (SubOrderStatus.CANCELLED, SubOrderStatus.AWAITING_PAYMENT)
        ]
        if not parcels:
            return
        _lock_refund_accounts(parcels)
        remaining = [sub_order.total_amount - sub_order.refunded_amount for sub_order in parcels]
        shares = amount.allocate(remaining)
        for sub_order, share in zip(parcels, shares, strict=True):
            if not share.is_positive():
                continue
            after_completion = sub_order.completed_at is not None
            commission = _money(0)
            if after_completion:
                commission = _commission_returned(sub_order, refunded=share.amount)
            accounting.record_refund(
                key=f"{key}:{sub_order.reference}",
                shop_id=sub_order.shop_id,
                reference=sub_order.reference,
                amount=share,
                commission_returned=commission,
                after_completion=after_completion,
            )
            SubOrder.objects.filter(pk=sub_order.pk).update(
                refunded_amount=sub_order.refunded_amount + share.amount
            )
