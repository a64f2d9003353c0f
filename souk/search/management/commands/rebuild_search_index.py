"""Rebuild the search index from the visible products, in batches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from souk.search import services


class Command(BaseCommand):
    help = "Index every visible product again and drop the documents of the others."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=services.REBUILD_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        indexed = services.rebuild_index(batch_size=options["batch_size"])
        self.stdout.write(f"Indexed {indexed} products.")
