"""Shops with money for payout tests: balances posted through souk.ledger.accounting, the way
the orders flows post them (capture into escrow, completion into the payable)."""

from __future__ import annotations

import itertools
from typing import Any

from souk.core.money import Money
from souk.ledger import accounting, selectors
from souk.ledger.models import LedgerAccount
from souk.shops import services as shops
from souk.shops.models import PayoutMethod, Shop
from souk.shops.tests.factories import make_approved_shop, make_claimed_shop, owner_of

WALLET_PHONE = "+212612345678"
_parcels = itertools.count(1)


def mad(amount: int) -> Money:
    return Money(amount, "MAD")


def make_rib_shop(**entry_fields: Any) -> Shop:
    """An approved shop paid to VALID_RIB (the shops factory's)."""
    return make_approved_shop(**entry_fields)


def make_wallet_shop(**entry_fields: Any) -> Shop:
    """An approved shop paid to WALLET_PHONE, as if from the start: the change from the
    factory's RIB is not held (SOUK_PAYOUT_HOLD_DAYS; tests of the hold change it themselves)."""
    shop = make_approved_shop(**entry_fields)
    shops.set_payout_destination(
        shop=shop, actor=owner_of(shop), method=PayoutMethod.WALLET, wallet_phone=WALLET_PHONE
    )
    Shop.objects.filter(pk=shop.pk).update(payout_destination_changed_at=None)
    return Shop.objects.get(pk=shop.pk)


def make_shop_without_destination(**entry_fields: Any) -> Shop:
    return make_claimed_shop(**entry_fields)


def sell(shop: Shop, total: int, *, commission: int = 0) -> str:
    """A parcel of `total` centimes paid by card into the shop's escrow and completed (the
    payable gets total - commission), posted directly: no order row, so the escrow-against-
    orders rule of check_ledger holds only once completed. Returns the parcel's reference."""
    reference = f"SK-TEST{next(_parcels):04d}-1"
    accounting.record_payment_captured(
        key=f"capture:{reference}",
        gateway="cmi",
        parcels=[accounting.ParcelAmount(shop_id=shop.pk, reference=reference, amount=mad(total))],
    )
    accounting.record_sub_order_completed(
        shop_id=shop.pk, reference=reference, total=mad(total), commission=mad(commission)
    )
    return reference


def sell_by_order(shop: Shop) -> int:
    """A real paid order of one piece from `shop`, not completed: its total waits in escrow.
    Returns the parcel's total in centimes."""
    from souk.catalog.tests.factories import make_active_product
    from souk.orders.tests.factories import make_paid_order

    order = make_paid_order(products=[(make_active_product(shop=shop), 1)])
    return order.sub_orders.get().total_amount


def refund_after_completion(
    shop: Shop, reference: str, amount: int, *, commission: int = 0
) -> None:
    accounting.record_refund(
        key=f"refund:{reference}",
        shop_id=shop.pk,
        reference=reference,
        amount=mad(amount),
        commission_returned=mad(commission),
        after_completion=True,
    )


def balance(key: str) -> int:
    account = LedgerAccount.objects.filter(key=key).first()
    return 0 if account is None else account.balance.amount


def payable(shop: Shop) -> int:
    return selectors.get_account(key=accounting.payable_key(shop.pk)).available.amount


def debt(shop: Shop) -> int:
    return balance(accounting.debt_key(shop.pk))


def in_transit() -> int:
    return balance(accounting.PAYOUTS_IN_TRANSIT)
