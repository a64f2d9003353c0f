"""What shops tell the apps above them (souk.core.events)."""

from __future__ import annotations

from dataclasses import dataclass

from souk.core.events import Event


@dataclass(frozen=True, slots=True)
class ShopShownChanged(Event):
    """What a shop's listings show of the shop changed: its name or status (`reindex`: its
    listings are indexed again) or its story or badge (cached pages only)."""

    shop_id: int
    reindex: bool
