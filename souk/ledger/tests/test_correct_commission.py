"""`manage.py correct_commission`: a parcel completed before the commission rule (issue #14,
defect 4) kept commission on money refunded before completion; the command gives it back to the
artisan, leaves the ledger clean and finds nothing the second time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger import services as ledger
from souk.ledger.selectors import check_ledger
from souk.ledger.services import Leg
from souk.ledger.tests.test_parcel_money import (
    COMMISSION,
    TOTAL,
    balance,
    due_on,
    paid_by_card,
    refund_part,
    shipped,
)
from souk.orders import services as orders
from souk.orders.tests.factories import make_unpaid_order

pytestmark = pytest.mark.django_db


def correct(*options: str) -> str:
    out = StringIO()
    call_command("correct_commission", *options, stdout=out)
    return out.getvalue()


def test_commission_kept_on_money_refunded_before_completion_goes_back_to_the_artisan() -> None:
    # given a half-refunded parcel completed as before the rule: the whole commission taken,
    # the part on the refunded half out of the artisan's share
    order = paid_by_card(make_unpaid_order())
    parcel = shipped(order.sub_orders.get())
    refund_part(order, TOTAL // 2, "half")
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    too_much = COMMISSION - due_on(TOTAL // 2)
    ledger.post_entry(
        key="completed-before-the-rule",
        code="sub_order_completed",
        legs=[
            Leg(
                accounting.payable_key(parcel.shop_id),
                accounting.COMMISSION,
                Money(too_much, "MAD"),
                "sub_order",
                parcel.reference,
            )
        ],
    )
    payable = balance(accounting.payable_key(parcel.shop_id))
    assert [violation.rule for violation in check_ledger()] == ["commission"]

    # a dry run lists it and posts nothing
    assert f"parcel {parcel.reference}" in correct("--dry-run")
    assert balance(accounting.payable_key(parcel.shop_id)) == payable

    # when the operator corrects it
    summary = correct()

    # then the artisan has it back, the platform keeps the commission due, the ledger is clean
    assert "1 parcel(s) corrected" in summary
    assert balance(accounting.payable_key(parcel.shop_id)) == payable + too_much
    assert balance(accounting.COMMISSION) == due_on(TOTAL // 2)
    assert check_ledger() == []
    assert "0 parcel(s) corrected" in correct()


def test_a_centime_taken_too_little_is_taken_from_the_payable() -> None:
    order = paid_by_card(make_unpaid_order())
    parcel = shipped(order.sub_orders.get())
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    ledger.post_entry(
        key="rounding-before-the-rule",
        code="sub_order_completed",
        legs=[
            Leg(
                accounting.COMMISSION,
                accounting.payable_key(parcel.shop_id),
                Money(1, "MAD"),
                "sub_order",
                parcel.reference,
            )
        ],
    )
    payable = balance(accounting.payable_key(parcel.shop_id))

    correct()

    assert balance(accounting.payable_key(parcel.shop_id)) == payable - 1
    assert balance(accounting.COMMISSION) == COMMISSION
