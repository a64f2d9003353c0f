"""Reconcile the card processor's daily settlement file with Souk's payments (docs/payments.md)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.payments import settlements
from souk.payments.errors import SettlementFileRefused
from souk.payments.models import SettlementLineKind


class Command(BaseCommand):
    help = (
        "Match each line of a settlement CSV to a payment or refund and store the results "
        "(matched, missing on either side, amount mismatch, duplicate) for the back office."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="the settlement date (YYYY-MM-DD), needed only for a file without lines",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = settlements.reconcile_settlement(path=options["path"], day=options["date"])
        except SettlementFileRefused as error:
            raise CommandError(f"{error.message} {error.detail or ''}".strip()) from error
        for rejected in result.rejected:
            self.stderr.write(f"line {rejected.line}: {rejected.reason}")
        done = result.settlement_import
        self.stdout.write(
            f"Settlement of {done.settlement_date.isoformat()} (import {done.pk}): "
            f"{done.matched_count} matched, {done.missing_in_souk_count} missing in Souk, "
            f"{done.missing_in_file_count} missing in the file, "
            f"{done.amount_mismatch_count} amount mismatch(es), {done.duplicate_count} "
            f"duplicate(s), {done.rejected_count} unreadable line(s)."
        )
        # Each line not matched is money the ledger does not hold yet (or a capture the
        # processor did not settle): named here, and by ledger_check until it is booked.
        for line in done.lines.exclude(kind=SettlementLineKind.MATCHED):
            where = f"line {line.line_number}" if line.line_number else "not in the file"
            self.stdout.write(
                f"{where}: {line.kind} {line.transaction_type} "
                f"{line.gateway_order_id or '-'} {line.transaction_id or '-'} {line.note}".rstrip()
            )
