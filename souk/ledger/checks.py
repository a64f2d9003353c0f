"""The integrity check behind `manage.py ledger_check` (docs/ledger.md, "Integrity"): the
accounts' own rules (1 to 4) here, the orders' and payments' (5 to 9) in `order_checks.py`, the
processor's (10) in `processor_checks.py`, the partners' (11) in `partner_checks.py`."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, Sum

from souk.ledger.models import (
    TOTAL_FIELDS,
    AccountShard,
    JournalEntry,
    LedgerAccount,
    Transfer,
    TransferStatus,
)
from souk.ledger.order_checks import (
    check_escrow_against_orders,
    check_parcels_against_ledger,
    check_payments_against_ledger,
)
from souk.ledger.partner_checks import check_partner_claims
from souk.ledger.processor_checks import check_processor_movements
from souk.ledger.violations import Violation


def check_ledger() -> list[Violation]:
    """Every rule the ledger must keep, checked against the database; empty when all hold.

    1. Each transfer's currency is the currency of both its accounts (so each entry balances
       per currency: every transfer debits and credits the same amount in one currency).
    2. Each journal entry has at least one transfer.
    3. Each account's stored totals equal the sums of its transfers (posted and pending).
    4. No account flagged "may not go negative" has a negative available balance.
    5. Each shop's escrow holds exactly its parcels paid and neither completed nor refunded.
    6. For each order paid by card or wallet, what the ledger received for its parcels (captured
       less refunded) equals what the payment captured less what it refunded.
    7. Each parcel's refunds booked equal its refunded amount, and a paid parcel now refunded
       gave back all of it.
    8. Each completed parcel's escrow movements sum to zero.
    9. The commission kept on each parcel is the commission due on what its buyer kept
       (nothing before completion).
    10. Processor movements are ledger movements: each captured card or wallet payment (placed
        or not) is booked for its amount, each gateway refund paid was owed to the buyer in the
        ledger, each settlement file line's fee, payment into the bank and refund is booked.
    11. Partner claims (banks' advances, `partners.py`): receivable and financing mirror each
        other, nothing was collected beyond a claim, each partner payable is what was collected
        less its payouts.
    """

    violations: list[Violation] = []
    # Rules 1 and 3 from one grouped scan of the transfers (by accounts, status and currency):
    # at a million transfers, four scans and joins were most of the check's time.
    currency_of = dict(LedgerAccount.objects.values_list("pk", "currency"))
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    groups = (
        Transfer.objects.values("debit_account_id", "credit_account_id", "status", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    wrong = Q(pk__in=[])
    for row in groups:
        debit, credit = row["debit_account_id"], row["credit_account_id"]
        if currency_of.get(debit) != row["currency"] or currency_of.get(credit) != row["currency"]:
            wrong |= Q(debit_account_id=debit, credit_account_id=credit, currency=row["currency"])
        if row["status"] in (TransferStatus.POSTED, TransferStatus.PENDING):
            kind = "posted" if row["status"] == TransferStatus.POSTED else "pending"
            totals[debit][f"debits_{kind}"] += row["total"]
            totals[credit][f"credits_{kind}"] += row["total"]
    violations += [
        Violation("currency", f"transfer {pk}", f"entry {key}")
        for pk, key in Transfer.objects.filter(wrong).values_list("pk", "entry__key")
    ]
    empty = JournalEntry.objects.filter(~Exists(Transfer.objects.filter(entry_id=OuterRef("pk"))))
    violations += [
        Violation("empty_entry", f"entry {key}", "no transfers")
        for key in empty.values_list("key", flat=True)
    ]
    # A hot account's stored totals are its row's plus its shards'.
    shards = {
        row["account_id"]: row
        for row in AccountShard.objects.values("account_id")
        .annotate(**{name: Sum(name) for name in TOTAL_FIELDS})
        .order_by()
    }
    for account in LedgerAccount.objects.only("pk", "key", *TOTAL_FIELDS).iterator(chunk_size=2000):
        expected = totals.get(account.pk, {})
        in_shards = shards.get(account.pk, {})
        for field in TOTAL_FIELDS:
            stored = getattr(account, field) + (in_shards.get(field) or 0)
            summed = expected.get(field, 0)
            if stored != summed:
                violations.append(
                    Violation("totals", account.key, f"{field} is {stored}, transfers sum {summed}")
                )
    for account in LedgerAccount.objects.filter(may_go_negative=False).iterator(chunk_size=2000):
        if account.available.is_negative():
            violations.append(
                Violation("negative", account.key, f"available {account.available.amount}")
            )
    violations += check_escrow_against_orders()
    violations += check_parcels_against_ledger()
    violations += check_payments_against_ledger()
    violations += check_processor_movements()
    violations += check_partner_claims()
    return violations
