"""Whether a listing is on sale and how many pieces of it can be bought: the one rule.

On sale: the listing is ACTIVE and its shop APPROVED (`on_sale`, a query filter). Pieces: a
made-to-order listing has no limit; otherwise what is in stock, of the chosen variant when
the listing is sold by variant (its own stock is then not sold). Search, the product page,
the cart and checkout ask here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from souk.catalog.models import Product, ProductStatus, ProductVariant
from souk.shops.models import ShopStatus


def listing_on_sale() -> Q:
    """The listing's own half of `on_sale` (its status): for a conditional UPDATE of its row,
    where a join to the shop would read a snapshot (see orders' checkout)."""
    return Q(status=ProductStatus.ACTIVE)


def on_sale() -> Q:
    """Listings buyers may see and buy, as a query filter: ACTIVE, in an APPROVED shop."""
    return listing_on_sale() & Q(shop__status=ShopStatus.APPROVED)


def units_available(product: Product, variant: ProductVariant | None = None) -> int | None:
    """How many pieces can be bought now: None (no limit) when made to order, else the stock of
    `variant`, or of the listing when it is sold as one piece."""
    if product.is_made_to_order:
        return None
    return variant.stock_quantity if variant is not None else product.stock_quantity


def is_in_stock(product: Product, active_variants: Sequence[ProductVariant]) -> bool:
    """Ready to ship: not made to order, and a piece in stock (of a variant on sale, when the
    listing has `active_variants`)."""
    if product.is_made_to_order:
        return False
    if active_variants:
        return any(variant.stock_quantity > 0 for variant in active_variants)
    return product.stock_quantity > 0


def is_buyable(product: Product, active_variants: Sequence[ProductVariant]) -> bool:
    """A piece can be ordered now: made to order, or in stock."""
    return product.is_made_to_order or is_in_stock(product, active_variants)
