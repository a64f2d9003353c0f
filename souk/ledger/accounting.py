"""The business events of docs/ledger.md, each as one journal entry: what orders, payments and
payouts call when money moves. Everything is in MAD; every function is idempotent on its key.

Account keys (opened on first use):

| key | type | whose |
|---|---|---|
| `clearing:<gateway>:MAD` | processor clearing | the processor (cmi, wallet) |
| `fees:<gateway>:MAD` | processor fees | the processor |
| `escrow:shop:<id>:MAD` | escrow | the shop, until the parcel is completed |
| `payable:shop:<id>:MAD` | artisan payable | what Souk owes the shop |
| `debt:shop:<id>:MAD` | artisan debt | what the shop owes Souk (a refund after its payout) |
| `commission:MAD` | commission revenue | the platform |
| `refunds:MAD` | refunds clearing | buyers being refunded |
| `cod:<carrier>:MAD` | cash-on-delivery receivable | the carrier holding collected cash |
| `payouts:MAD` | payouts in transit | sent to banks and wallets, not yet confirmed |
| `bank:MAD` | bank | the marketplace's bank account |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from souk.core.money import Money
from souk.ledger import selectors, services
from souk.ledger.errors import InsufficientBalance
from souk.ledger.models import AccountType, JournalEntry, LedgerAccount
from souk.ledger.services import Leg

CURRENCY = "MAD"
COMMISSION = f"commission:{CURRENCY}"
REFUNDS = f"refunds:{CURRENCY}"
PAYOUTS_IN_TRANSIT = f"payouts:{CURRENCY}"
BANK = f"bank:{CURRENCY}"


def clearing_key(gateway: str) -> str:
    return f"clearing:{gateway}:{CURRENCY}"


def fees_key(gateway: str) -> str:
    return f"fees:{gateway}:{CURRENCY}"


def escrow_key(shop_id: int) -> str:
    return f"escrow:shop:{shop_id}:{CURRENCY}"


def payable_key(shop_id: int) -> str:
    return f"payable:shop:{shop_id}:{CURRENCY}"


def debt_key(shop_id: int) -> str:
    return f"debt:shop:{shop_id}:{CURRENCY}"


def cod_key(carrier: str) -> str:
    return f"cod:{carrier}:{CURRENCY}"


SHOP_ACCOUNT_KEYS = (escrow_key, payable_key, debt_key)


def _open_shop_accounts(shop_id: int) -> None:
    for key, account_type in (
        (escrow_key(shop_id), AccountType.ESCROW),
        (payable_key(shop_id), AccountType.ARTISAN_PAYABLE),
        (debt_key(shop_id), AccountType.ARTISAN_DEBT),
    ):
        services.open_account(
            key=key, type=account_type, currency=CURRENCY, owner_type="shop", owner_id=str(shop_id)
        )


def _open(key: str, type: AccountType) -> str:
    services.open_account(key=key, type=type, currency=CURRENCY)
    return key


@dataclass(frozen=True, slots=True)
class ParcelAmount:
    """A sub-order's share of a payment: which shop's escrow receives how much."""

    shop_id: int
    reference: str
    amount: Money


def record_payment_captured(
    *, key: str, gateway: str, parcels: Sequence[ParcelAmount]
) -> JournalEntry:
    """Card or wallet money captured: from the processor's clearing account into the escrow of
    each parcel's shop (the processor's fee comes with its settlement file)."""
    clearing = clearing_key(gateway)
    shop_ids = {parcel.shop_id for parcel in parcels}
    # One read for the accounts that exist already (all of them after a shop's first sale);
    # only the missing ones are opened, one by one.
    wanted = {clearing, *(key(shop_id) for shop_id in shop_ids for key in SHOP_ACCOUNT_KEYS)}
    opened = set(LedgerAccount.objects.filter(key__in=wanted).values_list("key", flat=True))
    if clearing not in opened:
        _open(clearing, AccountType.PROCESSOR_CLEARING)
    for shop_id in sorted(shop_ids):
        if any(key(shop_id) not in opened for key in SHOP_ACCOUNT_KEYS):
            _open_shop_accounts(shop_id)
    legs = []
    for parcel in parcels:
        legs.append(
            Leg(clearing, escrow_key(parcel.shop_id), parcel.amount, "sub_order", parcel.reference)
        )
    return services.post_entry(key=key, code="payment_captured", legs=legs)


def record_processor_fee(*, key: str, gateway: str, fee: Money, reference: str) -> JournalEntry:
    """The processor kept `fee` out of a settlement: an expense of the platform."""
    return services.post_entry(
        key=key,
        code="processor_fee",
        legs=[
            Leg(
                _open(fees_key(gateway), AccountType.PROCESSOR_FEES),
                _open(clearing_key(gateway), AccountType.PROCESSOR_CLEARING),
                fee,
                "settlement",
                reference,
            )
        ],
    )


def record_processor_settlement(
    *, key: str, gateway: str, amount: Money, reference: str
) -> JournalEntry:
    """The processor paid `amount` into the marketplace's bank account."""
    return services.post_entry(
        key=key,
        code="processor_settled",
        legs=[
            Leg(
                _open(BANK, AccountType.BANK),
                _open(clearing_key(gateway), AccountType.PROCESSOR_CLEARING),
                amount,
                "settlement",
                reference,
            )
        ],
    )


