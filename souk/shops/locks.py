"""Row locks taken by the shops' use cases (select_for_update querysets, nothing else)."""

from __future__ import annotations

from django.db.models import QuerySet

from souk.shops.models import Shop


def shop_for_update(shop_id: int) -> QuerySet[Shop]:
    """The shop row: one change at a time (status moves, photo count, member list)."""
    return Shop.objects.select_for_update().filter(pk=shop_id)
