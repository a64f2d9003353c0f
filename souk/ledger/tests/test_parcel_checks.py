"""`check_ledger` rules 7 to 9, per parcel: refunds booked, a completed parcel's escrow empty, the
commission kept equal to the commission due. Each test breaks one the way a bug would (an entry
posted through the ledger's one writer, or a parcel's row changed without its money) and sees it.
"""

from __future__ import annotations

import pytest

from souk.core.money import Money
from souk.fulfilment import services as fulfilment
from souk.ledger import accounting
from souk.ledger import services as ledger
from souk.ledger.selectors import check_ledger
from souk.ledger.services import Leg
from souk.orders import services as orders
from souk.orders.models import PaymentMethod, SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_paid_order, make_unpaid_order
from souk.payments import services as payments
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


def completed(parcel: SubOrder) -> SubOrder:
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    orders.follow_tracking(sub_order=parcel, status="out_for_delivery")
    orders.confirm_receipt(sub_order=parcel, buyer=parcel.order.buyer)
    return SubOrder.objects.get(pk=parcel.pk)


def rules_about(parcel: SubOrder) -> list[str]:
    return [v.rule for v in check_ledger() if v.subject == f"parcel {parcel.reference}"]


@pytest.mark.ledger_left_broken
def test_the_check_finds_a_collected_cash_parcel_marked_refunded_with_no_refund_booked() -> None:
    # given: what issue #14 found — cash collected, parcel refunded, no money moved back
    order = make_unpaid_order(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    payments.confirm_cash_on_delivery(order=order)
    parcel = completed(order.sub_orders.get())
    assert check_ledger() == []

    SubOrder.objects.filter(pk=parcel.pk).update(status=SubOrderStatus.REFUNDED)

    assert rules_about(parcel) == ["refund"]


@pytest.mark.ledger_left_broken
def test_the_check_finds_a_refund_booked_twice() -> None:
    parcel = make_paid_order().sub_orders.get()
    orders.decline_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop), reason="No.")
    assert check_ledger() == []

    accounting.record_refund(
        key="refund:again",
        shop_id=parcel.shop_id,
        reference=parcel.reference,
        amount=Money(1_000, "MAD"),
        commission_returned=Money(0, "MAD"),
        after_completion=True,
    )

    assert rules_about(parcel) == ["refund"]


@pytest.mark.ledger_left_broken
def test_the_check_finds_money_left_in_the_escrow_of_a_completed_parcel() -> None:
    parcel = completed(make_paid_order().sub_orders.get())
    assert check_ledger() == []

    ledger.post_entry(
        key="stray-capture",
        code="payment_captured",
        legs=[
            Leg(
                accounting.clearing_key("cmi"),
                accounting.escrow_key(parcel.shop_id),
                Money(500, "MAD"),
                "sub_order",
                parcel.reference,
            )
        ],
    )

    assert rules_about(parcel) == ["completed_escrow"]


@pytest.mark.ledger_left_broken
def test_the_check_finds_commission_kept_beyond_what_is_due() -> None:
    parcel = completed(make_paid_order().sub_orders.get())
    assert check_ledger() == []

    ledger.post_entry(
        key="extra-commission",
        code="sub_order_completed",
        legs=[
            Leg(
                accounting.payable_key(parcel.shop_id),
                accounting.COMMISSION,
                Money(615, "MAD"),
                "sub_order",
                parcel.reference,
            )
        ],
    )

    violations = check_ledger()
    assert [(v.rule, v.subject) for v in violations] == [
        ("commission", f"parcel {parcel.reference}")
    ]
    assert violations[0].detail == "commission kept 5115, due 4500"
