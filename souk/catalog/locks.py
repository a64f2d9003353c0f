"""Row locks taken by the catalog's use cases (select_for_update querysets, nothing else)."""

from __future__ import annotations

from django.db.models import QuerySet

from souk.catalog.models import Product


def product_for_update(product_id: int) -> QuerySet[Product]:
    """The product row: one change at a time (status moves, photo count and order)."""
    return Product.objects.select_for_update().filter(pk=product_id)
