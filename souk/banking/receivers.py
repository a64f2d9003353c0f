"""Banking keeps its monthly figures in step with the ledger by hearing its postings, inside
the posting's transaction (souk.core.events)."""

from __future__ import annotations

from souk.banking import rollups
from souk.core.events import Delivery, subscribe
from souk.ledger.events import EntryPosted


def connect() -> None:
    subscribe(EntryPosted, rollups.record_entry, delivery=Delivery.IN_TRANSACTION)
