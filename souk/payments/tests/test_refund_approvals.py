"""Four eyes on large refunds: one person asks, another approves, only then is it sent."""

from __future__ import annotations

import pytest
from django.db import transaction

from souk.core.models import AuditEntry
from souk.core.money import Money
from souk.ledger.models import Transfer
from souk.orders.models import Order
from souk.orders.tests.factories import make_buyer
from souk.payments import services
from souk.payments.errors import RefundNeedsApproval
from souk.payments.models import Refund, RefundApproval, RefundApprovalStatus, RefundStatus
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment
from souk.shops.tests.factories import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _approval_above_100_mad(settings):
    settings.SOUK_REFUND_APPROVAL_ABOVE = 10000


def _paid_card_order() -> Order:
    order, start = start_card_payment()
    assert services.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return Order.objects.get(pk=order.pk)


def _page(order: Order) -> str:
    return f"/en/payments/{order.reference}/refund/"


def _decide(client, order: Order, approval: RefundApproval, decision: str):
    return client.post(
        f"/en/payments/{order.reference}/refund/approvals/{approval.pk}/", {"decision": decision}
    )


def test_a_big_refund_by_one_moderator_is_not_sent_until_another_approves(client):
    # given
    order = _paid_card_order()
    asker, approver = make_moderator(), make_moderator()
    transfers_before = Transfer.objects.count()
    client.force_login(asker)

    # when: one moderator refunds 200.00 MAD (above 100.00) and tries to approve it too
    asked = client.post(_page(order), {"amount": "200.00", "reason": "broken", "key": "tok1"})
    approval = RefundApproval.objects.get()
    self_approved = _decide(client, order, approval, "approve")

    # then: recorded as awaiting, nothing refunded, nothing in the ledger
    assert asked.status_code == 302
    assert self_approved.status_code == 403
    assert "Another person must approve or reject" in self_approved.content.decode()
    assert (approval.status, approval.amount, approval.requested_by) == (
        RefundApprovalStatus.AWAITING,
        20000,
        asker,
    )
    assert Refund.objects.count() == 0
    assert Transfer.objects.count() == transfers_before
    page = client.get(_page(order)).content.decode()
    assert "Another person with the right to refund must approve it." in page

    # when: another moderator approves it
    client.force_login(approver)
    approved = _decide(client, order, approval, "approve")

    # then: the refund is made and both steps are in the audit log
    assert approved.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.status) == (20000, RefundStatus.REQUESTED)
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.refund) == (
        RefundApprovalStatus.APPROVED,
        approver,
        refund,
    )
    assert Transfer.objects.count() > transfers_before
    actions = dict(
        AuditEntry.objects.filter(action__startswith="payments.refund").values_list(
            "action", "actor"
        )
    )
    assert actions == {
        "payments.refund_approval_requested": asker.pk,
        "payments.refund_approved": approver.pk,
        "payments.refund_requested": asker.pk,
    }
    assert AuditEntry.objects.get(action="payments.refund_requested").data["approved_by"] == (
        approver.pk
    )


def test_a_rejected_refund_gives_nothing_back_and_cannot_be_approved_later(client):
    # given
    order = _paid_card_order()
    asker, checker = make_moderator(), make_moderator()
    client.force_login(asker)
    client.post(_page(order), {"amount": "300.00", "reason": "r", "key": "tok2"})
    approval = RefundApproval.objects.get()

    # when
    client.force_login(checker)
    rejected = _decide(client, order, approval, "reject")
    approved_later = _decide(client, order, approval, "approve")

    # then
    assert rejected.status_code == 302
    assert approved_later.status_code == 409
    assert RefundApproval.objects.get().status == RefundApprovalStatus.REJECTED
    assert Refund.objects.count() == 0
    assert AuditEntry.objects.filter(action="payments.refund_rejected", actor=checker).exists()


