"""Shops acts on the register's news (souk.registry.events)."""

from __future__ import annotations

from souk.core.events import Delivery, subscribe
from souk.registry.events import EntryClaimed
from souk.shops import services


def open_draft_shop(event: EntryClaimed) -> None:
    services.create_draft_shop(entry=event.entry, owner=event.owner, language=event.language)


def connect() -> None:
    subscribe(EntryClaimed, open_draft_shop, delivery=Delivery.IN_TRANSACTION)
