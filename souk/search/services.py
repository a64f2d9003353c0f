"""Writes to the search index: index what is visible, drop what is not."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from souk.catalog import selectors as catalog
from souk.search.analysis import ANALYSIS_VERSION
from souk.search.backends import get_backend
from souk.search.models import IndexVersion, SearchDocument

REBUILD_BATCH_SIZE = 500


def index_products(*, product_ids: Iterable[int]) -> tuple[int, int]:
    """Bring the documents of these products up to date: the visible ones (re)indexed, the
    others removed. Returns (indexed, removed) counts; unknown ids count as removed."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0, 0
    backend = get_backend()
    with transaction.atomic():
        visible = list(
            catalog.list_visible_products()
            .filter(pk__in=ids)
            .select_related("trade__sector")
            .prefetch_related(None)
            .prefetch_related("variants")
            .order_by("pk")
        )
        visible_ids = {product.pk for product in visible}
        hidden = [product_id for product_id in ids if product_id not in visible_ids]
        backend.index(visible)
        backend.remove(hidden)
    return len(visible), len(hidden)


def rebuild_index(*, batch_size: int = REBUILD_BATCH_SIZE) -> int:
    """Index every visible product again in batches of `batch_size` ids, and drop documents of
    products no longer visible. Returns how many products are indexed."""
    indexed = 0
    last_id = 0
    while True:
        batch = list(
            catalog.list_visible_products()
            .filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            break
        indexed += index_products(product_ids=batch)[0]
        last_id = batch[-1]
    stale = SearchDocument.objects.exclude(
        pk__in=catalog.list_visible_products().order_by().values("pk")
    )
    get_backend().remove(list(stale.values_list("pk", flat=True)))
    IndexVersion.objects.update_or_create(
        pk=1, defaults={"analysis_version": ANALYSIS_VERSION}, create_defaults={"token": ""}
    )
    return indexed


def is_index_stale() -> bool:
    """Whether the documents were built by another analysis than this code's (or never)."""
    stored = IndexVersion.objects.filter(pk=1).values_list("analysis_version", flat=True).first()
    return stored != ANALYSIS_VERSION
