"""The integrity check behind `manage.py ledger_check` (docs/ledger.md, "Integrity"): the
accounts' own rules (1 to 4) here, the orders' and payments' (5 to 9) in `order_checks.py`, the
processor's (10) in `processor_checks.py`, the partners' (11) in `partner_checks.py`."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q, Sum

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
