"""Four eyes on the moderator's parcel actions that give money back (#13, defect 9).

Before, a moderator gave back any parcel alone with "Refund the buyer" or "Returned item
received" on the moderation page, whatever the partial refund page's approval demanded."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from souk.core.models import AuditEntry
from souk.fulfilment import services as fulfilment
from souk.ledger.models import Transfer
from souk.ledger.selectors import check_ledger
from souk.orders import services
from souk.orders.models import Order, PaymentMethod, SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import refund_approvals
from souk.payments import services as payments
from souk.payments.errors import RefundNeedsApproval
from souk.payments.models import Refund, RefundApproval, RefundApprovalStatus
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db
SELF_DECISION = "Another person must approve or reject a refund you asked for."
MOVED = "This parcel changed since the refund was asked for: nothing was given back."


@pytest.fixture(autouse=True)
def _approval_above_100_mad(settings):
    # The parcels below are a 450 MAD tagine: above the amount, so they need a second person.
    settings.SOUK_REFUND_APPROVAL_ABOVE = 10000


def _url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _card_parcel() -> SubOrder:
    order, start = start_card_payment()
    assert payments.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return Order.objects.get(pk=order.pk).sub_orders.get()


def _step(client, parcel: SubOrder, action: str, reason: str = "Counterfeit."):
    return client.post(
        _url("orders:moderator_step", parcel.reference), {"action": action, "reason": reason}
    )


def _decide(client, approval: RefundApproval, decision: str):
    return client.post(
        _url("payments:decide_refund", approval.order.reference, approval.pk),
        {"decision": decision},
    )


def _reloaded(parcel: SubOrder) -> SubOrder:
    return SubOrder.objects.get(pk=parcel.pk)


def test_a_big_force_refund_waits_for_a_second_moderator_then_refunds_once(
    client, django_capture_on_commit_callbacks
):
    # given: a parcel paid 450 MAD by card
    parcel = _card_parcel()
    asker, approver = make_moderator(), make_moderator()
    transfers_before = Transfer.objects.count()
    client.force_login(asker)

    # when: one moderator refunds it and tries to approve it too
    asked = _step(client, parcel, "force_refund")
    approval = RefundApproval.objects.get()
    self_approved = _decide(client, approval, "approve")

    # then: recorded as awaiting, listed for approval; nothing refunded, ledger unchanged
    assert asked.status_code == 302
    assert self_approved.status_code == 403
    assert SELF_DECISION in self_approved.content.decode()
    assert (approval.sub_order, approval.action, approval.amount, approval.status) == (
        parcel,
        "force_refund",
        parcel.total_amount,
        RefundApprovalStatus.AWAITING,
    )
    assert _reloaded(parcel).status == SubOrderStatus.PAID
    assert _reloaded(parcel).refunded_amount == 0
    assert Refund.objects.count() == 0
    assert Transfer.objects.count() == transfers_before
    detail = client.get(_url("orders:moderation_detail", parcel.reference)).content.decode()
    assert "awaits the approval of a second person." in detail
    queue = client.get(_url("payments:refund", parcel.order.reference)).content.decode()
    assert f"Parcel {parcel.reference}" in queue

    # when: another moderator approves it (the gateway's refund runs after commit), twice
    client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        approved = _decide(client, approval, "approve")
    again = _decide(client, approval, "approve")

    # then: refunded once, in full, the ledger holds, both steps in the audit log
    assert approved.status_code == 302
    assert again.status_code == 409
    refunded = _reloaded(parcel)
    assert refunded.status == SubOrderStatus.REFUNDED
    assert refunded.refunded_amount == parcel.total_amount
    refund = Refund.objects.get()
    assert refund.amount == parcel.total_amount
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.refund) == (
        RefundApprovalStatus.APPROVED,
        approver,
        refund,
    )
    assert check_ledger() == []
    assert AuditEntry.objects.filter(
        action="payments.refund_approval_requested", actor=asker
    ).exists()
    assert AuditEntry.objects.filter(action="payments.refund_approved", actor=approver).exists()


def test_a_rejected_force_refund_moves_nothing(client):
    # given
    parcel = _card_parcel()
    transfers_before = Transfer.objects.count()
    client.force_login(make_moderator())
    _step(client, parcel, "force_refund")
    approval = RefundApproval.objects.get()

    # when
    client.force_login(make_moderator())
    rejected = _decide(client, approval, "reject")
    approved_later = _decide(client, approval, "approve")

    # then
    assert rejected.status_code == 302
    assert approved_later.status_code == 409
    assert RefundApproval.objects.get().status == RefundApprovalStatus.REJECTED
    assert _reloaded(parcel).status == SubOrderStatus.PAID
    assert Refund.objects.count() == 0
    assert Transfer.objects.count() == transfers_before


def test_a_small_force_refund_is_made_at_once(client, settings):
    # given: the parcel (450 MAD) is below the amount
    settings.SOUK_REFUND_APPROVAL_ABOVE = 100000
    parcel = _card_parcel()
    client.force_login(make_moderator())

    # when
    response = _step(client, parcel, "force_refund")

    # then
    assert response.status_code == 302
    assert _reloaded(parcel).status == SubOrderStatus.REFUNDED
    assert Refund.objects.get().amount == parcel.total_amount
    assert RefundApproval.objects.count() == 0


def test_approval_is_refused_when_the_parcel_moved_meanwhile(client):
    # given: a force refund awaiting approval, then the artisan accepts the parcel
    parcel = _card_parcel()
    client.force_login(make_moderator())
    _step(client, parcel, "force_refund")
    approval = RefundApproval.objects.get()
    services.accept_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop))

    # when
    client.force_login(make_moderator())
    response = _decide(client, approval, "approve")

    # then: 409, nothing given back, still awaiting (to be rejected)
    assert response.status_code == 409
    assert MOVED in response.content.decode()
    assert _reloaded(parcel).status == SubOrderStatus.ACCEPTED
    assert Refund.objects.count() == 0
    assert RefundApproval.objects.get().status == RefundApprovalStatus.AWAITING


def test_a_moderator_receiving_a_big_return_waits_for_a_second_moderator(client):
    # given: a delivered parcel the buyer sends back
    parcel = _card_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.mark_delivered(sub_order=parcel)
    services.request_return(sub_order=parcel, buyer=parcel.order.buyer, reason="Cracked.")
    client.force_login(make_moderator())

    # when: a moderator says the return is back
    _step(client, parcel, "receive_return", reason="")

    # then: awaiting approval, nothing refunded
    approval = RefundApproval.objects.get()
    assert approval.action == "receive_return"
    assert _reloaded(parcel).status == SubOrderStatus.RETURN_REQUESTED
    assert Refund.objects.count() == 0

    # when: another approves
    client.force_login(make_moderator())
    _decide(client, approval, "approve")

    # then
    assert _reloaded(parcel).status == SubOrderStatus.REFUNDED
    assert Refund.objects.get().amount == parcel.total_amount


def test_force_cancel_of_a_big_paid_parcel_is_refused_and_moves_nothing(client):
    # given: an accepted parcel paid by card (force_cancel is open from "accepted")
    parcel = _card_parcel()
    services.accept_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop))
    transfers_before = Transfer.objects.count()
    client.force_login(make_moderator())

    # when
    response = _step(client, parcel, "force_cancel")

    # then: paid money goes back only through a refund, with its approval
    assert response.status_code == 302
    assert _reloaded(parcel).status == SubOrderStatus.ACCEPTED
    assert Refund.objects.count() == 0
    assert RefundApproval.objects.count() == 0
    assert Transfer.objects.count() == transfers_before


def test_force_cancel_of_an_undelivered_cash_on_delivery_parcel_is_immediate(client):
    # given: nothing was paid, so nothing goes back, however big
    order = make_unpaid_order(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    services.confirm_cash_on_delivery(order_id=order.pk)
    parcel = order.sub_orders.get()
    client.force_login(make_moderator())

    # when
    _step(client, parcel, "force_cancel")

    # then
    assert _reloaded(parcel).status == SubOrderStatus.CANCELLED
    assert RefundApproval.objects.count() == 0
    assert Refund.objects.count() == 0


def test_resolving_a_big_dispute_gives_nothing_back_and_needs_no_approval(client):
    # given: a disputed delivered parcel
    parcel = _card_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.mark_delivered(sub_order=parcel)
    services.open_dispute(sub_order=parcel, user=parcel.order.buyer, reason="Not as shown.")
    client.force_login(make_moderator())

    # when
    _step(client, parcel, "resolve", reason="The photos match.")

    # then
    assert _reloaded(parcel).status == SubOrderStatus.RESOLVED
    assert Refund.objects.count() == 0
    assert RefundApproval.objects.count() == 0


def test_the_service_refuses_a_big_force_refund_without_a_second_person():
    # given
    parcel = _card_parcel()
    moderator = make_moderator()

    # when / then: the service itself, not only the page, asks for the second person
    with pytest.raises(RefundNeedsApproval):
        services.force_refund(sub_order=parcel, moderator=moderator, reason="r")
    assert _reloaded(parcel).status == SubOrderStatus.PAID
    assert Refund.objects.count() == 0

    # and asking twice keeps one request
    first = refund_approvals.ask_parcel_action(
        action="force_refund", sub_order=parcel, moderator=moderator, reason="r"
    )
    second = refund_approvals.ask_parcel_action(
        action="force_refund", sub_order=parcel, moderator=moderator, reason="r"
    )
    assert first == second
    assert RefundApproval.objects.count() == 1


def test_automatic_refunds_stay_automatic():
    # given: a big parcel the artisan does not answer in time
    parcel = _card_parcel()
    later = timezone.now() + datetime.timedelta(days=30)

    # when
    assert services.decline_overdue_sub_orders(now=later) == 1

    # then
    assert _reloaded(parcel).status == SubOrderStatus.REFUNDED
    assert RefundApproval.objects.count() == 0


def test_the_queue_lists_both_kinds_of_awaiting_refunds_for_moderators_only(client):
    # given: a parcel refund and a partial refund, both awaiting a second person
    parcel = _card_parcel()
    other = _card_parcel()
    client.force_login(make_moderator())
    _step(client, parcel, "force_refund")
    client.post(
        _url("payments:refund", other.order.reference),
        {"amount": "200.00", "reason": "Chipped.", "key": "queue-token"},
    )

    # when
    queue = client.get(_url("payments:refund_queue"))
    client.force_login(parcel.order.buyer)
    refused = client.get(_url("payments:refund_queue"))

    # then
    page = queue.content.decode()
    assert queue.status_code == 200
    assert f"Parcel {parcel.reference}" in page
    assert "Partial refund" in page
    assert other.order.reference in page
    assert refused.status_code == 404
