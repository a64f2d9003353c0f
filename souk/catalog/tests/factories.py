"""Listings for tests, built through the real use cases (create, photo, submit, approve)."""

from __future__ import annotations

import io
import logging
import signal
from dataclasses import replace
from typing import Any

from django.core.management import call_command

from souk.accounts.models import User
from souk.catalog import photo_services, services
from souk.catalog.models import Product, ProductVariant
from souk.catalog.services import ProductDetails, VariantDetails
from souk.registry.models import Trade
from souk.shops.models import Shop
from souk.shops.tests.factories import (
    jpeg_bytes,
    make_approved_shop,
    make_moderator,
    owner_of,
    upload,
)


def details(**fields: Any) -> ProductDetails:
    """A pottery tagine described in French, 450 MAD, 3 in stock."""
    base = ProductDetails(
        trade=Trade.objects.get(code="S01-T02"),
        title_ar="",
        title_fr="Tajine de Safi",
        title_en="",
        title_es="",
        description_ar="",
        description_fr="Un tajine tourné à la main et émaillé.",
        description_en="",
        description_es="",
        materials="argile",
        techniques="tour",
        region=None,
        length_mm=300,
        width_mm=300,
        height_mm=250,
        weight_grams=1800,
        price_amount=45_000,
        stock_quantity=3,
        is_made_to_order=False,
        lead_time_days=None,
        hs_code="",
        maker=None,
    )
    return replace(base, **fields)


def make_draft_product(*, shop: Shop | None = None, photo: bool = True, **fields: Any) -> Product:
    shop = shop or make_approved_shop()
    owner = owner_of(shop)
    product = services.create_product(shop=shop, actor=owner, details=details(**fields))
    if photo:
        photo_services.add_product_photo(
            product=product, actor=owner, upload=upload("a.jpg", jpeg_bytes())
        )
    return Product.objects.get(pk=product.pk)


def make_active_product(
    *, shop: Shop | None = None, moderator: User | None = None, **fields: Any
) -> Product:
    product = make_draft_product(shop=shop, **fields)
    services.submit_product(product=product, actor=owner_of(product.shop))
    return services.moderate_product(
        product=product, moderator=moderator or make_moderator(), action="approve"
    )


def make_variant(product: Product, **fields: Any) -> ProductVariant:
    """A variant added by the shop's owner: "Large - blue", 520 MAD, 2 in stock."""
    base = VariantDetails(
        label_ar="",
        label_fr="Grand / bleu",
        label_en="Large / blue",
        label_es="",
        sku=f"SKU-{product.variants.count() + 1}",
        price_amount=52_000,
        stock_quantity=2,
    )
    return services.add_variant(
        product=product, actor=owner_of(product.shop), details=replace(base, **fields)
    )


def run_worker() -> None:
    """Run the queued tasks the way `manage.py db_worker` does, then restore what it changed."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
