"""Rule 10 of `ledger_check` (checks.check_ledger): every movement of money at the processor
is a movement in the ledger (docs/ledger.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet, Sum

from souk.ledger import facts
from souk.ledger.facts import SettledLine
from souk.ledger.models import AccountType, Transfer, TransferStatus
from souk.ledger.violations import Violation

CAPTURE_CODES = ("payment_captured", "late_payment_captured")


def check_processor_movements() -> list[Violation]:
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
