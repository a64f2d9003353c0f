"""Reads about products, for the pages here and for other apps (the shop page lists them).

Visibility has one definition, list_visible_products: ACTIVE products of APPROVED shops. Every
public page and anything that sells goes through it or get_visible_product.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import get_language, get_language_info

from souk.accounts.models import User
from souk.catalog import availability
from souk.catalog.models import (
    PRODUCT_MACHINE,
    Product,
    ProductPhoto,
    ProductStatus,
    ProductVariant,
)
from souk.core import fx
from souk.core.machine import Actor, Transition
from souk.core.models import ExchangeRate
from souk.core.money import Money
from souk.core.prepared import PreparedQuery
from souk.core.translation import pick_translation
from souk.registry.models import Trade
from souk.shops import selectors as shop_selectors
from souk.shops.models import MemberRole, Shop, ShopMember, ShopPhoto, ShopStatus

MODERATE_PERMISSION = "accounts.moderate_content"
OTHER_WORKS_COUNT = 4
FEATURED_SHOPS_COUNT = 6


def _ordered_photos() -> Prefetch[str]:
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"))


def list_visible_products() -> QuerySet[Product]:
    """Products buyers may see and buy: on sale, in an approved shop. Newest first."""
    return (
        Product.objects.filter(availability.on_sale())
        .select_related("shop", "region")
        .prefetch_related(_ordered_photos())
        .order_by("-published_at", "-id")
    )


# What a product card (catalog/_card.html) reads of a product, besides its photos.
CARD_FIELDS = (
    "id",
    "title_ar",
    "title_fr",
    "title_en",
    "title_es",
    "price_amount",
    "rating_count",
    "rating_stars",
)


def list_cards() -> QuerySet[Product]:
    """Visible products as their cards show them: the card's columns and photos only."""
    return list_visible_products().select_related(None).only(*CARD_FIELDS)


def get_visible_product(*, product_id: int) -> Product:
    """A visible product with its photos, shop, trade and region; raises
    Product.DoesNotExist otherwise."""
    return (
        list_visible_products().select_related("shop__region", "trade__sector").get(pk=product_id)
    )


# The product page's listing query, compiled once per process (souk.core.prepared).
_PRODUCT_FOR_PAGE = PreparedQuery[Product](
    lambda product_id: (
        list_visible_products()
        .select_related("shop__region", "trade__sector")
        .prefetch_related(None)
        .filter(pk=product_id)
        .order_by()
    )
)


def get_product_for_page(*, product_id: int) -> Product:
    """A visible product with its shop, trade and region, joined in the same one query (its
    photos are read apart, list_page_photos_and_other_works, only when the page's cache lacks
    them); raises Product.DoesNotExist otherwise."""
    found = _PRODUCT_FOR_PAGE.list(product_id)
    if not found:
        raise Product.DoesNotExist("No visible product with this id.")
    return found[0]


def get_shown_maker(product: Product) -> str:
    """Who made the piece, as its page says it ("" when the shop did not say)."""
    if product.maker_id is None:
        return ""
    maker = ShopMember.objects.select_related("shop__register_entry").get(pk=product.maker_id)
    return shop_selectors.display_maker(maker)


def list_other_works(product: Product) -> list[Product]:
    """Up to OTHER_WORKS_COUNT other visible products of the same shop, newest first."""
    return list(
        list_cards().filter(shop_id=product.shop_id).exclude(pk=product.pk)[:OTHER_WORKS_COUNT]
    )


# The other works of a product page, compiled once per process (souk.core.prepared).
_OTHER_WORKS = PreparedQuery[Product](
    lambda shop_id, product_id: (
        list_cards()
        .prefetch_related(None)
        .filter(shop_id=shop_id)
        .exclude(pk=product_id)[:OTHER_WORKS_COUNT]
    ),
    values=2,
)


