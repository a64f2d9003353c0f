"""Reads of the ledger: balances, a shop's entries, commission taken, payouts. The integrity
check behind `manage.py ledger_check` is in `checks.py` (re-exported here)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Min, Q, Sum

from souk.core.money import Money
from souk.ledger.checks import check_ledger as check_ledger  # what ledger_check runs
from souk.ledger.events import EntryPosted, PostedLeg
from souk.ledger.models import (
    AccountType,
    JournalEntry,
    LedgerAccount,
    Payout,
    PayoutStatus,
    Transfer,
    TransferStatus,
)
from souk.ledger.order_checks import CommissionDifference as CommissionDifference
from souk.ledger.order_checks import list_commission_differences as list_commission_differences
from souk.ledger.violations import Violation as Violation  # what check_ledger returns


def get_account(*, key: str) -> LedgerAccount:
    return LedgerAccount.objects.get(key=key)


def get_balance(*, key: str) -> Money:
    """Posted balance of an account on its normal side."""
    return get_account(key=key).balance


def owner(account: LedgerAccount) -> str:
    return f"{account.owner_type}:{account.owner_id}" if account.owner_type else ""


def posted_leg(transfer: Transfer) -> PostedLeg:
    """A posted transfer as `EntryPosted` carries it (its accounts already read)."""
    return PostedLeg(
        code=transfer.code,
        debit_type=transfer.debit_account.type,
        debit_owner=owner(transfer.debit_account),
        credit_type=transfer.credit_account.type,
        credit_owner=owner(transfer.credit_account),
        amount=transfer.amount,
        currency=transfer.currency,
        reference_type=transfer.reference_type,
        reference_id=transfer.reference_id,
    )


def list_posted_entries_of_shop(*, shop_id: int) -> list[EntryPosted]:
    """Every entry that moved money of the shop's accounts, as `EntryPosted` (all its posted
    legs, the platform's too), oldest first: what a subscriber heard, to rebuild from."""
    # The shop's few accounts first, then their legs through the account indexes: an OR over
    # two joined accounts' owners gave PostgreSQL a nested loop over every transfer and account.
    owned = LedgerAccount.objects.filter(owner_type="shop", owner_id=str(shop_id))
    ids = list(owned.values_list("pk", flat=True))
    entry_ids = (
        Transfer.objects.filter(status=TransferStatus.POSTED)
        .filter(Q(debit_account_id__in=ids) | Q(credit_account_id__in=ids))
        .values("entry_id")
    )
    transfers = (
        Transfer.objects.filter(entry_id__in=entry_ids, status=TransferStatus.POSTED)
        .select_related("entry", "debit_account", "credit_account")
        .order_by("entry__created_at", "entry_id", "pk")
    )
    grouped: dict[int, tuple[JournalEntry, list[PostedLeg]]] = {}
    for t in transfers:
        grouped.setdefault(t.entry_id, (t.entry, []))[1].append(posted_leg(t))
    return [
        EntryPosted(key=entry.key, code=entry.code, posted_at=entry.created_at, legs=tuple(legs))
        for entry, legs in grouped.values()
    ]


def get_commission_taken(*, reference: str, currency: str) -> Money:
    """The commission the platform holds on a parcel (sub-order `reference`): what it took on
    completion less what it gave back with refunds since."""
    moved = Transfer.objects.filter(
        status=TransferStatus.POSTED,
        currency=currency,
        reference_type="sub_order",
        reference_id=reference,
    ).aggregate(
        taken=Sum("amount", filter=Q(credit_account__type=AccountType.COMMISSION_REVENUE)),
        returned=Sum("amount", filter=Q(debit_account__type=AccountType.COMMISSION_REVENUE)),
    )
    return Money((moved["taken"] or 0) - (moved["returned"] or 0), currency)


def list_first_paid_payout_at(shop_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each shop's first payout was reported paid (the support path's milestone)."""
    rows = (
        Payout.objects.filter(shop_id__in=list(shop_ids), status=PayoutStatus.PAID)
        .values("shop_id")
        .annotate(first=Min("status_changed_at"))
    )
    return {row["shop_id"]: row["first"] for row in rows}


def list_shops_of_payouts(references: Iterable[str]) -> set[int]:
    """The shops paid by these payouts (a partner's payout has none)."""
    return set(
        Payout.objects.filter(reference__in=list(references), shop_id__isnull=False).values_list(
            "shop_id", flat=True
        )
    )
