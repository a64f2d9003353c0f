"""Support acts on the news of the apps below it (souk.core.events): a claim gives the artisan
an advisor and a kept path; shop and listing changes refresh the path once committed."""

from __future__ import annotations

from souk.catalog.events import ProductsChanged
from souk.catalog.models import Product
from souk.core.events import Delivery, subscribe
from souk.registry.events import EntryClaimed
from souk.shops.events import ShopShownChanged
from souk.shops.models import Shop
from souk.support import services
from souk.support.models import AssignmentReason


def follow_claimant(event: EntryClaimed) -> None:
    # Shops subscribed first (its app is installed before this one): the draft shop exists.
    entry = event.entry
    shop = Shop.objects.filter(register_entry=entry).only("pk").first()
    services.assign_artisan(
        artisan=event.owner,
        shop_id=shop.pk if shop else None,
        region_code=entry.region_id,
        sector_code=entry.trade.sector_id,
        reason=AssignmentReason.CLAIM,
    )
    services.refresh_progress(artisan_ids=[event.owner.pk])


def _owners_of_shops(shop_ids: set[int]) -> list[int]:
    return list(
        Shop.objects.filter(pk__in=shop_ids, register_entry__claimed_by__isnull=False).values_list(
            "register_entry__claimed_by_id", flat=True
        )
    )


def refresh_after_shop_change(event: ShopShownChanged) -> None:
    services.refresh_progress(artisan_ids=_owners_of_shops({event.shop_id}))


def refresh_after_products_change(event: ProductsChanged) -> None:
    shop_ids = set(
        Product.objects.filter(pk__in=event.product_ids).values_list("shop_id", flat=True)
    )
    services.refresh_progress(artisan_ids=_owners_of_shops(shop_ids))


def connect() -> None:
    subscribe(EntryClaimed, follow_claimant, delivery=Delivery.IN_TRANSACTION)
    subscribe(ShopShownChanged, refresh_after_shop_change, delivery=Delivery.ON_COMMIT)
    subscribe(ProductsChanged, refresh_after_products_change, delivery=Delivery.ON_COMMIT)
