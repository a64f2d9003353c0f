"""Cash on delivery: the carrier's remittance settles the parcels it collected (a use case).

The carrier pays over the cash it collected and sends a CSV remittance file (docs/formats.md,
"Cash-on-delivery remittance"). Each line is recorded once as a CodRemittance; when every
parcel of an order that was not cancelled has been remitted, the order's intent is `succeeded`.
Nothing is posted to the ledger here: record_cod_remittance is the one place a remittance is
written, so a ledger posting belongs in its transaction. A file that cannot be read writes
nothing; each line that cannot be recorded is reported with its number and reason.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from souk.core.money import Money
from souk.ledger import accounting
from souk.orders.models import PaymentMethod, SubOrder, SubOrderStatus
from souk.payments import locks, services
from souk.payments.errors import CodRemittanceRefused, RemittanceFileRefused
from souk.payments.gateways import cmi_protocol
from souk.payments.models import (
    PAID_INTENT_STATUSES,
    CodRemittance,
    PaymentIntent,
)
from souk.payments.transitions import INTENT_MACHINE

COLUMNS = (
    "remittance_id",
    "remittance_date",
    "carrier",
    "sub_order_reference",
    "collected_amount",
    "currency",
)


@dataclass(frozen=True, slots=True)
class RemittanceProblem:
    line: int
    reason: str


@dataclass(slots=True)
class RemittanceImport:
    recorded: int = 0
    already_imported: int = 0
    problems: list[RemittanceProblem] = field(default_factory=list)


def _settle_intent_if_collected(intent: PaymentIntent) -> None:
    """The intent succeeds once every parcel not cancelled is remitted (caller holds the lock)."""
    if intent.status in PAID_INTENT_STATUSES:
        return
    if intent.status not in INTENT_MACHINE["succeed"].sources:
        return
    due = intent.order.sub_orders.exclude(status=SubOrderStatus.CANCELLED).aggregate(
        total=Sum("total_amount")
    )["total"]
    collected = intent.cod_remittances.aggregate(total=Sum("collected_amount"))["total"]
    if due and collected is not None and collected >= due:
        services.record_cash_collected(intent, collected_amount=int(collected))


def record_cod_remittance(
    *,
    remittance_id: str,
    remittance_date: datetime.date,
    carrier: str,
    sub_order: SubOrder,
    collected: Money,
    file_name: str = "",
    line_number: int | None = None,
) -> tuple[CodRemittance, bool]:
    """Record that `carrier` paid over `collected` for the cash-on-delivery parcel `sub_order`;
    the remittance and whether it is new.

    Idempotent: the same remittance id and parcel again returns the first record. Raises
    CodRemittanceRefused when the order is not cash on delivery, the parcel was cancelled,
    the amount or currency is not the parcel's total, or the parcel was already remitted
    under another remittance id. When every parcel of the order that was not cancelled is
    remitted, the intent moves to `succeeded`. This is the place for the ledger posting of the
    cash received (same transaction)."""
    order = sub_order.order
    if order.payment_method != PaymentMethod.CASH_ON_DELIVERY:
        raise CodRemittanceRefused(_("This parcel is not paid in cash on delivery."))
    with transaction.atomic():
        intent = PaymentIntent.objects.filter(order=order).first()
        if intent is None:
            raise CodRemittanceRefused(_("This order was never confirmed for cash on delivery."))
        intent = locks.intent(intent.pk)
        existing = CodRemittance.objects.filter(sub_order=sub_order).first()
        if existing is not None:
            if existing.remittance_id == remittance_id:
                return existing, False
            raise CodRemittanceRefused(
                _("This parcel was already remitted (remittance %(remittance)s).")
                % {"remittance": existing.remittance_id}
            )
        if sub_order.status == SubOrderStatus.CANCELLED:
            raise CodRemittanceRefused(_("This parcel was cancelled: nothing was to be collected."))
        if collected.currency != order.currency or collected.amount != sub_order.total_amount:
            raise CodRemittanceRefused(
                _("The amount collected is not the parcel's total (%(total)s).")
                % {"total": str(Money(sub_order.total_amount, order.currency))}
            )
        try:
            with transaction.atomic():
                remittance = CodRemittance.objects.create(
                    remittance_id=remittance_id[:64],
                    remittance_date=remittance_date,
                    carrier=carrier[:60],
                    sub_order=sub_order,
                    intent=intent,
                    collected_amount=collected.amount,
                    currency=collected.currency,
                    file_name=file_name[:255],
                    line_number=line_number,
                )
        except IntegrityError:
            # The same line imported at the same moment by another run.
            return CodRemittance.objects.get(sub_order=sub_order), False
        # The carrier's cash reaches the marketplace's bank: it leaves what the carrier owed
        # (the receivable the parcel's delivery opened under the carrier that collected it).
        accounting.record_cash_remitted(
            key=f"cod-remitted:{sub_order.reference}",
            carrier=sub_order.carrier or "carrier",
            amount=collected,
            reference=remittance.remittance_id,
        )
        _settle_intent_if_collected(intent)
    return remittance, True


def _read(raw: str) -> csv.DictReader[str]:
    first = raw.splitlines()[0] if raw.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(raw), delimiter=delimiter)
    headers = {name.strip().lower() for name in reader.fieldnames or []}
    if not set(COLUMNS) <= headers:
        raise RemittanceFileRefused(detail={"missing_columns": sorted(set(COLUMNS) - headers)})
    return reader


def import_cod_remittance(*, path: Path) -> RemittanceImport:
    """Record every line of a carrier's remittance file (record_cod_remittance, one line at a
    time: a bad line does not stop the others). Raises RemittanceFileRefused, writing
    nothing, when the file is not UTF-8 CSV with the remittance columns."""
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RemittanceFileRefused(detail={"file": str(error)}) from error
    reader = _read(raw)
    result = RemittanceImport()
    seen: set[tuple[str, str]] = set()
    for line, record in enumerate(reader, start=2):
        values = {
            (key or "").strip().lower(): (value or "").strip() for key, value in record.items()
        }
        problem = _import_line(values, line=line, file_name=path.name, seen=seen, result=result)
        if problem:
            result.problems.append(RemittanceProblem(line, problem))
    return result


def _import_line(
    values: dict[str, str],
    *,
    line: int,
    file_name: str,
    seen: set[tuple[str, str]],
    result: RemittanceImport,
) -> str:
    """Record one line; the reason it was not recorded, or an empty string."""
    reference = values["sub_order_reference"].upper()
    key = (values["remittance_id"], reference)
    if not values["remittance_id"] or not reference:
        return str(_("The remittance id or the parcel reference is empty."))
    if key in seen:
        return str(_("Duplicate: this parcel is already on an earlier line of this file."))
    try:
        remittance_date = datetime.date.fromisoformat(values["remittance_date"])
    except ValueError:
        return str(_("The remittance date is not a YYYY-MM-DD date."))
    amount = cmi_protocol.parse_amount(values["collected_amount"].replace(",", "."))
    try:
        collected = Money(amount or 0, values["currency"].upper())
    except ValueError:
        collected = Money.zero("MAD")
    if not collected.is_positive():
        return str(_("The amount or the currency is unreadable."))
    sub_order = SubOrder.objects.select_related("order").filter(reference=reference).first()
    if sub_order is None:
        return str(_("No parcel has this reference."))
    try:
        _remittance, created = record_cod_remittance(
            remittance_id=values["remittance_id"],
            remittance_date=remittance_date,
            carrier=values["carrier"],
            sub_order=sub_order,
            collected=collected,
            file_name=file_name,
            line_number=line,
        )
    except CodRemittanceRefused as error:
        return str(error.message)
    seen.add(key)
    if created:
        result.recorded += 1
    else:
        result.already_imported += 1
    return ""