def list_page_photos_and_other_works(
    product: Product,
) -> tuple[list[ProductPhoto], list[Product]]:
    """list_page_photos and list_other_works (their cards' photos prefetched), in two
    statements rather than three: the photos of the product and of the other works are read in
    one, for a page made afresh, which shows both."""
    others = _OTHER_WORKS.list(product.shop_id, product.pk)
    prefetch_related_objects([product, *others], _ordered_photos())
    return list(product.photos.all()), others


def list_featured_shops(*, limit: int = FEATURED_SHOPS_COUNT) -> list[Shop]:
    """Approved shops with a work on sale: trusted ones first, then the latest approved.

    No count of listings: an EXISTS per shop on the (shop, status) index stays cheap at a
    million listings. Two queries (shops, their first photos)."""
    on_sale = Product.objects.filter(availability.listing_on_sale(), shop=OuterRef("pk"))
    return list(
        Shop.objects.filter(Exists(on_sale), status=ShopStatus.APPROVED)
        .select_related("region", "register_entry__trade__sector")
        .prefetch_related(Prefetch("photos", queryset=ShopPhoto.objects.order_by("position", "id")))
        .order_by("-is_trusted", "-approved_at", "id")[:limit]
    )


def get_managed_product(*, user: User, shop_id: int, product_id: int) -> Product:
    """The product if it is of shop `shop_id` and `user` manages that shop; raises
    Product.DoesNotExist otherwise, so another shop's listing is never revealed."""
    return (
        Product.objects.filter(
            shop_id=shop_id,
            shop__members__user=user,
            shop__members__role=MemberRole.MANAGER,
        )
        .select_related("shop__register_entry", "trade", "region", "maker")
        .prefetch_related(_ordered_photos())
        .get(pk=product_id)
    )


def list_product_ids_of_shop(*, shop_id: int) -> list[int]:
    """Every listing of a shop, whatever its status (what search indexes again when the shop
    changes)."""
    return list(Product.objects.filter(shop_id=shop_id).order_by("pk").values_list("pk", flat=True))


def list_managed_products(shop: Shop) -> QuerySet[Product]:
    """The shop's listings for its artisan: every status, newest first, with a photo count."""
    return (
        Product.objects.filter(shop=shop)
        .select_related("trade")
        .annotate(photo_count=Count("photos"))
        .order_by("-created_at", "-id")
    )


def list_goods_trades(shop: Shop) -> QuerySet[Trade]:
    """The trades a shop may list under: its sector's active trades that sell goods."""
    return Trade.objects.filter(
        sector_id=shop.register_entry.trade.sector_id, sells_goods=True, is_active=True
    ).order_by("code")


def list_makers(shop: Shop) -> QuerySet[ShopMember]:
    return ShopMember.objects.filter(shop=shop).order_by("public_name", "id")


def list_products_for_moderation(*, status: str, shop_id: int | None = None) -> QuerySet[Product]:
    """Products in `status` (of one shop when `shop_id` is given), the longest waiting first."""
    products = Product.objects.filter(status=status)
    if shop_id is not None:
        products = products.filter(shop_id=shop_id)
    return (
        products.select_related("shop", "trade")
        .prefetch_related(_ordered_photos())
        .order_by("status_changed_at", "id")
    )


def list_moderator_transitions(*, status: str) -> list[Transition]:
    """The moderator's decisions on a listing in `status`, the usual one first."""
    return PRODUCT_MACHINE.allowed(status, Actor.MODERATOR)


@dataclass(frozen=True, slots=True)
class ShownText:
    """A product's title and description in the visitor's language, or the first fallback."""

    title: str
    description: str
    language: str
    language_name: str
    is_in_visitor_language: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"


def get_shown_text(product: Product) -> ShownText:
    """The first language of FALLBACK_ORDER with a title; its description goes with it, so a
    page never mixes two languages (the service requires one pair at least)."""
    title, language = pick_translation(product, "title")
    visitor_language = (get_language() or "fr")[:2]
    description = getattr(product, f"description_{language}", "") if language else ""
    name = str(get_language_info(language)["name_translated"]) if language else ""
    return ShownText(
        title=title,
        description=description,
        language=language,
        language_name=name,
        is_in_visitor_language=language == visitor_language,
    )


