"""Reads of the ledger: balances and the integrity check behind `manage.py ledger_check`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from souk.core.money import Money
from souk.ledger.models import JournalEntry, LedgerAccount, Transfer, TransferStatus


def get_account(*, key: str) -> LedgerAccount:
    return LedgerAccount.objects.get(key=key)


def get_balance(*, key: str) -> Money:
    """Posted balance of an account on its normal side."""
    return get_account(key=key).balance


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    subject: str
    detail: str


def check_ledger() -> list[Violation]:
    """Every rule the ledger must keep, checked against the database; empty when all hold.

    1. Each transfer's currency is the currency of both its accounts (so each entry balances
       per currency: every transfer debits and credits the same amount in one currency).
    2. Each journal entry has at least one transfer.
    3. Each account's stored totals equal the sums of its transfers (posted and pending).
    4. No account flagged "may not go negative" has a negative available balance.
    """
    violations: list[Violation] = []
    mismatched = Transfer.objects.filter(
        ~Q(currency=F("debit_account__currency")) | ~Q(currency=F("credit_account__currency"))
    ).values_list("pk", "entry__key")
    violations += [
        Violation("currency", f"transfer {pk}", f"entry {key}") for pk, key in mismatched
    ]
    empty = JournalEntry.objects.annotate(legs=Count("transfers")).filter(legs=0)
    violations += [
        Violation("empty_entry", f"entry {key}", "no transfers")
        for key in empty.values_list("key", flat=True)
    ]
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for side in ("debit", "credit"):
        rows = (
            Transfer.objects.filter(status__in=[TransferStatus.POSTED, TransferStatus.PENDING])
            .values(f"{side}_account_id", "status")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for row in rows:
            kind = "posted" if row["status"] == TransferStatus.POSTED else "pending"
            totals[row[f"{side}_account_id"]][f"{side}s_{kind}"] += row["total"]
    fields = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")
    for account in LedgerAccount.objects.only("pk", "key", *fields).iterator(chunk_size=2000):
        expected = totals.get(account.pk, {})
        for field in fields:
            stored, summed = getattr(account, field), expected.get(field, 0)
            if stored != summed:
                violations.append(
                    Violation("totals", account.key, f"{field} is {stored}, transfers sum {summed}")
                )
    for account in LedgerAccount.objects.filter(may_go_negative=False).iterator(chunk_size=2000):
        if account.available.is_negative():
            violations.append(
                Violation("negative", account.key, f"available {account.available.amount}")
            )
    return violations
