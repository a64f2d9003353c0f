"""What must hold after every random lifecycle (lifecycles.py): `check_ledger` finds nothing,
and the ledger moved the money the model says the lifecycle moved.

For each parcel, with `kept` = what the buyer finally paid (captured, or cash collected, less
what was refunded):
- `received`: its escrow received what the buyer paid (captured or collected);
- `escrow`: its escrow holds `kept` while it is open, nothing once completed or refunded;
- `refund_booked`: the refunds clearing account was credited by what was refunded of it;
- `commission`: once completed, the platform keeps the commission's share of `kept`
  (`Money(commission).allocate([kept, total - kept])[0]`: commission is due only on what the
  buyer finally paid for), and nothing before;
- `artisan`: once completed, the artisan is owed `kept` less that commission (payable less
  debt), and nothing before.
For the order: `money_in` (the processor's clearing and the carrier's cash accounts received
all the processor captured or the courier collected, a late payment refunded included),
`refunds_total` (the refunds clearing account received every refund), `payment_refunds` (the
payments service asked the processor or an operator for exactly those refunds) and
`shop_balance` (each shop's payable less debt plus its payouts is what it earned).

The lifecycle runs alone in its transaction, so account totals are this lifecycle's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.models import AccountType, LedgerAccount, Payout, Transfer, TransferStatus
from souk.ledger.selectors import check_ledger
from souk.payments.models import Refund
from souk.payments.refunds import COMMITTED_REFUND_STATUSES


@dataclass
class ParcelMoney:
    """What the model says of one parcel: paid (captured, or cash collected), refunded,
    whether its money went to the artisan (completed)."""

    reference: str
    shop_id: int
    total: int
    commission: int
    paid: int = 0
    refunded: int = 0
    is_completed: bool = False
    # Carrier events not sent yet (a "delivered" after the buyer confirmed receipt, repeats).
    pending_events: list[dict[str, str]] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.paid - self.refunded


@dataclass
class OrderMoney:
    method: str
    parcels: dict[int, ParcelMoney]
    # Money the processor took and gave back outside any parcel (a late payment refunded).
    captured_outside_parcels: int = 0
    refunded_outside_parcels: int = 0


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    seed: int
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] seed {self.seed}: {self.detail}"


def expected_commission(parcel: ParcelMoney) -> int:
    if not parcel.is_completed or parcel.kept <= 0:
        return 0
    return (
        Money(parcel.commission, "MAD")
        .allocate([parcel.kept, parcel.total - parcel.kept])[0]
        .amount
    )


def _movements_by_parcel(references: list[str]) -> dict[str, dict[str, int]]:
    """Per parcel reference: what entered and left each kind of account for it."""
    moved: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Transfer.objects.filter(
            status=TransferStatus.POSTED, reference_type="sub_order", reference_id__in=references
        )
        .values("reference_id", "debit_account__type", "credit_account__type")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        moved[row["reference_id"]][f"out:{row['debit_account__type']}"] += row["total"]
        moved[row["reference_id"]][f"in:{row['credit_account__type']}"] += row["total"]
    return moved


def _account_totals() -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # `totals`: a hot account's row plus its shards (docs/ledger.md, "Hot accounts").
    for account in LedgerAccount.objects.all():
        debits, credits, _debits_pending, _credits_pending = account.totals
        totals[account.type]["debits"] += debits
        totals[account.type]["credits"] += credits
    return totals


def _check_parcel(seed: int, parcel: ParcelMoney, moved: dict[str, int]) -> list[Finding]:
    commission = expected_commission(parcel)
    escrow = moved[f"in:{AccountType.ESCROW}"] - moved[f"out:{AccountType.ESCROW}"]
    kept_by_platform = (
        moved[f"in:{AccountType.COMMISSION_REVENUE}"]
        - moved[f"out:{AccountType.COMMISSION_REVENUE}"]
    )
    owed_to_artisan = (
        moved[f"in:{AccountType.ARTISAN_PAYABLE}"]
        - moved[f"out:{AccountType.ARTISAN_PAYABLE}"]
        - moved[f"out:{AccountType.ARTISAN_DEBT}"]
    )
    state = (
        f"parcel {parcel.reference} (total {parcel.total}, commission {parcel.commission}, "
        f"paid {parcel.paid}, refunded {parcel.refunded}, "
        f"{'completed' if parcel.is_completed else 'not completed'})"
    )
    expectations = [
        ("received", moved[f"in:{AccountType.ESCROW}"], parcel.paid, "escrow received"),
        ("escrow", escrow, 0 if parcel.is_completed else parcel.kept, "escrow holds"),
        (
            "refund_booked",
            moved[f"in:{AccountType.REFUNDS_CLEARING}"],
            parcel.refunded,
            "refunds clearing credited",
        ),
        ("commission", kept_by_platform, commission, "platform commission kept"),
        (
            "artisan",
            owed_to_artisan,
            parcel.kept - commission if parcel.is_completed else 0,
            "artisan owed",
        ),
    ]
    return [
        Finding(rule, seed, f"{state}: {what} {actual}, expected {expected}")
        for rule, actual, expected, what in expectations
        if actual != expected
    ]


def check_lifecycle(*, seed: int, order_id: int, money: OrderMoney) -> list[Finding]:
    """Everything that must hold once the lifecycle of `order_id` is over (see the module)."""
    findings = [
        Finding(f"ledger_check:{violation.rule}", seed, f"{violation.subject}: {violation.detail}")
        for violation in check_ledger()
    ]
    parcels = list(money.parcels.values())
    moved = _movements_by_parcel([parcel.reference for parcel in parcels])
    for parcel in parcels:
        findings += _check_parcel(seed, parcel, moved[parcel.reference])
    totals = _account_totals()
    paid = sum(parcel.paid for parcel in parcels) + money.captured_outside_parcels
    refunded = sum(parcel.refunded for parcel in parcels) + money.refunded_outside_parcels
    money_in = (
        totals[AccountType.PROCESSOR_CLEARING]["debits"]
        + totals[AccountType.COD_RECEIVABLE]["debits"]
    )
    asked = (
        Refund.objects.filter(
            intent__order_id=order_id, status__in=COMMITTED_REFUND_STATUSES
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    expectations = [
        ("money_in", money_in, paid, "processor and courier took"),
        (
            "refunds_total",
            totals[AccountType.REFUNDS_CLEARING]["credits"],
            refunded,
            "refunds booked",
        ),
        ("payment_refunds", asked, refunded, "refunds asked of the processor or an operator"),
    ]
    findings += [
        Finding(
            rule, seed, f"{money.method} order {order_id}: {what} {actual}, expected {expected}"
        )
        for rule, actual, expected, what in expectations
        if actual != expected
    ]
    findings += _check_shops(seed, parcels)
    return findings


def _check_shops(seed: int, parcels: list[ParcelMoney]) -> list[Finding]:
    earned: dict[int, int] = defaultdict(int)
    for parcel in parcels:
        if parcel.is_completed:
            earned[parcel.shop_id] += parcel.kept - expected_commission(parcel)
    findings = []
    for shop_id in sorted({parcel.shop_id for parcel in parcels}):
        accounts = {
            account.key: account
            for account in LedgerAccount.objects.filter(
                key__in=[accounting.payable_key(shop_id), accounting.debt_key(shop_id)]
            )
        }
        payable = accounts.get(accounting.payable_key(shop_id))
        debt = accounts.get(accounting.debt_key(shop_id))
        paid_out = Payout.objects.filter(shop_id=shop_id).aggregate(total=Sum("amount"))["total"]
        balance = (
            (payable.credits_posted - payable.debits_posted if payable else 0)
            - (debt.debits_posted - debt.credits_posted if debt else 0)
            + (paid_out or 0)
        )
        if balance != earned[shop_id]:
            findings.append(
                Finding(
                    "shop_balance",
                    seed,
                    f"shop {shop_id}: payable less debt plus payouts {balance}, "
                    f"earned {earned[shop_id]}",
                )
            )
    return findings
