"""The listing coach (docs/support.md): concrete advice per listing, computed from the listing
itself, shown to the artisan on the listing's page and to the advisor for the portfolio.

Each check is one rule with one action. The usual price of a trade is the interquartile range
of its listings on sale, kept in the cache for an hour (a trade's prices move slowly; reading
every price of a trade per page would not).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product, ProductPhoto, ProductStatus

MIN_PHOTOS = 3
MIN_PHOTO_PIXELS = 800
MIN_TITLE_CHARACTERS = 15
# Far from usual: under half the trade's first quartile, or over twice its third.
PRICE_FACTOR = 2
MIN_LISTINGS_FOR_A_RANGE = 8
RANGE_CACHE_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class Advice:
    code: str
    message: str | Promise


def _titles(product: Product) -> list[str]:
    return [
        t for t in (product.title_ar, product.title_fr, product.title_en, product.title_es) if t
    ]


def usual_price_range(trade_id: str) -> tuple[int, int] | None:
    """The trade's first and third quartile of prices on sale (centimes), or None when too few
    listings say what usual is."""
    key = f"support:price-range:{trade_id}"
    cached = cache.get(key)
    if cached is not None:
        return (cached[0], cached[1]) if cached else None
    prices = Product.objects.filter(trade_id=trade_id, status=ProductStatus.ACTIVE).order_by(
        "price_amount"
    )
    count = prices.count()
    found: tuple[int, int] | None = None
    if count >= MIN_LISTINGS_FOR_A_RANGE:
        low = prices.values_list("price_amount", flat=True)[count // 4]
        high = prices.values_list("price_amount", flat=True)[(3 * count) // 4]
        found = (low, high)
    cache.set(key, list(found) if found else [], RANGE_CACHE_SECONDS)
    return found


def advise(product: Product) -> list[Advice]:
    """What to improve on this listing; an empty list when nothing is wrong. Reads the
    product's photos (prefetch them for many)."""
    advice: list[Advice] = []
    photos = list(product.photos.all())
    if len(photos) < MIN_PHOTOS:
        advice.append(
            Advice(
                "few_photos",
                _("Add photos: at least three (front, back, a detail or the piece in use)."),
            )
        )
    if any(max(photo.width, photo.height) < MIN_PHOTO_PIXELS for photo in photos):
        advice.append(
            Advice(
                "small_photo",
                _("A photo is smaller than 800 pixels: take it again closer, in daylight."),
            )
        )
    titles = _titles(product)
    if not titles or max(len(title) for title in titles) < MIN_TITLE_CHARACTERS:
        advice.append(
            Advice(
                "short_title",
                _("Give a longer title: what the piece is, its material, its colour or size."),
            )
        )
    if not product.description_fr or not product.description_en:
        advice.append(
            Advice(
                "no_description_abroad",
                _("Describe the piece in French and in English, for buyers abroad."),
            )
        )
    if product.weight_grams is None or None in (
        product.length_mm,
        product.width_mm,
        product.height_mm,
    ):
        advice.append(
            Advice(
                "no_weight_or_size",
                _("Give the weight and size: without them buyers abroad get no shipping quote."),
            )
        )
    usual = usual_price_range(product.trade_id)
    if usual is not None:
        low, high = usual
        if product.price_amount * PRICE_FACTOR < low or product.price_amount > high * PRICE_FACTOR:
            advice.append(
                Advice(
                    "unusual_price",
                    _("The price is far from what this craft usually sells for: check it."),
                )
            )
    return advice


def advise_shop(shop_id: int) -> list[tuple[Product, list[Advice]]]:
    """Every listing of a shop that has something to improve, for the advisor (the photos
    fetched in one query)."""
    products = (
        Product.objects.filter(shop_id=shop_id)
        .exclude(status=ProductStatus.SUSPENDED)
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ProductPhoto.objects.only("id", "product_id", "width", "height"),
            )
        )
        .order_by("pk")
    )
    found = [(product, advise(product)) for product in products]
    return [(product, advice) for product, advice in found if advice]
