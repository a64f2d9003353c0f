"""The monthly figures kept from the ledger's postings equal what the transfers say, after
orders are paid, delivered, completed, refunded and paid out through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from souk.banking import rollups, selectors
from souk.banking.models import MonthlyCountrySales, MonthlyFigures
from souk.banking.tests.factories import deliver_and_complete, sell
from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.models import Transfer
from souk.orders import services as orders
from souk.orders.models import SubOrder
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop, make_moderator, owner_of

pytestmark = pytest.mark.django_db


def figures_from_transfers(shop: Shop) -> dict[str, int]:
    """The same figures summed straight from the shop's transfers, without the roll-ups."""
    references = list(SubOrder.objects.filter(shop=shop).values_list("reference", flat=True))
    mine = Transfer.objects.filter(reference_type="sub_order", reference_id__in=references)
    sales = sum(
        t.amount
        for t in mine.filter(code__in=["payment_captured", "cash_collected"])
        if t.credit_account.key == accounting.escrow_key(shop.pk)
    )
    refunds = sum(
        t.amount
        for t in mine.filter(code__in=["refund_before_completion", "refund_after_completion"])
    )
    commission = sum(
        t.amount for t in mine.filter(credit_account__key=accounting.COMMISSION)
    ) - sum(t.amount for t in mine.filter(debit_account__key=accounting.COMMISSION))
    payouts = sum(
        t.amount
        for t in Transfer.objects.filter(
            code="payout_created", debit_account__key=accounting.payable_key(shop.pk)
        )
    )
    return {
        "sales": sales,
        "refunds": refunds,
        "net": sales - refunds - commission,
        "payouts": payouts,
    }


def test_the_kept_figures_equal_the_ledger_through_every_flow() -> None:
    # given a shop selling in Morocco and to France
    shop = make_approved_shop()
    kept = sell(shop)
    parcel = deliver_and_complete(kept.sub_orders.get(), kept.buyer)
    declined = sell(shop, country="FR")
    refunded_late = sell(shop)
    late_parcel = deliver_and_complete(refunded_late.sub_orders.get(), refunded_late.buyer)

    # when one is declined, one refunded after completion, and the shop is paid out
    orders.decline_sub_order(
        sub_order=declined.sub_orders.get(), artisan=owner_of(shop), reason="Broken in the kiln."
    )
    orders.force_refund(sub_order=late_parcel, moderator=make_moderator(), reason="Lost.")
    accounting.record_payout_created(
        key="payout:PO-B1:created", shop_id=shop.pk, amount=Money(20_000, "MAD"), reference="PO-B1"
    )

    # then the money page's figures are the ledger's, to the centime
    profile = selectors.get_money_profile(shop_id=shop.pk)
    expected = figures_from_transfers(shop)
    totals = [kept.total_amount, declined.total_amount, refunded_late.total_amount]
    assert profile.sales_amount == expected["sales"] == sum(totals)
    assert profile.refunds_amount == expected["refunds"] == totals[1] + totals[2]
    assert profile.net_amount == expected["net"] == parcel.total_amount - parcel.commission_amount
    assert profile.orders_count == 3
    assert profile.months_with_sales == 1
    assert profile.abroad_share_percent == (Decimal(totals[1] * 100) / sum(totals)).quantize(
        Decimal("0.1")
    )
    assert {c.country: c.orders_count for c in profile.countries} == {"FR": 1, "MA": 2}
    assert profile.payouts_count == 1
    assert profile.average_payout_amount == 20_000 == expected["payouts"]
    assert profile.escrow_amount == 0


def test_money_in_escrow_is_read_from_the_ledger() -> None:
    shop = make_approved_shop()
    order = sell(shop)

    profile = selectors.get_money_profile(shop_id=shop.pk)

    assert profile.escrow_amount == order.total_amount
    assert profile.sales_12m_amount == order.total_amount


def test_rebuilding_from_the_transfers_gives_the_same_rows() -> None:
    shop = make_approved_shop()
    kept = sell(shop, country="US")
    deliver_and_complete(kept.sub_orders.get(), kept.buyer)
    refunded = sell(shop)
    orders.decline_sub_order(
        sub_order=refunded.sub_orders.get(), artisan=owner_of(shop), reason="Out of clay."
    )
    before = list(MonthlyFigures.objects.filter(shop=shop).values())
    countries_before = list(
        MonthlyCountrySales.objects.filter(shop=shop).values(
            "country", "sales_amount", "orders_count"
        )
    )

    read = rollups.rebuild_shop(shop_id=shop.pk)

    assert read == 4
    after = list(MonthlyFigures.objects.filter(shop=shop).values())
    assert [{k: v for k, v in row.items() if k != "id"} for row in after] == [
        {k: v for k, v in row.items() if k != "id"} for row in before
    ]
    assert (
        list(
            MonthlyCountrySales.objects.filter(shop=shop).values(
                "country", "sales_amount", "orders_count"
            )
        )
        == countries_before
    )


def test_a_posting_rolled_back_leaves_no_figure() -> None:
    shop = make_approved_shop()

    def sell_then_fail() -> None:
        with transaction.atomic():
            sell(shop)
            raise RuntimeError("the payment's transaction fails after posting")

    with pytest.raises(RuntimeError):
        sell_then_fail()

    assert not MonthlyFigures.objects.filter(shop=shop).exists()


def test_banking_hears_every_posting_inside_its_transaction() -> None:
    from souk.banking import advances
    from souk.core.events import Delivery, subscribers
    from souk.ledger.events import EntryPosted

    # the advance's share first (it posts to the ledger), then the figures (locked last);
    # support's path (installed after banking) hears the same postings after them
    heard = [
        item for item in subscribers(EntryPosted) if item[0].__module__.startswith("souk.banking")
    ]
    assert heard == [
        (advances.withhold_on_release, Delivery.IN_TRANSACTION),
        (rollups.record_entry, Delivery.IN_TRANSACTION),
    ]
