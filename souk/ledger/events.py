"""What the ledger tells the apps above it (souk.core.events).

`EntryPosted` is published by `services.post_entry` (and by `post_pending` when a hold is
posted) inside the posting's transaction, once its transfers are written: a subscriber that
keeps figures derived from the ledger (banking's monthly roll-ups) updates them in the same
transaction, so they commit or roll back with the money. It carries plain values, not rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from souk.core.events import Event


class PostedLeg(NamedTuple):
    """One posted transfer, with what a reader needs of its two accounts.

    A named tuple, immutable like the event: a posting of a million transfers builds a million
    of them, and a frozen dataclass cost six times a tuple's construction (each field set
    through `object.__setattr__`)."""

    code: str
    debit_type: str
    # "shop:<id>" for a shop's account, "" for the platform's own accounts.
    debit_owner: str
    credit_type: str
    credit_owner: str
    amount: int
    currency: str
    reference_type: str
    reference_id: str


@dataclass(frozen=True, slots=True)
class EntryPosted(Event):
    """Money moved: the posted legs of one journal entry (never published for a replay)."""

    key: str
    code: str
    posted_at: datetime.datetime
    legs: tuple[PostedLeg, ...]
