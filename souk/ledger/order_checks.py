"""Rules 5 to 9 of `ledger_check` (checks.check_ledger): the ledger against the orders and
payments (escrow per shop, refunds, commission and escrow per parcel, captures per order)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Case, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce

from souk.ledger import facts
from souk.ledger.models import AccountType, LedgerAccount, Transfer, TransferStatus
from souk.ledger.violations import Violation


def check_escrow_against_orders() -> list[Violation]:
    known = facts.get()

    expected = known.list_escrow_expected_by_shop()
    held = {
        int(account.owner_id): account.balance.amount
        for account in LedgerAccount.objects.filter(type=AccountType.ESCROW, owner_type="shop")
    }
    return [
        Violation(
            "escrow",
            f"shop {shop_id}",
            f"escrow holds {held.get(shop_id, 0)}, parcels awaiting completion total "
            f"{expected.get(shop_id, 0)}",
        )
        for shop_id in sorted(set(expected) | set(held))
        if held.get(shop_id, 0) != expected.get(shop_id, 0)
    ]


def _net_by_parcel(transfers: QuerySet[Transfer], amount: Case | F) -> Coalesce:
    """The sum of `amount` over the posted `transfers` of the parcel in the outer query."""
    summed = (
        transfers.filter(
            status=TransferStatus.POSTED,
            reference_type="sub_order",
            reference_id=OuterRef("reference"),
        )
        .order_by()
        .values("reference_id")
        .annotate(total=Sum(amount))
        .values("total")
    )
    return Coalesce(Subquery(summed), 0, output_field=BigIntegerField())


def _signed(account_type: AccountType) -> Case:
    # Into the account counts positive, out of it negative.
    return Case(
        When(credit_account__type=account_type, then=F("amount")),
        When(debit_account__type=account_type, then=-F("amount")),
        default=0,
    )


def _parcels_with_ledger_sums() -> QuerySet[Any]:
    """Every parcel (orders' list_parcels_for_ledger_check) with the sums of its transfers:
    refunds booked, what its escrow still holds and the commission kept on it."""
    touching = {
        account_type: Transfer.objects.filter(
            Q(debit_account__type=account_type) | Q(credit_account__type=account_type)
        )
        for account_type in (AccountType.ESCROW, AccountType.COMMISSION_REVENUE)
    }
    parcels: QuerySet[Any] = (
        facts.get()
        .list_parcels_for_ledger_check()
        .annotate(
            refunds_booked=_net_by_parcel(
                Transfer.objects.filter(code__in=RETURNED_CODES), F("amount")
            ),
            escrow_held=_net_by_parcel(touching[AccountType.ESCROW], _signed(AccountType.ESCROW)),
            commission_kept=_net_by_parcel(
                touching[AccountType.COMMISSION_REVENUE], _signed(AccountType.COMMISSION_REVENUE)
            ),
        )
    )
    return parcels


@dataclass(frozen=True, slots=True)
class CommissionDifference:
    """A completed parcel whose commission kept is not the commission due on it."""

    reference: str
    shop_id: int
    kept: int
    due: int


def list_commission_differences() -> list[CommissionDifference]:
    """The completed parcels whose commission kept differs from what is due (rule 9): those
    completed before the rule "commission only on what the buyer finally paid for"."""
    rows = (
        _parcels_with_ledger_sums()
        .filter(completed_at__isnull=False)
        .exclude(commission_kept=F("commission_due"))
        .order_by("pk")
        .values_list("reference", "shop_id", "commission_kept", "commission_due")
    )
    return [CommissionDifference(*row) for row in rows]


def check_parcels_against_ledger() -> list[Violation]:
    """Rules 7 to 9, one query: only the parcels breaking one come back."""
    broken = (
        _parcels_with_ledger_sums()
        .filter(
            ~Q(refunds_booked=F("refunded_amount"))
            | ~Q(refunded_amount=F("owed_back"))
            | Q(completed_at__isnull=False) & ~Q(escrow_held=0)
            | ~Q(commission_kept=F("commission_due"))
        )
        .order_by("pk")
        .values(
            "reference",
            "completed_at",
            "refunded_amount",
            "owed_back",
            "refunds_booked",
            "escrow_held",
            "commission_kept",
            "commission_due",
        )
    )
    violations = []
    for parcel in broken:
        subject = f"parcel {parcel['reference']}"
        refunded = parcel["refunded_amount"]
        if parcel["refunds_booked"] != refunded or refunded != parcel["owed_back"]:
            detail = (
                f"refunds booked {parcel['refunds_booked']}, refunded {refunded}, "
                f"owed back {parcel['owed_back']}"
            )
            violations.append(Violation("refund", subject, detail))
        if parcel["completed_at"] is not None and parcel["escrow_held"] != 0:
            detail = f"completed, escrow still holds {parcel['escrow_held']}"
            violations.append(Violation("completed_escrow", subject, detail))
        if parcel["commission_kept"] != parcel["commission_due"]:
            detail = f"commission kept {parcel['commission_kept']}, due {parcel['commission_due']}"
            violations.append(Violation("commission", subject, detail))
    return violations


RECEIVED_CODES = ("payment_captured",)
RETURNED_CODES = ("refund_before_completion", "refund_after_completion")


def check_payments_against_ledger() -> list[Violation]:
    known = facts.get()

    net_captured = known.list_net_captured_by_order()
    references = known.list_sub_order_references_by_order(net_captured)
    by_reference: dict[str, int] = defaultdict(int)
    rows = (
        Transfer.objects.filter(
            status=TransferStatus.POSTED,
            reference_type="sub_order",
            code__in=RECEIVED_CODES + RETURNED_CODES,
        )
        .values("reference_id", "code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        sign = 1 if row["code"] in RECEIVED_CODES else -1
        by_reference[row["reference_id"]] += sign * row["total"]
    violations = []
    for order_id, net in sorted(net_captured.items()):
        received = sum(by_reference[reference] for reference in references.get(order_id, []))
        if received != net:
            violations.append(
                Violation(
                    "payment",
                    f"order {order_id}",
                    f"payment captured less refunded {net}, ledger received {received}",
                )
            )
    return violations
