"""Verify the ledger's invariants; exit non-zero when any is broken."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from souk.ledger.checks import check_ledger
from souk.ledger.models import LedgerAccount, Transfer


class Command(BaseCommand):
    help = "Check that every entry balances and every account equals the sum of its transfers."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        violations = check_ledger()
        elapsed = time.perf_counter() - started
        for violation in violations:
            self.stderr.write(f"{violation.rule}: {violation.subject}: {violation.detail}")
        summary = (
            f"{Transfer.objects.count()} transfers, {LedgerAccount.objects.count()} accounts "
            f"checked in {elapsed:.2f} s: {len(violations)} violation(s)."
        )
        if violations:
            raise CommandError(summary)
        self.stdout.write(summary)
