"""Issue #14, defects 2 to 4: a cash-on-delivery return pays the buyer back, a parcel refunded in
part or in full before receipt still completes, and the commission is due only on what the buyer
finally paid for — whether the refund came before or after completion. Real services; the
balances are what an operator reads in the ledger."""

from __future__ import annotations

import pytest

from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.models import LedgerAccount
from souk.ledger.selectors import check_ledger
from souk.orders import services as orders
from souk.orders.models import Order, PaymentMethod, SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services as payments
from souk.payments.models import Refund, RefundMethod
from souk.payments.tests.factories import cmi_callback_fields
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db

# make_unpaid_order's parcel: a 450 MAD tagine + 90 MAD shipping, 10% commission on the work.
TOTAL = 54_000
COMMISSION = 4_500


def balance(key: str) -> int:
    account = LedgerAccount.objects.filter(key=key).first()
    return account.balance.amount if account else 0


def paid_by_card(order: Order) -> Order:
    """The order paid through the sandbox CMI, so that it has a payment to refund from."""
    start = payments.start_payment(order=order, language="fr")
    payments.handle_cmi_callback(params=cmi_callback_fields(start))
    return Order.objects.get(pk=order.pk)


def shipped(parcel: SubOrder) -> SubOrder:
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    orders.ship_sub_order(sub_order=parcel, artisan=artisan)
    return SubOrder.objects.get(pk=parcel.pk)


def refund_part(order: Order, amount: int, key: str) -> None:
    payments.refund_payment(
        order=order, amount=Money(amount, "MAD"), reason="Damaged.", key=key, actor=None
    )


def due_on(kept: int) -> int:
    """The commission's share of what the buyer kept, as the ledger's docs state it."""
    return Money(COMMISSION, "MAD").allocate([kept, TOTAL - kept])[0].amount if kept else 0


# --- Defect 2: cash on delivery, receipt confirmed before the carrier's "delivered" ------------


def test_a_cash_on_delivery_return_after_an_early_receipt_pays_the_buyer_back() -> None:
    # given: the buyer says "I received it" before the carrier's "delivered", then returns it
    order = make_unpaid_order(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    payments.confirm_cash_on_delivery(order=order)
    parcel = shipped(order.sub_orders.get())
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    assert balance(accounting.payable_key(parcel.shop_id)) == TOTAL - COMMISSION
    orders.request_return(sub_order=parcel, buyer=order.buyer, reason="Wrong colour.")

    # when: the artisan receives the parcel back
    orders.receive_return(sub_order=parcel, actor=owner_of(parcel.shop))

    # then: the cash the courier collected is owed back to the buyer, by an operator's transfer
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.REFUNDED
    assert parcel.refunded_amount == TOTAL
    assert balance(accounting.REFUNDS) == TOTAL
    assert balance(accounting.payable_key(parcel.shop_id)) == 0
    assert balance(accounting.COMMISSION) == 0
    assert balance(accounting.escrow_key(parcel.shop_id)) == 0
    refund = Refund.objects.get(sub_order_reference=parcel.reference)
    assert (refund.amount, refund.method) == (TOTAL, RefundMethod.MANUAL)
    assert check_ledger() == []
