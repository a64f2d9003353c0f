"""The money of real orders through the ledger: capture, completion, refunds before and after
completion and payout, cash on delivery; `check_ledger` finds nothing after every step, and
finds what is wrong when the orders and the ledger disagree."""

from __future__ import annotations

import pytest

from souk.core.money import Money
from souk.fulfilment import services as fulfilment
from souk.ledger import accounting
from souk.ledger.models import LedgerAccount, Transfer
from souk.ledger.selectors import check_ledger
from souk.orders import services as orders
from souk.orders.models import PaymentMethod, SubOrder
from souk.orders.tests.factories import make_paid_order, make_unpaid_order, record_paid
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db


def balance(key: str) -> int:
    """The account's balance; 0 for an account no money has touched yet."""
    account = LedgerAccount.objects.filter(key=key).first()
    return account.balance.amount if account else 0


def shipped(parcel: SubOrder) -> SubOrder:
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    # The carrier has it out for delivery: the buyer may say "I received it".
    orders.follow_tracking(sub_order=parcel, status="out_for_delivery")
    return SubOrder.objects.get(pk=parcel.pk)


def test_a_card_payment_goes_into_escrow_and_completion_pays_the_artisan() -> None:
    order = make_paid_order()
    # 450 MAD + 90 MAD shipping (Amana, 10 kg bracket), 10% commission on the 450 MAD work
    parcel = order.sub_orders.get()
    shop = parcel.shop_id

    assert balance(accounting.escrow_key(shop)) == 54_000
    assert balance(accounting.clearing_key("cmi")) == 54_000
    assert check_ledger() == []

    orders.confirm_receipt(sub_order=shipped(parcel), buyer=order.buyer)

    assert balance(accounting.escrow_key(shop)) == 0
    assert balance(accounting.payable_key(shop)) == 54_000 - 4_500
    assert balance(accounting.COMMISSION) == 4_500


def test_a_refund_before_completion_leaves_the_escrow() -> None:
    order = make_paid_order()
    parcel = order.sub_orders.get()

    orders.decline_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop), reason="Broken.")

    assert balance(accounting.escrow_key(parcel.shop_id)) == 0
    assert balance(accounting.REFUNDS) == 54_000


def test_a_refund_after_completion_returns_the_commission_too() -> None:
    order = make_paid_order()
    parcel = shipped(order.sub_orders.get())
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)

    orders.force_refund(sub_order=parcel, moderator=make_moderator(), reason="Counterfeit.")

    assert balance(accounting.payable_key(parcel.shop_id)) == 0
    assert balance(accounting.COMMISSION) == 0
    assert balance(accounting.REFUNDS) == 54_000


def test_a_refund_after_payout_becomes_a_debt_of_the_artisan() -> None:
    order = make_paid_order()
    parcel = shipped(order.sub_orders.get())
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    accounting.record_payout_created(
        key="payout:PO-1:created",
        shop_id=parcel.shop_id,
        amount=Money(44_000, "MAD"),
        reference="PO-1",
    )

    orders.force_refund(sub_order=parcel, moderator=make_moderator(), reason="Never arrived.")

    assert balance(accounting.payable_key(parcel.shop_id)) == 0
    assert balance(accounting.debt_key(parcel.shop_id)) == 44_000
    assert balance(accounting.REFUNDS) == 54_000


def test_cash_on_delivery_enters_escrow_when_delivered_and_the_bank_on_remittance() -> None:
    order = make_unpaid_order(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    orders.confirm_cash_on_delivery(order_id=order.pk)
    parcel = shipped(order.sub_orders.get())
    assert balance(accounting.escrow_key(parcel.shop_id)) == 0

    orders.mark_delivered(sub_order=parcel)
    assert balance(accounting.cod_key("amana")) == 54_000
    assert balance(accounting.escrow_key(parcel.shop_id)) == 54_000
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    accounting.record_cash_remitted(
        key="remit:R1", carrier="amana", amount=Money(54_000, "MAD"), reference="R1"
    )

    assert balance(accounting.cod_key("amana")) == 0
    assert balance(accounting.BANK) == 54_000
    assert balance(accounting.payable_key(parcel.shop_id)) == 49_500


def test_a_declined_cash_on_delivery_parcel_moves_no_money() -> None:
    order = make_unpaid_order(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    orders.confirm_cash_on_delivery(order_id=order.pk)
    parcel = order.sub_orders.get()

    orders.decline_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop), reason="No.")

    assert check_ledger() == []
    assert balance(accounting.escrow_key(parcel.shop_id)) == 0
    assert not Transfer.objects.exists()


@pytest.mark.ledger_left_broken
def test_the_check_finds_a_parcel_marked_completed_without_its_money_moving() -> None:
    order = make_paid_order()
    parcel = order.sub_orders.get()
    SubOrder.objects.filter(pk=parcel.pk).update(
        status="completed", completed_at=parcel.status_changed_at
    )

    violations = check_ledger()

    # The shop's escrow, the parcel's escrow and the commission never taken all say so.
    assert [(v.rule, v.subject) for v in violations] == [
        ("escrow", f"shop {parcel.shop_id}"),
        ("completed_escrow", f"parcel {parcel.reference}"),
        ("commission", f"parcel {parcel.reference}"),
    ]


@pytest.mark.ledger_left_broken
def test_the_check_finds_a_payment_whose_refund_the_ledger_never_saw() -> None:
    from souk.payments.models import PaymentIntent, Refund

    order = make_unpaid_order()
    intent = PaymentIntent.objects.create(
        order=order, amount=order.total_amount, currency="MAD", method="card", status="succeeded"
    )
    record_paid(order)
    assert check_ledger() == []

    # A refund written straight into payments, bypassing the services that post it.
    Refund.objects.create(
        intent=intent, amount=10_000, currency="MAD", idempotency_key="stray", method="manual"
    )

    assert [v.rule for v in check_ledger()] == ["payment"]


def test_a_partial_refund_is_shared_among_the_parcels_and_the_check_still_holds() -> None:
    from souk.catalog.tests.factories import make_active_product
    from souk.orders.tests.factories import fill_cart, make_buyer, place
    from souk.payments import services as payments
    from souk.shops.tests.factories import make_approved_shop

    buyer = make_buyer()
    fill_cart(
        buyer,
        [
            (make_active_product(price_amount=30_000), 1),
            (make_active_product(shop=make_approved_shop(), price_amount=60_000), 1),
        ],
    )
    order = place(buyer)
    start = payments.start_payment(order=order, language="fr")
    from souk.payments.tests.factories import cmi_callback_fields

    payments.handle_cmi_callback(params=cmi_callback_fields(start))
    first, second = order.sub_orders.order_by("pk")
    orders.confirm_receipt(sub_order=shipped(first), buyer=buyer)

    payments.refund_payment(
        order=order, amount=Money(10_000, "MAD"), reason="Late.", key="partial-1", actor=None
    )

    first.refresh_from_db()
    second.refresh_from_db()
    # 390 MAD and 690 MAD left (works + 90 MAD shipping each): 100 MAD shared 36.11 / 63.89.
    assert (first.refunded_amount, second.refunded_amount) == (3_611, 6_389)
    assert balance(accounting.REFUNDS) == 10_000
