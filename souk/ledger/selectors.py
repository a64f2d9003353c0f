"""Reads of the ledger: balances and the integrity check behind `manage.py ledger_check`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from souk.core.money import Money
from souk.ledger import facts
from souk.ledger.events import EntryPosted, PostedLeg
from souk.ledger.facts import SettledLine
from souk.ledger.models import (
    AccountType,
    JournalEntry,
    LedgerAccount,
    Payout,
    PayoutStatus,
    Transfer,
    TransferStatus,
)
from souk.ledger.partner_checks import check_partner_claims
from souk.ledger.violations import Violation as Violation  # what check_ledger returns


def get_account(*, key: str) -> LedgerAccount:
    return LedgerAccount.objects.get(key=key)


def get_balance(*, key: str) -> Money:
    """Posted balance of an account on its normal side."""
    return get_account(key=key).balance


def _owner(account: LedgerAccount) -> str:
    return f"{account.owner_type}:{account.owner_id}" if account.owner_type else ""


def posted_leg(transfer: Transfer) -> PostedLeg:
    """A posted transfer as `EntryPosted` carries it (its accounts already read)."""
    return PostedLeg(
        code=transfer.code,
        debit_type=transfer.debit_account.type,
        debit_owner=_owner(transfer.debit_account),
        credit_type=transfer.credit_account.type,
        credit_owner=_owner(transfer.credit_account),
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
    violations += _check_escrow_against_orders()
    violations += _check_parcels_against_ledger()
    violations += _check_payments_against_ledger()
    violations += _check_processor_movements()
    violations += check_partner_claims()
    return violations


def _check_escrow_against_orders() -> list[Violation]:
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


def _check_parcels_against_ledger() -> list[Violation]:
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


def _check_payments_against_ledger() -> list[Violation]:
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


# --- Processor movements ⇒ ledger movements ----------------------------------------------------

CAPTURE_CODES = ("payment_captured", "late_payment_captured")


def _check_processor_movements() -> list[Violation]:
    """Every movement of money at the processor has its ledger entry (docs/ledger.md, rule 10)."""
    return _check_captures_booked() + _check_gateway_refunds_booked() + _check_settlement_booked()


def _order_of_reference(order_ids: Iterable[int], references: dict[int, str]) -> dict[str, int]:
    """The order of each reference a ledger transfer may carry: the order's own (a late
    payment's capture) and its parcels' (captures and refunds)."""
    known = facts.get()

    order_of = {reference: order_id for order_id, reference in references.items()}
    for order_id, parcels in known.list_sub_order_references_by_order(order_ids).items():
        order_of.update(dict.fromkeys(parcels, order_id))
    return order_of


def _booked_by_order(transfers: QuerySet[Transfer], order_of: dict[str, int]) -> dict[int, int]:
    booked: dict[int, int] = defaultdict(int)
    rows = transfers.values("reference_id").annotate(total=Sum("amount")).order_by()
    for row in rows:
        order_id = order_of.get(row["reference_id"])
        if order_id is not None:
            booked[order_id] += row["total"]
    return booked


def _check_captures_booked() -> list[Violation]:
    # Every payment the processor captured (card or wallet, placed or not) is in the ledger
    # for its amount: into escrow when its order was placed, owed back to the buyer when not.
    known = facts.get()

    captured = known.list_captured_by_order()
    order_of = _order_of_reference(captured, {pk: ref for pk, (ref, _) in captured.items()})
    booked = _booked_by_order(
        Transfer.objects.filter(
            status=TransferStatus.POSTED,
            code__in=CAPTURE_CODES,
            reference_type__in=("sub_order", "order"),
        ),
        order_of,
    )
    return [
        Violation(
            "capture",
            f"order {reference}",
            f"the processor captured {amount}, the ledger booked {booked[order_id]}",
        )
        for order_id, (reference, amount) in sorted(captured.items())
        if booked[order_id] != amount
    ]


def _check_gateway_refunds_booked() -> list[Violation]:
    # What the processor paid back to a buyer was owed in the ledger (credited to refunds
    # clearing by the refund of a parcel, or by a late payment's capture).
    known = facts.get()

    refunded = known.list_gateway_refunds_paid_by_order()
    order_of = _order_of_reference(refunded, {pk: ref for pk, (ref, _) in refunded.items()})
    booked = _booked_by_order(
        Transfer.objects.filter(
            status=TransferStatus.POSTED,
            credit_account__type=AccountType.REFUNDS_CLEARING,
            reference_type__in=("sub_order", "order"),
        ),
        order_of,
    )
    return [
        Violation(
            "refund",
            f"order {reference}",
            f"the processor refunded {amount}, the ledger owed the buyer {booked[order_id]}",
        )
        for order_id, (reference, amount) in sorted(refunded.items())
        if amount > booked[order_id]
    ]


def _settlement_legs(line: SettledLine) -> list[tuple[str, int]]:
    """The ledger's legs of a settlement line: (code, amount), each referencing its trans_id."""
    if line.transaction_type == "REFUND":
        return [("refund_settled", line.amount)]
    return [
        (code, amount)
        for code, amount in (
            ("processor_fee", line.fee_amount),
            ("processor_settled", line.amount - line.fee_amount),
        )
        if amount > 0
    ]


def _check_settlement_booked() -> list[Violation]:
    # Each line of a settlement file is money the processor moved: its fee, what it paid into
    # the bank, a refund it netted. A line that was not matched (unknown to Souk, another
    # amount) is booked by nobody and so reported here until an operator settles it.
    known = facts.get()

    booked = {
        (row["code"], row["reference_id"]): row["total"]
        for row in Transfer.objects.filter(
            status=TransferStatus.POSTED, reference_type="settlement"
        )
        .values("code", "reference_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    violations = []
    seen: set[tuple[str, str]] = set()
    for line in known.list_settlement_lines_read():
        if (line.transaction_type, line.transaction_id) in seen:
            continue  # the same transaction on another line, or in a file imported again
        seen.add((line.transaction_type, line.transaction_id))
        for code, amount in _settlement_legs(line):
            done = booked.get((code, line.transaction_id), 0)
            if done != amount:
                violations.append(
                    Violation(
                        "settlement",
                        f"import {line.import_id} line {line.line_number}",
                        f"{line.transaction_type} {line.transaction_id} ({line.kind}): "
                        f"{code} {amount}, the ledger booked {done}",
                    )
                )
    return violations