def record_refund_settled(*, key: str, amount: Money, reference: str) -> JournalEntry:
    """The processor paid a refund to the buyer out of what it owed the marketplace (the
    settlement file nets it from the day's payout): no longer owed to the buyer, out of the bank."""
    return services.post_entry(
        key=key,
        code="refund_settled",
        legs=[
            Leg(
                _open(REFUNDS, AccountType.REFUNDS_CLEARING),
                _open(BANK, AccountType.BANK),
                amount,
                "settlement",
                reference,
            )
        ],
    )


def late_capture_key(order_reference: str) -> str:
    """The entry of a payment captured after its order could no longer be placed (one per
    order: an order has one payment, and a second approval of it is never captured)."""
    return f"late-capture:{order_reference}"


def record_late_payment_captured(
    *, gateway: str, order_reference: str, amount: Money
) -> JournalEntry:
    """Card or wallet money captured for an order that expired and whose works were sold: the
    processor holds it for us, and all of it is owed back to the buyer (no shop ever had it).
    The refund's payment and the processor's fee follow the usual settlement flows."""
    return services.post_entry(
        key=late_capture_key(order_reference),
        code="late_payment_captured",
        legs=[
            Leg(
                _open(clearing_key(gateway), AccountType.PROCESSOR_CLEARING),
                _open(REFUNDS, AccountType.REFUNDS_CLEARING),
                amount,
                "order",
                order_reference,
            )
        ],
    )


def record_cash_collected(
    *, carrier: str, shop_id: int, reference: str, amount: Money
) -> JournalEntry:
    """A cash-on-delivery parcel was delivered: the carrier holds the buyer's cash for us."""
    _open_shop_accounts(shop_id)
    return services.post_entry(
        key=f"cod-collected:{reference}",
        code="cash_collected",
        legs=[
            Leg(
                _open(cod_key(carrier), AccountType.COD_RECEIVABLE),
                escrow_key(shop_id),
                amount,
                "sub_order",
                reference,
            )
        ],
    )


def record_cash_remitted(*, key: str, carrier: str, amount: Money, reference: str) -> JournalEntry:
    """The carrier paid collected cash into the marketplace's bank account."""
    return services.post_entry(
        key=key,
        code="cash_remitted",
        legs=[
            Leg(
                _open(BANK, AccountType.BANK),
                _open(cod_key(carrier), AccountType.COD_RECEIVABLE),
                amount,
                "remittance",
                reference,
            )
        ],
    )


def record_sub_order_completed(
    *, shop_id: int, reference: str, total: Money, commission: Money
) -> JournalEntry | None:
    """The buyer has the parcel: what is left of it in escrow (`total`, after any refund) goes
    to the artisan, less the platform's `commission` (at most `total`). A leg of zero is left
    out (all of it commission, or no commission); nothing left at all posts no entry."""
    _open_shop_accounts(shop_id)
    legs = []
    if (total - commission).is_positive():
        legs.append(
            Leg(
                escrow_key(shop_id),
                payable_key(shop_id),
                total - commission,
                "sub_order",
                reference,
            )
        )
    if commission.is_positive():
        legs.append(
            Leg(
                escrow_key(shop_id),
                _open(COMMISSION, AccountType.COMMISSION_REVENUE),
                commission,
                "sub_order",
                reference,
            )
        )
    if not legs:
        return None
    return services.post_entry(key=f"completed:{reference}", code="sub_order_completed", legs=legs)


def lock_refund_accounts(
    *, shops_before_completion: set[int], shops_after_completion: set[int]
) -> None:
    """Lock every account that refunds of these shops' parcels may post to, in one go by id:
    the escrow before completion; the payable, debt and commission after; the refunds owed."""
    keys = {_open(REFUNDS, AccountType.REFUNDS_CLEARING)}
    for shop_id in shops_before_completion | shops_after_completion:
        _open_shop_accounts(shop_id)
    keys |= {escrow_key(shop_id) for shop_id in shops_before_completion}
    if shops_after_completion:
        keys.add(_open(COMMISSION, AccountType.COMMISSION_REVENUE))
    for shop_id in shops_after_completion:
        keys |= {payable_key(shop_id), debt_key(shop_id)}
    services.lock_accounts(keys=keys)


