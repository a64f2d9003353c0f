"""Post the corrections that bring the commission kept on each completed parcel to what is due
on it (docs/ledger.md, "Commission"): parcels completed before that rule kept commission on money
refunded before completion. Run once after the upgrade; running it again finds nothing to do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.order_checks import list_commission_differences


class Command(BaseCommand):
    help = "Correct the commission kept on parcels completed before the commission rule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, post nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        differences = list_commission_differences()
        back_to_artisans = 0
        for difference in differences:
            kept = Money(difference.kept, accounting.CURRENCY)
            due = Money(difference.due, accounting.CURRENCY)
            self.stdout.write(f"parcel {difference.reference}: commission kept {kept}, due {due}")
            back_to_artisans += difference.kept - difference.due
            if not dry_run:
                with transaction.atomic():
                    accounting.record_commission_corrected(
                        shop_id=difference.shop_id,
                        reference=difference.reference,
                        kept=kept,
                        due=due,
                    )
        verb = "to correct" if dry_run else "corrected"
        total = Money(back_to_artisans, accounting.CURRENCY)
        self.stdout.write(
            f"{len(differences)} parcel(s) {verb}; net back to the artisans: {total}."
        )
