"""What the register tells the apps above it (souk.core.events)."""

from __future__ import annotations

from dataclasses import dataclass

from souk.accounts.models import User
from souk.core.events import Event
from souk.registry.models import RegisterEntry


@dataclass(frozen=True, slots=True)
class EntryClaimed(Event):
    """An artisan proved a register entry is theirs. Delivered inside the claim's transaction:
    shops opens the artisan's draft shop with it, or the claim does not happen."""

    in_transaction_only = True

    entry: RegisterEntry
    owner: User
    language: str
