"""Background work of the search: keeping the index in step with the catalog."""

from __future__ import annotations

from django_tasks import task

from souk.search import query_cache, services


@task()
def index_products(product_ids: list[int]) -> int:
    """Re-index these products (visible ones indexed, others removed); returns how many are
    indexed. No retry: the next change or `rebuild_search_index` brings them up to date."""
    return services.index_products(product_ids=product_ids)[0]


def enqueue_index_products(product_ids: list[int]) -> None:
    """Queue the re-indexing of these products; called from transaction.on_commit. Listing
    pages kept in the cache are not shown again from now, before the task runs: a paused
    listing leaves them at once."""
    query_cache.forget()
    index_products.enqueue(product_ids)
