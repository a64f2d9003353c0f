"""Banking hears the ledger's postings inside the posting's transaction (souk.core.events):
an advance's share is withheld from each release first (it posts through the ledger, whose
accounts come before banking's rows in the lock order), then the monthly figures are kept."""

from __future__ import annotations

from souk.banking import advances, rollups
from souk.core.events import Delivery, subscribe
from souk.ledger.events import EntryPosted


def connect() -> None:
    subscribe(EntryPosted, advances.withhold_on_release, delivery=Delivery.IN_TRANSACTION)
    subscribe(EntryPosted, rollups.record_entry, delivery=Delivery.IN_TRANSACTION)
