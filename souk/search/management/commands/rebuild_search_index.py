"""Rebuild the search index from the visible products, in batches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from souk.search import services


class Command(BaseCommand):
    help = "Index every visible product again and drop the documents of the others."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=services.REBUILD_BATCH_SIZE)
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="only when the documents were built by another analysis (make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_stale"] and not services.is_index_stale():
            self.stdout.write("The search index is up to date.")
            return
        indexed = services.rebuild_index(batch_size=options["batch_size"])
        self.stdout.write(f"Indexed {indexed} products.")
