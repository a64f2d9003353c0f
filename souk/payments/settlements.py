"""Reconciliation of the processor's daily settlement file with Souk's payments (a use case).

The file (docs/formats.md, "Processor settlement file") lists what the processor settled for a
day. Each line is matched to a captured card attempt (PURCHASE, by `oid`) or a gateway refund
(REFUND, by `trans_id`, Souk's refund gateway reference), and Souk's captures and refunds of
the settlement date that no line names are listed as missing in the file. The results are
stored (SettlementImport, SettlementLine) for operators in the back office. A file that cannot
be read as a settlement file writes nothing; unreadable lines are reported with their number.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from souk.core.money import NUMERIC_CODES, Money
from souk.ledger import accounting
from souk.payments.errors import SettlementFileRefused
from souk.payments.gateways import cmi, cmi_protocol
from souk.payments.models import (
    AttemptStatus,
    PaymentAttempt,
    Refund,
    RefundMethod,
    RefundStatus,
    SettlementImport,
    SettlementLine,
    SettlementLineKind,
)

COLUMNS = (
    "settlement_date",
    "transaction_date",
    "oid",
    "trans_id",
    "auth_code",
    "type",
    "amount",
    "currency",
    "fee_amount",
    "net_amount",
    "card_brand",
    "masked_pan",
)
# Settlement files are in MAD (ISO 4217 numeric 504).
CURRENCY = "MAD"
TYPES = ("PURCHASE", "REFUND")


@dataclass(frozen=True, slots=True)
class RejectedLine:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    settlement_date: datetime.date
    oid: str
    trans_id: str
    type: str
    amount: int
    currency: str
    fee_amount: int | None


@dataclass(slots=True)
class Reconciliation:
    settlement_import: SettlementImport
    rejected: list[RejectedLine] = field(default_factory=list)


def _read_rows(raw: str) -> tuple[list[_Row], list[RejectedLine]]:
    reader = csv.DictReader(io.StringIO(raw))
    headers = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in headers]
    if missing:
        raise SettlementFileRefused(detail={"missing_columns": missing})
    rows: list[_Row] = []
    rejected: list[RejectedLine] = []
    for line, record in enumerate(reader, start=2):
        values = {
            (key or "").strip().lower(): (value or "").strip() for key, value in record.items()
        }
        try:
            day = datetime.date.fromisoformat(values["settlement_date"])
        except ValueError:
            rejected.append(RejectedLine(line, "settlement_date is not a YYYY-MM-DD date"))
            continue
        kind = values["type"].upper()
        if kind not in TYPES:
            rejected.append(RejectedLine(line, "type is neither PURCHASE nor REFUND"))
            continue
        amount = cmi_protocol.parse_amount(values["amount"])
        if not amount:
            rejected.append(RejectedLine(line, "amount is not a positive decimal like 120.50"))
            continue
        if not values["oid"] or not values["trans_id"]:
            rejected.append(RejectedLine(line, "oid or trans_id is empty"))
            continue
        if not values["currency"].isdigit():
            rejected.append(RejectedLine(line, "currency is not a numeric ISO 4217 code"))
            continue
        rows.append(
            _Row(
                line=line,
                settlement_date=day,
                oid=values["oid"][:64],
                trans_id=values["trans_id"][:64],
                type=kind,
                amount=amount,
                currency=values["currency"][:3],
                fee_amount=cmi_protocol.parse_amount(values["fee_amount"]),
            )
        )
    return rows, rejected


def _settlement_date(rows: list[_Row], day: datetime.date | None) -> datetime.date:
    dates = {row.settlement_date for row in rows}
    if day is not None:
        dates.add(day)
    if len(dates) != 1:
        raise SettlementFileRefused(detail={"settlement_dates": sorted(map(str, dates))})
    return dates.pop()


def _line(
    settlement_import: SettlementImport, row: _Row, kind: str, **values: object
) -> SettlementLine:
    return SettlementLine(
        settlement_import=settlement_import,
        kind=kind,
        line_number=row.line,
        transaction_type=row.type,
        gateway_order_id=row.oid,
        transaction_id=row.trans_id,
        file_amount=row.amount,
        fee_amount=row.fee_amount,
        currency=row.currency,
        **values,
    )


def _match_purchase(
    settlement_import: SettlementImport, row: _Row, matched_attempts: set[int]
) -> SettlementLine:
    attempt = (
        PaymentAttempt.objects.select_related("intent")
        .filter(gateway=cmi.CODE, gateway_order_id=row.oid, status=AttemptStatus.SUCCEEDED)
        .first()
    )
    if attempt is None:
        return _line(settlement_import, row, SettlementLineKind.MISSING_IN_SOUK)
    if attempt.pk in matched_attempts:
        return _line(
            settlement_import,
            row,
            SettlementLineKind.DUPLICATE,
            attempt=attempt,
            souk_amount=attempt.intent.amount,
            note="this payment is already on an earlier line",
        )
    matched_attempts.add(attempt.pk)
    expected_currency = NUMERIC_CODES.get(attempt.intent.currency, "")
    if row.amount != attempt.intent.amount or row.currency != expected_currency:
        kind = SettlementLineKind.AMOUNT_MISMATCH
    else:
        kind = SettlementLineKind.MATCHED
    if kind == SettlementLineKind.MATCHED:
        _post_purchase(row)
    note = ""
    if attempt.transaction_id and attempt.transaction_id != row.trans_id:
        note = f"Souk holds transaction id {attempt.transaction_id}"
    return _line(
        settlement_import,
        row,
        kind,
        attempt=attempt,
        souk_amount=attempt.intent.amount,
        note=note,
    )


def _match_refund(
    settlement_import: SettlementImport, row: _Row, matched_refunds: set[int]
) -> SettlementLine:
    refund = (
        Refund.objects.filter(
            method=RefundMethod.GATEWAY,
            status=RefundStatus.SUCCEEDED,
            gateway_reference=row.trans_id,
        )
        .order_by("pk")
        .first()
    )
    if refund is None:
        return _line(settlement_import, row, SettlementLineKind.MISSING_IN_SOUK)
    if refund.pk in matched_refunds:
        return _line(
            settlement_import,
            row,
            SettlementLineKind.DUPLICATE,
            refund=refund,
            souk_amount=refund.amount,
            note="this refund is already on an earlier line",
        )
    matched_refunds.add(refund.pk)
    kind = (
        SettlementLineKind.MATCHED
        if refund.amount == row.amount
        else SettlementLineKind.AMOUNT_MISMATCH
    )
    if kind == SettlementLineKind.MATCHED:
        accounting.record_refund_settled(
            key=f"settlement:{row.trans_id}:refund",
            amount=Money(row.amount, CURRENCY),
            reference=row.trans_id,
        )
    return _line(settlement_import, row, kind, refund=refund, souk_amount=refund.amount)


def _post_purchase(row: _Row) -> None:
    """A matched purchase settles: the processor keeps its fee (an expense) and pays the rest
    into the bank; both leave its clearing account. Keys by the processor's line id, so a file
    reconciled twice posts once (docs/ledger.md)."""
    fee = Money(row.fee_amount or 0, CURRENCY)
    if fee.is_positive():
        accounting.record_processor_fee(
            key=f"settlement:{row.trans_id}:fee", gateway=cmi.CODE, fee=fee, reference=row.trans_id
        )
    net = Money(row.amount, CURRENCY) - fee
    if net.is_positive():
        accounting.record_processor_settlement(
            key=f"settlement:{row.trans_id}:paid",
            gateway=cmi.CODE,
            amount=net,
            reference=row.trans_id,
        )


def _missing_in_file(
    settlement_import: SettlementImport,
    day: datetime.date,
    matched_attempts: set[int],
    matched_refunds: set[int],
) -> list[SettlementLine]:
    lines = []
    # Souk's captures of the settlement date: the attempt's completion is its capture.
    captured = (
        PaymentAttempt.objects.select_related("intent")
        .filter(gateway=cmi.CODE, status=AttemptStatus.SUCCEEDED, completed_at__date=day)
        .exclude(pk__in=matched_attempts)
        .order_by("pk")
    )
    for attempt in captured:
        lines.append(
            SettlementLine(
                settlement_import=settlement_import,
                kind=SettlementLineKind.MISSING_IN_FILE,
                transaction_type="PURCHASE",
                gateway_order_id=attempt.gateway_order_id,
                transaction_id=attempt.transaction_id,
                souk_amount=attempt.intent.amount,
                currency=NUMERIC_CODES.get(attempt.intent.currency, ""),
                attempt=attempt,
            )
        )
    refunded = (
        Refund.objects.filter(
            method=RefundMethod.GATEWAY, status=RefundStatus.SUCCEEDED, completed_at__date=day
        )
        .exclude(pk__in=matched_refunds)
        .order_by("pk")
    )
    for refund in refunded:
        lines.append(
            SettlementLine(
                settlement_import=settlement_import,
                kind=SettlementLineKind.MISSING_IN_FILE,
                transaction_type="REFUND",
                transaction_id=refund.gateway_reference,
                souk_amount=refund.amount,
                currency=NUMERIC_CODES.get(refund.currency, ""),
                refund=refund,
            )
        )
    return lines


def reconcile_settlement(*, path: Path, day: datetime.date | None = None) -> Reconciliation:
    """Read the settlement file at `path`, match each line, store and return the results.

    Each line is `matched`, `amount_mismatch` (amount or currency differs), `missing_in_souk`
    (no captured attempt / succeeded gateway refund), or `duplicate` (a transaction id or a
    payment already on an earlier line); Souk's card captures and gateway refunds of the
    settlement date absent from the file are `missing_in_file`. The settlement date is the
    file's (one per file; `day` when the file has no line). Raises SettlementFileRefused,
    writing nothing, when the file is not UTF-8 CSV with the settlement columns or mixes
    dates; unreadable lines are returned in `rejected` and counted."""
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SettlementFileRefused(detail={"file": str(error)}) from error
    rows, rejected = _read_rows(raw)
    settlement_date = _settlement_date(rows, day)
    with transaction.atomic():
        settlement_import = SettlementImport.objects.create(
            file_name=path.name[:255], settlement_date=settlement_date
        )
        seen_transaction_ids: set[tuple[str, str]] = set()
        matched_attempts: set[int] = set()
        matched_refunds: set[int] = set()
        lines: list[SettlementLine] = []
        for row in rows:
            if (row.type, row.trans_id) in seen_transaction_ids:
                lines.append(
                    _line(
                        settlement_import,
                        row,
                        SettlementLineKind.DUPLICATE,
                        note="transaction id already on an earlier line",
                    )
                )
                continue
            seen_transaction_ids.add((row.type, row.trans_id))
            if row.type == "PURCHASE":
                lines.append(_match_purchase(settlement_import, row, matched_attempts))
            else:
                lines.append(_match_refund(settlement_import, row, matched_refunds))
        lines.extend(
            _missing_in_file(settlement_import, settlement_date, matched_attempts, matched_refunds)
        )
        SettlementLine.objects.bulk_create(lines)
        counts = dict.fromkeys(SettlementLineKind.values, 0)
        for line in lines:
            counts[line.kind] += 1
        settlement_import.line_count = len(rows) + len(rejected)
        settlement_import.matched_count = counts[SettlementLineKind.MATCHED]
        settlement_import.missing_in_souk_count = counts[SettlementLineKind.MISSING_IN_SOUK]
        settlement_import.missing_in_file_count = counts[SettlementLineKind.MISSING_IN_FILE]
        settlement_import.amount_mismatch_count = counts[SettlementLineKind.AMOUNT_MISMATCH]
        settlement_import.duplicate_count = counts[SettlementLineKind.DUPLICATE]
        settlement_import.rejected_count = len(rejected)
        settlement_import.save()
    return Reconciliation(settlement_import=settlement_import, rejected=rejected)
