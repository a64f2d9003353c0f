"""Issue #14, defects 2 to 4: a cash-on-delivery return pays the buyer back, a parcel refunded in
part or in full before receipt still completes, and the commission is due only on what the buyer
finally paid for — whether the refund came before or after completion. Real services; the
balances are what an operator reads in the ledger."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from souk.catalog.tests.factories import make_active_product
from souk.core.money import Money, format_money_for_language
from souk.fulfilment import services as fulfilment
from souk.ledger import accounting
from souk.ledger.models import LedgerAccount
from souk.ledger.selectors import check_ledger
from souk.orders import services as orders
from souk.orders.models import Order, PaymentMethod, SubOrder, SubOrderStatus
from souk.orders.tests.factories import fill_cart, make_buyer, make_unpaid_order, place
from souk.payments import services as payments
from souk.payments.models import Refund, RefundMethod
from souk.payments.tests.factories import cmi_callback_fields
from souk.shops.tests.factories import make_approved_shop, make_moderator, owner_of

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
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    # The carrier has it out for delivery: the buyer may say "I received it".
    orders.follow_tracking(sub_order=parcel, status="out_for_delivery")
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


# --- Defect 3: completion after a refund of at least total - commission -----------------------


@pytest.mark.parametrize("refunded", [TOTAL - COMMISSION, TOTAL - 1, TOTAL])
def test_receipt_completes_a_parcel_refunded_in_large_part_before(refunded: int) -> None:
    order = paid_by_card(make_unpaid_order())
    parcel = shipped(order.sub_orders.get())
    refund_part(order, refunded, "large")

    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)

    parcel.refresh_from_db()
    kept = TOTAL - refunded
    assert parcel.status == SubOrderStatus.COMPLETED
    assert balance(accounting.escrow_key(parcel.shop_id)) == 0
    assert balance(accounting.COMMISSION) == due_on(kept)
    assert balance(accounting.payable_key(parcel.shop_id)) == kept - due_on(kept)
    assert balance(accounting.REFUNDS) == refunded


def test_a_moderator_resolves_a_dispute_on_a_parcel_refunded_in_full_before() -> None:
    order = paid_by_card(make_unpaid_order())
    parcel = shipped(order.sub_orders.get())
    refund_part(order, TOTAL, "all")
    orders.open_dispute(sub_order=parcel, user=order.buyer, reason="Never came.")

    orders.resolve_dispute(sub_order=parcel, moderator=make_moderator(), reason="Refunded.")

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.RESOLVED
    assert parcel.completed_at is not None
    assert balance(accounting.escrow_key(parcel.shop_id)) == 0
    assert balance(accounting.payable_key(parcel.shop_id)) == 0
    assert balance(accounting.COMMISSION) == 0


def test_auto_completion_completes_delivered_parcels_refunded_in_large_part() -> None:
    orders_placed = [paid_by_card(make_unpaid_order()) for _ in range(3)]
    parcels = [shipped(order.sub_orders.get()) for order in orders_placed]
    refund_part(orders_placed[0], TOTAL - COMMISSION, "first")
    for parcel in parcels:
        orders.mark_delivered(sub_order=parcel)
    later = timezone.now() + datetime.timedelta(days=30)

    completed = orders.complete_delivered_sub_orders(now=later)

    assert completed == 3
    assert {p.status for p in SubOrder.objects.filter(pk__in=[p.pk for p in parcels])} == {
        SubOrderStatus.COMPLETED
    }
    assert balance(accounting.COMMISSION) == 2 * COMMISSION + due_on(COMMISSION)


# --- Defect 4: commission only on what the buyer finally paid for -----------------------------


def test_commission_on_a_half_refunded_parcel_is_half_whenever_the_refund_came() -> None:
    before = paid_by_card(make_unpaid_order())
    after = paid_by_card(make_unpaid_order())
    first, second = shipped(before.sub_orders.get()), shipped(after.sub_orders.get())

    # the same half refund, before receipt on one parcel, after it on the other
    refund_part(before, TOTAL // 2, "before")
    orders.confirm_receipt(sub_order=first, buyer=before.buyer)
    orders.confirm_receipt(sub_order=second, buyer=after.buyer)
    refund_part(after, TOTAL // 2, "after")

    assert balance(accounting.COMMISSION) == 2 * (COMMISSION // 2)
    assert balance(accounting.payable_key(first.shop_id)) == TOTAL // 2 - COMMISSION // 2
    assert balance(accounting.payable_key(second.shop_id)) == TOTAL // 2 - COMMISSION // 2


def test_commission_follows_every_refund_without_drift_and_all_of_it_comes_back() -> None:
    order = paid_by_card(make_unpaid_order())
    parcel = shipped(order.sub_orders.get())
    refund_part(order, 1_001, "r1")
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    refunded = 1_001
    assert balance(accounting.COMMISSION) == due_on(TOTAL - refunded)

    for number, amount in enumerate([3_333, 7, 12_345, 1], start=2):
        refund_part(order, amount, f"r{number}")
        refunded += amount
        assert balance(accounting.COMMISSION) == due_on(TOTAL - refunded)
        assert check_ledger() == []

    orders.force_refund(sub_order=parcel, moderator=make_moderator(), reason="Counterfeit.")

    assert balance(accounting.COMMISSION) == 0
    assert balance(accounting.payable_key(parcel.shop_id)) == 0
    assert balance(accounting.REFUNDS) == TOTAL


def test_a_partial_refund_shared_across_parcels_takes_commission_only_on_what_is_kept() -> None:
    buyer = make_buyer()
    fill_cart(
        buyer,
        [
            (make_active_product(price_amount=30_000), 1),
            (make_active_product(shop=make_approved_shop(), price_amount=60_000), 1),
        ],
    )
    order = paid_by_card(place(buyer))
    first, second = (shipped(parcel) for parcel in order.sub_orders.order_by("pk"))
    orders.confirm_receipt(sub_order=first, buyer=buyer)

    # 390 MAD and 690 MAD (works + 90 MAD shipping): 300 MAD shared 108.33 / 191.67.
    refund_part(order, 30_000, "shared")
    orders.confirm_receipt(sub_order=second, buyer=buyer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.refunded_amount, second.refunded_amount) == (10_833, 19_167)
    due = [
        Money(parcel.commission_amount, "MAD")
        .allocate([parcel.total_amount - parcel.refunded_amount, parcel.refunded_amount])[0]
        .amount
        for parcel in (first, second)
    ]
    assert balance(accounting.COMMISSION) == sum(due)


def test_the_moderation_page_shows_the_commission_the_ledger_keeps(client) -> None:
    order = paid_by_card(make_unpaid_order())
    parcel = shipped(order.sub_orders.get())
    refund_part(order, TOTAL // 2, "half")
    orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
    client.force_login(make_moderator())

    with translation.override("en"):
        page = client.get(reverse("orders:moderation_detail", args=[parcel.reference]))

    kept = balance(accounting.COMMISSION)
    assert kept == COMMISSION // 2
    facts = page.content.decode().split('class="facts"')[1].split("</dl>")[0]
    assert f"<dt>Commission</dt><dd>{format_money_for_language(Money(kept, 'MAD'), 'en')}" in facts