def record_refund(
    *,
    key: str,
    shop_id: int,
    reference: str,
    amount: Money,
    commission_returned: Money,
    after_completion: bool,
) -> JournalEntry:
    """Money going back to a buyer for a parcel of `shop_id`.

    Before completion it leaves the shop's escrow. After completion it leaves the shop's
    payable (`amount - commission_returned`) and the platform's commission revenue
    (`commission_returned`); when the shop was already paid and its payable may not go
    negative, the part it no longer holds becomes a debt, recovered from its next payouts."""
    _open_shop_accounts(shop_id)
    refunds = _open(REFUNDS, AccountType.REFUNDS_CLEARING)
    if not after_completion:
        legs = [Leg(escrow_key(shop_id), refunds, amount, "sub_order", reference)]
        return services.post_entry(key=key, code="refund_before_completion", legs=legs)
    from_artisan = amount - commission_returned
    legs = []
    if commission_returned.is_positive():
        legs.append(Leg(COMMISSION, refunds, commission_returned, "sub_order", reference))
    if from_artisan.is_positive():
        legs.append(Leg(payable_key(shop_id), refunds, from_artisan, "sub_order", reference))
    try:
        return services.post_entry(key=key, code="refund_after_completion", legs=legs)
    except InsufficientBalance:
        pass
    # The artisan holds less than this: take what is there, the rest becomes a debt.
    held = selectors.get_account(key=payable_key(shop_id)).available
    from_payable = min(held, from_artisan) if held.is_positive() else Money.zero(CURRENCY)
    legs = [leg for leg in legs if leg.debit == COMMISSION]
    if from_payable.is_positive():
        legs.append(Leg(payable_key(shop_id), refunds, from_payable, "sub_order", reference))
    legs.append(
        Leg(debt_key(shop_id), refunds, from_artisan - from_payable, "sub_order", reference)
    )
    return services.post_entry(key=key, code="refund_after_completion", legs=legs)


def record_commission_corrected(
    *, shop_id: int, reference: str, kept: Money, due: Money
) -> JournalEntry:
    """Bring the commission kept on a completed parcel to what is due on it: the part taken too
    much goes back to the artisan's payable; a part taken too little (a rounding centime) is
    taken from it, or recorded as the shop's debt when its payable no longer holds it.
    Idempotent on the parcel and both figures."""
    _open_shop_accounts(shop_id)
    commission = _open(COMMISSION, AccountType.COMMISSION_REVENUE)
    key = f"commission-corrected:{reference}:{kept.amount}:{due.amount}"
    if kept.amount > due.amount:
        legs = [Leg(commission, payable_key(shop_id), kept - due, "sub_order", reference)]
        return services.post_entry(key=key, code="commission_corrected", legs=legs)
    legs = [Leg(payable_key(shop_id), commission, due - kept, "sub_order", reference)]
    try:
        return services.post_entry(key=key, code="commission_corrected", legs=legs)
    except InsufficientBalance:
        legs = [Leg(debt_key(shop_id), commission, due - kept, "sub_order", reference)]
        return services.post_entry(key=key, code="commission_corrected", legs=legs)


def record_debt_recovered(*, key: str, shop_id: int, amount: Money, reference: str) -> JournalEntry:
    """Part of what Souk owes the shop settles what the shop owes Souk (before a payout)."""
    return services.post_entry(
        key=key,
        code="debt_recovered",
        legs=[Leg(payable_key(shop_id), debt_key(shop_id), amount, "payout", reference)],
    )


def record_payout_created(*, key: str, shop_id: int, amount: Money, reference: str) -> JournalEntry:
    """A payout leaves the shop's payable for the bank or wallet: in transit until confirmed."""
    return services.post_entry(
        key=key,
        code="payout_created",
        legs=[
            Leg(
                payable_key(shop_id),
                _open(PAYOUTS_IN_TRANSIT, AccountType.PAYOUTS_IN_TRANSIT),
                amount,
                "payout",
                reference,
            )
        ],
    )


def record_payout_paid(*, key: str, amount: Money, reference: str) -> JournalEntry:
    """The bank or wallet confirmed the payout: the money left the marketplace's account."""
    return services.post_entry(
        key=key,
        code="payout_paid",
        legs=[Leg(PAYOUTS_IN_TRANSIT, _open(BANK, AccountType.BANK), amount, "payout", reference)],
    )


def record_payout_returned(
    *, key: str, shop_id: int, amount: Money, reference: str
) -> JournalEntry:
    """The payout came back (closed account, wrong RIB): the shop is owed it again."""
    return services.post_entry(
        key=key,
        code="payout_returned",
        legs=[Leg(PAYOUTS_IN_TRANSIT, payable_key(shop_id), amount, "payout", reference)],
    )
