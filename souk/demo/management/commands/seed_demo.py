"""Load the demo data: one login per role, and whatever each app adds to SEEDERS.

Idempotent: every seeder updates or creates by a natural key, so running it twice changes
nothing. For demonstrations and local work only; never run it on a production database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from souk.demo import accounts as accounts_demo
from souk.demo import banking as banking_demo
from souk.demo import catalog as catalog_demo
from souk.demo import orders as orders_demo
from souk.demo import registry as registry_demo
from souk.demo import reviews as reviews_demo
from souk.demo import sales_history as sales_history_demo
from souk.demo import shops as shops_demo
from souk.demo import support as support_demo
from souk.demo import support_assist as support_assist_demo
from souk.demo import support_help as support_help_demo

# Each seeder writes its part of the demo and returns lines to print. Later apps append theirs
# here, in dependency order (register before shops, shops before listings...).
SEEDERS: list[Callable[[], list[str]]] = [
    accounts_demo.seed,
    registry_demo.seed,
    support_demo.seed_advisors,
    shops_demo.seed,
    catalog_demo.seed,
    orders_demo.seed,
    sales_history_demo.seed,
    reviews_demo.seed,
    banking_demo.seed,
    support_demo.seed,
    support_assist_demo.seed,
    support_help_demo.seed,
]


class Command(BaseCommand):
    help = "Create or refresh the demo data (one account per role). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        lines: list[str] = []
        with transaction.atomic():
            for seeder in SEEDERS:
                lines.extend(seeder())
        for line in lines:
            self.stdout.write(line)
