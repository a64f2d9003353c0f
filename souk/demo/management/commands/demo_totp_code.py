"""Print the current second-factor code of the demo staff accounts (souk/demo/accounts.py)."""

from __future__ import annotations

from typing import Any

import pyotp
from django.core.management.base import BaseCommand

from souk.demo.accounts import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current code of the demo staff's authenticator (demo data only)."

    def handle(self, *args: Any, **options: Any) -> None:
        totp = pyotp.TOTP(DEMO_TOTP_SECRET)
        self.stdout.write(totp.now())
