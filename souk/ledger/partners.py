"""Money Souk collects from artisans for a partner (a bank's revenue-based advance) and pays it.

The ledger knows partners only by a key (`bank:007`) and a claim's reference (`ADV-…`); what
an advance is, and when to withhold, is the banking app's (docs/banking.md, "Advances").
Account keys (opened on first use; MAD; none may go negative, so nothing is ever collected
beyond a claim: its receivable would):
- `partner-receivable:<claim>:MAD` (debit side; owner the shop): what the artisan still owes
  the partner on this claim;
- `partner-financing:<claim>:MAD` (credit side): its memo counterpart, the claim as granted
  less what was collected or settled;
- `partner-payable:<partner>:MAD` (credit side): collected for the partner, not paid yet.

Entries (debit → credit):
- `partner_claim_opened`: receivable → financing, principal + fee;
- `partner_repayment_withheld`, `partner_repayment_early`: shop payable → partner payable,
  and financing → receivable, the same amount;
- `partner_claim_settled_outside`: financing → receivable (repaid to the partner directly,
  or written off by it);
- `partner_payout_created`: partner payable → payouts in transit (then `payout_paid`);
- `partner_payout_returned`: payouts in transit → partner payable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Sum
from django.utils import timezone

from souk.core.money import Money
from souk.ledger import accounting, services
from souk.ledger.models import (
    AccountType,
    LedgerAccount,
    PartnerPayee,
    Payout,
    Transfer,
    TransferStatus,
)
from souk.ledger.partner_checks import COLLECTED_CODES as COLLECTED_CODES
from souk.ledger.services import Leg

CURRENCY = accounting.CURRENCY


def receivable_key(claim: str) -> str:
    return f"partner-receivable:{claim}:{CURRENCY}"


def financing_key(claim: str) -> str:
    return f"partner-financing:{claim}:{CURRENCY}"


def partner_payable_key(partner: str) -> str:
    return f"partner-payable:{partner}:{CURRENCY}"


def set_payee(*, partner: str, name: str, iban: str) -> PartnerPayee:
    """Record (or correct) whom and which account the runs pay for `partner`."""
    payee, _created = PartnerPayee.objects.update_or_create(
        key=partner, defaults={"name": name[:70], "iban": iban, "updated_at": timezone.now()}
    )
    services.open_account(
        key=partner_payable_key(partner),
        type=AccountType.PARTNER_PAYABLE,
        currency=CURRENCY,
        owner_type="partner",
        owner_id=partner,
    )
    return payee


def open_claim(*, claim: str, partner: str, shop_id: int, amount: Money) -> None:
    """A partner's claim of `amount` on the shop, collected by Souk from now on."""
    services.open_account(
        key=accounting.payable_key(shop_id),
        type=AccountType.ARTISAN_PAYABLE,
        currency=CURRENCY,
        owner_type="shop",
        owner_id=str(shop_id),
    )
    for key, account_type in (
        (receivable_key(claim), AccountType.PARTNER_RECEIVABLE),
        (financing_key(claim), AccountType.PARTNER_FINANCING),
    ):
        services.open_account(
            key=key, type=account_type, currency=CURRENCY, owner_type="shop", owner_id=str(shop_id)
        )
    services.post_entry(
        key=f"partner-claim:{claim}:opened",
        code="partner_claim_opened",
        description=partner,
        legs=[Leg(receivable_key(claim), financing_key(claim), amount, "claim", claim)],
    )


def lock_claim(*, claim: str, partner: str, shop_id: int) -> Money:
    """Lock the claim's accounts (and the shop's payable) in one go; what is still owed."""
    services.lock_accounts(
        keys={
            accounting.payable_key(shop_id),
            receivable_key(claim),
            financing_key(claim),
            partner_payable_key(partner),
        }
    )
    return LedgerAccount.objects.get(key=receivable_key(claim)).balance


def collect(
    *, key: str, code: str, claim: str, partner: str, shop_id: int, amount: Money, reference: str
) -> None:
    """`amount` of the shop's payable goes to the partner and off the claim (`code` is
    `partner_repayment_withheld` for a release, `partner_repayment_early` when asked)."""
    if code not in COLLECTED_CODES:
        raise ValueError(code)
    services.post_entry(
        key=key,
        code=code,
        description=partner,
        legs=[
            Leg(
                accounting.payable_key(shop_id),
                partner_payable_key(partner),
                amount,
                "sub_order" if code == "partner_repayment_withheld" else "claim",
                reference,
            ),
            Leg(financing_key(claim), receivable_key(claim), amount, "claim", claim),
        ],
    )


