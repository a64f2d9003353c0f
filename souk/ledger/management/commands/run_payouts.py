"""Start a payout run now (the weekly task does the same); prints what it did."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from souk.ledger import payouts
from souk.ledger.payouts import selectors


class Command(BaseCommand):
    help = "Pay every shop owed at least SOUK_PAYOUT_MINIMUM; write the bank transfer file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--key",
            help="Idempotency key: the same key again resumes or returns that run "
            "(default: a new run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["key"] or f"command:{secrets.token_hex(8)}"
        run = payouts.start_payout_run(key=key)
        totals = selectors.get_run_totals(run_id=run.pk)
        skips = list(run.skips.select_related("shop"))
        self.stdout.write(
            f"{run.reference}: {totals.payout_count} payout(s), {totals.total.to_decimal()} MAD, "
            f"{totals.unsent_count} not sent, {len(skips)} shop(s) skipped."
        )
        for skip in skips:
            self.stdout.write(f"  skipped {skip.shop}: {skip.get_reason_display()}")
        if run.transfer_file:
            self.stdout.write(f"Transfer file: {run.transfer_file.path}")