def test_a_small_refund_is_made_at_once(client):
    order = _paid_card_order()
    client.force_login(make_moderator())

    client.post(_page(order), {"amount": "100.00", "reason": "r", "key": "tok3"})

    assert Refund.objects.get().amount == 10000
    assert RefundApproval.objects.count() == 0


def test_others_cannot_decide_a_refund(client):
    order = _paid_card_order()
    client.force_login(make_moderator())
    client.post(_page(order), {"amount": "200.00", "reason": "r", "key": "tok4"})
    approval = RefundApproval.objects.get()

    client.force_login(make_buyer(email="nosy@example.com"))
    response = _decide(client, order, approval, "approve")

    assert response.status_code == 404
    assert RefundApproval.objects.get().status == RefundApprovalStatus.AWAITING


def test_the_service_refuses_a_big_refund_without_a_second_person():
    order = _paid_card_order()

    with pytest.raises(RefundNeedsApproval), transaction.atomic():
        services.refund_payment(
            order=order,
            amount=Money(20000, "MAD"),
            reason="r",
            key="k",
            actor=make_moderator(),
        )

    assert Refund.objects.count() == 0


def test_a_big_refund_split_into_small_ones_waits_for_a_second_person(client):
    # given a moderator who gives back 100.00 MAD alone (the limit) on one order
    order = _paid_card_order()
    client.force_login(make_moderator())
    client.post(_page(order), {"amount": "60.00", "reason": "r", "key": "split1"})
    client.post(_page(order), {"amount": "40.00", "reason": "r", "key": "split2"})

    # when the next small piece would pass the limit, asked by them or by a colleague
    client.post(_page(order), {"amount": "0.01", "reason": "r", "key": "split3"})
    client.force_login(make_moderator())
    client.post(_page(order), {"amount": "10.00", "reason": "r", "key": "split4"})

    # then the first two are made, the others wait, nothing more went back
    assert sorted(Refund.objects.values_list("amount", flat=True)) == [4000, 6000]
    assert sorted(
        RefundApproval.objects.filter(status=RefundApprovalStatus.AWAITING).values_list(
            "amount", flat=True
        )
    ) == [1, 1000]


def test_a_person_gives_back_at_most_the_daily_limit_alone_over_many_orders(client, settings):
    # given a daily limit of 150.00 MAD and a moderator who refunded 100.00 on one order
    settings.SOUK_REFUND_APPROVAL_DAILY_ABOVE = 15000
    first, second = _paid_card_order(), _paid_card_order()
    moderator = make_moderator()
    client.force_login(moderator)
    client.post(_page(first), {"amount": "100.00", "reason": "r", "key": "day1"})

    # when they refund 60.00 of another order, under its own limit
    client.post(_page(second), {"amount": "60.00", "reason": "r", "key": "day2"})

    # then it waits for a second person; a colleague still refunds alone
    assert list(Refund.objects.values_list("amount", flat=True)) == [10000]
    assert RefundApproval.objects.get().amount == 6000
    client.force_login(make_moderator())
    client.post(_page(second), {"amount": "60.00", "reason": "r", "key": "day3"})
    assert sorted(Refund.objects.values_list("amount", flat=True)) == [6000, 10000]


def test_an_approved_refund_does_not_count_against_the_limit_given_alone(client):
    # given a 200.00 refund asked by one moderator and approved by another
    order = _paid_card_order()
    asker, approver = make_moderator(), make_moderator()
    client.force_login(asker)
    client.post(_page(order), {"amount": "200.00", "reason": "r", "key": "big"})
    client.force_login(approver)
    _decide(client, order, RefundApproval.objects.get(), "approve")

    # when the asker then refunds 50.00 alone
    client.force_login(asker)
    client.post(_page(order), {"amount": "50.00", "reason": "r", "key": "small"})

    # then it is made at once: only refunds given alone add up
    assert sorted(Refund.objects.values_list("amount", flat=True)) == [5000, 20000]
