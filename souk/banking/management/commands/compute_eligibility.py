"""Evaluate every published offer for every approved shop and keep the verdicts (what the
nightly task does), or for one shop with --shop."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.banking import nightly, services
from souk.shops.models import Shop


class Command(BaseCommand):
    help = "Compute and keep the eligibility of shops for the published bank offers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", type=int, help="only this shop (its id)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["shop"]:
            shop = Shop.objects.filter(pk=options["shop"]).first()
            if shop is None:
                raise CommandError(f"No shop {options['shop']}.")
            verdicts = services.compute_eligibility(shop=shop)
            eligible = sum(1 for v in verdicts if v.is_eligible)
            self.stdout.write(f"shop {shop.pk}: eligible for {eligible} of {len(verdicts)} offers")
            return
        result = nightly.compute_all_eligibility()
        self.stdout.write(f"chunks of shops done: {result.done}, failed: {result.failed}")