@dataclass(frozen=True, slots=True)
class ShownPrice:
    price: Money
    # The indicative conversion into the visitor's currency, when it is not MAD and a rate exists.
    estimate: fx.Conversion | None


def get_shown_price(product: Product, *, currency: str) -> ShownPrice:
    return _shown(Money(product.price_amount, product.currency), currency=currency)


def _shown(price: Money, *, currency: str) -> ShownPrice:
    estimate = None
    if currency != price.currency:
        try:
            estimate = fx.convert_from_mad(price, currency=currency)
        except fx.RateUnavailable:
            estimate = None
    return ShownPrice(price=price, estimate=estimate)


# A product's variants on sale, compiled once per process (souk.core.prepared).
_ACTIVE_VARIANTS = PreparedQuery[ProductVariant](
    lambda product_id: ProductVariant.objects.filter(
        product_id=product_id, is_active=True
    ).order_by("position", "id")
)


def list_active_variants(product: Product) -> list[ProductVariant]:
    """The variants a buyer may choose, in the artisan's order (empty: sold as one piece)."""
    variants = _ACTIVE_VARIANTS.list(product.pk)
    for variant in variants:
        # As product.variants would give them: their product is the one already loaded.
        ProductVariant.product.field.set_cached_value(variant, product)
    return variants


def list_managed_variants(product: Product) -> list[ProductVariant]:
    """Every variant of the product for its artisan, those off sale included."""
    return list(product.variants.order_by("-is_active", "position", "id"))


def get_shown_variant_price(
    product: Product, variants: list[ProductVariant], *, currency: str
) -> ShownPrice:
    """The lowest variant price ("from ..."), shown like the product's own price."""
    cheapest = min(variants, key=lambda variant: variant.price_amount)
    return _shown(Money(cheapest.price_amount, product.currency), currency=currency)


def get_page_state(*, product_id: int, currency: str, also: str = "") -> str | None:
    """What the product's page shows that changes without a new search index version: the
    listing's status, slug, price, stock and time to make, its shop's status, its variants and,
    for a price shown in another currency, the latest rate. None when the page is not public.
    One query (two with a rate): read on every request by the kept page (souk.core.pagecache).

    `also`, a scalar subquery of ours without parameters (the search index version), is read in
    the same statement and put before the state, with a colon ("" when it finds no row)."""
    product, variant, shop = Product._meta, ProductVariant._meta, Shop._meta
    extra = f", ({also})" if also else ""
    sql = (
        "SELECT p.status, p.price_amount, p.stock_quantity, p.is_made_to_order, "  # noqa: S608  (our table names)
        "p.lead_time_days, p.updated_at, s.status, v.id, v.price_amount, v.stock_quantity, "
        f"v.is_active, v.position, v.label_ar, v.label_fr, v.label_en, v.label_es{extra} "
        f"FROM {product.db_table} p JOIN {shop.db_table} s ON s.id = p.shop_id "
        f"LEFT JOIN {variant.db_table} v ON v.product_id = p.id WHERE p.id = %s ORDER BY v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [product_id])
        rows = cursor.fetchall()
        if not rows or rows[0][0] != ProductStatus.ACTIVE or rows[0][6] != ShopStatus.APPROVED:
            return None
        prefix = ""
        if also:
            found = rows[0][16]
            prefix = f"{'' if found is None else found}:"
            rows = [row[:16] for row in rows]
        rate = ""
        if currency != "MAD":
            cursor.execute(
                f"SELECT MAX(id) FROM {ExchangeRate._meta.db_table} WHERE currency = %s",  # noqa: S608
                [currency],
            )
            rate = str(cursor.fetchone()[0])
    return f"{prefix}{hashlib.sha256(repr(rows).encode()).hexdigest()[:24]}:{rate}"
