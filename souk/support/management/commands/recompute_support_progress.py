"""`manage.py recompute_support_progress`: the nightly batch, run now."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from souk.support import services


class Command(BaseCommand):
    help = "Recompute every artisan's milestones and the programme funnel's counts."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = services.recompute_all_progress()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{count} artisans recomputed in {elapsed:.1f} s")
