"""Rule 11 of `ledger_check` (checks.check_ledger): partner claims and payables
(`partners.py`, docs/banking.md "Advances")."""

from __future__ import annotations

from django.db.models import Sum

from souk.ledger.models import AccountType, LedgerAccount, Transfer, TransferStatus
from souk.ledger.violations import Violation

# The entries that take money from a shop's payable for a partner, off its claim.
COLLECTED_CODES = ("partner_repayment_withheld", "partner_repayment_early")


def check_partner_claims() -> list[Violation]:
    """Rule 11: each claim's receivable and financing mirror each other (what the partner
    granted less what was collected or settled), nothing was collected beyond a claim, and
    each partner payable equals what was collected for the partner less its payouts not
    returned."""
    violations: list[Violation] = []
    accounts = LedgerAccount.objects.filter(
        type__in=[AccountType.PARTNER_RECEIVABLE, AccountType.PARTNER_FINANCING]
    )
    by_claim: dict[str, dict[str, LedgerAccount]] = {}
    for account in accounts:
        claim = account.key.split(":")[1]
        by_claim.setdefault(claim, {})[account.type] = account
    for claim, pair in sorted(by_claim.items()):
        receivable = pair.get(AccountType.PARTNER_RECEIVABLE)
        financing = pair.get(AccountType.PARTNER_FINANCING)
        if receivable is None or financing is None:
            violations.append(Violation("partner_claim", claim, "receivable or financing missing"))
            continue
        if receivable.balance != financing.balance:
            violations.append(
                Violation(
                    "partner_claim",
                    claim,
                    f"owed {receivable.balance.amount}, financing {financing.balance.amount}",
                )
            )
        if receivable.credits_posted > receivable.debits_posted:
            violations.append(
                Violation(
                    "partner_claim",
                    claim,
                    f"collected {receivable.credits_posted} of {receivable.debits_posted}",
                )
            )
    collected = dict(
        Transfer.objects.filter(
            credit_account__type=AccountType.PARTNER_PAYABLE,
            status=TransferStatus.POSTED,
            code__in=COLLECTED_CODES,
        )
        .values("credit_account__owner_id")
        .annotate(total=Sum("amount"))
        .values_list("credit_account__owner_id", "total")
    )
    for account in LedgerAccount.objects.filter(type=AccountType.PARTNER_PAYABLE):
        out = (
            Transfer.objects.filter(
                debit_account=account, status=TransferStatus.POSTED, code="partner_payout_created"
            ).aggregate(total=Sum("amount"))["total"]
            or 0
        )
        back = (
            Transfer.objects.filter(
                credit_account=account, status=TransferStatus.POSTED, code="partner_payout_returned"
            ).aggregate(total=Sum("amount"))["total"]
            or 0
        )
        expected = (collected.get(account.owner_id) or 0) - out + back
        if account.balance.amount != expected:
            violations.append(
                Violation(
                    "partner_payable",
                    account.key,
                    f"holds {account.balance.amount}, collected less paid {expected}",
                )
            )
    return violations
