"""The sandbox processor's daily settlement file: what it approved, captured and refunded.

The format is Souk's own (docs/formats.md, "Processor settlement file"): one CSV line per
transaction with the processor's fee. Purchases count on the day the merchant captured them
(its ACTION=POSTAUTH reply), refunds on the day they were approved. The fee of a purchase is
SANDBOX_FEE_PERCENT of its amount, rounded half up to the centime, plus SANDBOX_FEE_FIXED_AMOUNT;
a refund carries no fee and a negative net amount (money going back to the card holder).
"""

from __future__ import annotations

import csv
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from souk.payments.gateways import cmi_protocol
from souk.sandbox.models import ProcessorTransaction, TransactionType

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


def fee_amount(amount: int) -> int:
    """The processor's fee on a purchase of `amount` centimes, in centimes."""
    percent = Decimal(str(settings.SANDBOX_FEE_PERCENT))
    variable = (Decimal(amount) * percent / Decimal(100)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(variable) + int(settings.SANDBOX_FEE_FIXED_AMOUNT)


def _signed(minor_units: int) -> str:
    text = cmi_protocol.format_amount(abs(minor_units))
    return f"-{text}" if minor_units < 0 else text


def settled_transactions(day: datetime.date) -> list[ProcessorTransaction]:
    """The purchases captured and the refunds approved on `day` (local time)."""
    purchases = ProcessorTransaction.objects.filter(
        type=TransactionType.PURCHASE, captured_at__date=day
    )
    refunds = ProcessorTransaction.objects.filter(type=TransactionType.REFUND, created_at__date=day)
    return sorted([*purchases, *refunds], key=lambda row: (row.created_at, row.pk))


def write_settlement(*, day: datetime.date, out: TextIO) -> int:
    """Write the settlement file of `day` to `out`; the number of transaction lines."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = settled_transactions(day)
    for row in rows:
        is_purchase = row.type == TransactionType.PURCHASE
        fee = fee_amount(row.amount) if is_purchase else 0
        net = row.amount - fee if is_purchase else -row.amount
        writer.writerow(
            (
                day.isoformat(),
                timezone.localtime(row.created_at).date().isoformat(),
                row.oid,
                row.trans_id,
                row.auth_code,
                row.type,
                cmi_protocol.format_amount(row.amount),
                row.currency,
                cmi_protocol.format_amount(fee),
                _signed(net),
                row.card_brand,
                row.masked_pan,
            )
        )
    return len(rows)
