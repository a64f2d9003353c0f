"""`manage.py send_support_texts`: the appointment reminders and the nudges, run now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from souk.support import help, nudges


class Command(BaseCommand):
    help = "Remind artisans of tomorrow's appointments and nudge those stuck at a milestone."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = help.send_reminders()
        run = nudges.send_nudges()
        self.stdout.write(
            f"{reminded} reminders sent; {run.sent} nudges sent, {run.advisors_told} advisors told"
        )
