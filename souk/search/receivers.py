"""Search keeps in step with the catalog and shops by hearing their events (souk.core.events);
each handler runs once the change has committed."""

from __future__ import annotations

from souk.catalog import selectors as catalog
from souk.catalog.events import ListingPagesChanged, ProductsChanged
from souk.core.events import Delivery, subscribe
from souk.search import query_cache, tasks
from souk.shops.events import ShopShownChanged


def reindex_products(event: ProductsChanged) -> None:
    tasks.enqueue_index_products(list(event.product_ids))


def forget_listing_pages(event: ListingPagesChanged) -> None:
    query_cache.forget()


def shop_shown_changed(event: ShopShownChanged) -> None:
    query_cache.forget()
    if event.reindex:
        product_ids = catalog.list_product_ids_of_shop(shop_id=event.shop_id)
        if product_ids:
            tasks.enqueue_index_products(product_ids)


def connect() -> None:
    subscribe(ProductsChanged, reindex_products, delivery=Delivery.ON_COMMIT)
    subscribe(ListingPagesChanged, forget_listing_pages, delivery=Delivery.ON_COMMIT)
    subscribe(ShopShownChanged, shop_shown_changed, delivery=Delivery.ON_COMMIT)