def settle_outside(*, key: str, claim: str, partner: str, amount: Money) -> None:
    """The partner says `amount` of the claim was settled without Souk (repaid to it directly,
    or written off): nothing more is collected for it."""
    services.post_entry(
        key=key,
        code="partner_claim_settled_outside",
        description=partner,
        legs=[Leg(financing_key(claim), receivable_key(claim), amount, "claim", claim)],
    )


@dataclass(frozen=True, slots=True)
class ClaimState:
    claim: str
    amount: int
    collected: int
    settled_outside: int
    owed: int


def get_claims(claims: list[str]) -> dict[str, ClaimState]:
    """How far each claim is repaid: its amount, what Souk collected, what was settled
    outside, what is still owed (amounts in MAD minor units)."""
    keys = {receivable_key(claim): claim for claim in claims}
    accounts = {a.key: a for a in LedgerAccount.objects.filter(key__in=list(keys))}
    collected = dict(
        Transfer.objects.filter(
            credit_account__key__in=list(keys),
            status=TransferStatus.POSTED,
            code__in=COLLECTED_CODES,
        )
        .values("credit_account__key")
        .annotate(total=Sum("amount"))
        .values_list("credit_account__key", "total")
    )
    states = {}
    for key, claim in keys.items():
        account = accounts.get(key)
        if account is None:
            continue
        got = collected.get(key) or 0
        states[claim] = ClaimState(
            claim=claim,
            amount=account.debits_posted,
            collected=got,
            settled_outside=account.credits_posted - got,
            owed=account.balance.amount,
        )
    return states


def get_available_to_repay(*, shop_id: int) -> int:
    """What the shop could repay now: its payable's available balance less its debt."""
    accounts = {
        a.key: a
        for a in LedgerAccount.objects.filter(
            key__in=[accounting.payable_key(shop_id), accounting.debt_key(shop_id)]
        )
    }
    payable = accounts.get(accounting.payable_key(shop_id))
    debt = accounts.get(accounting.debt_key(shop_id))
    return (payable.available.amount if payable else 0) - (debt.balance.amount if debt else 0)


def get_shop_claims_owed(*, shop_id: int) -> tuple[int, int]:
    """(collected so far, still owed) over every partner claim on the shop: the earnings
    page's line on advances."""
    receivables = LedgerAccount.objects.filter(
        type=AccountType.PARTNER_RECEIVABLE, owner_type="shop", owner_id=str(shop_id)
    )
    owed = sum(a.balance.amount for a in receivables)
    collected = (
        Transfer.objects.filter(
            credit_account__in=receivables, status=TransferStatus.POSTED, code__in=COLLECTED_CODES
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return collected, owed


# -- payout runs ----------------------------------------------------------------------------


def list_payees_owed() -> list[tuple[PartnerPayee, Money]]:
    """Payees whose partner payable holds money, with how much, by key."""
    accounts = (
        LedgerAccount.objects.filter(type=AccountType.PARTNER_PAYABLE, currency=CURRENCY)
        .alias(owed=F("credits_posted") - F("debits_posted") - F("debits_pending"))
        .filter(owed__gt=0)
    )
    owed = {account.owner_id: account.available for account in accounts}
    payees = PartnerPayee.objects.filter(key__in=list(owed)).order_by("key")
    return [(payee, owed[payee.key]) for payee in payees]


def record_partner_payout_created(*, payee: PartnerPayee, payout: Payout) -> None:
    services.post_entry(
        key=f"payout:{payout.reference}:created",
        code="partner_payout_created",
        legs=[
            Leg(
                partner_payable_key(payee.key),
                accounting.PAYOUTS_IN_TRANSIT,
                payout.money,
                "payout",
                payout.reference,
            )
        ],
    )


def record_partner_payout_returned(*, key: str, payee_key: str, payout: Payout) -> None:
    """The partner's bank sent the transfer back: owed to the partner again, next run."""
    services.post_entry(
        key=key,
        code="partner_payout_returned",
        legs=[
            Leg(
                accounting.PAYOUTS_IN_TRANSIT,
                partner_payable_key(payee_key),
                payout.money,
                "payout",
                payout.reference,
            )
        ],
    )
