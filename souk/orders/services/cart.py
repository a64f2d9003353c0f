"""Carts: add, change, remove, accept changed prices, merge a guest's cart at login.

A cart item remembers the price the buyer saw. When a listing's price changes or it stops being
sold, the cart page says so (selectors.get_cart_view) and checkout refuses until the buyer has
looked (accept_cart_changes); nothing changes silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog import availability
from souk.catalog import selectors as catalog
from souk.catalog.models import Product, ProductVariant
from souk.orders.errors import (
    InsufficientStock,
    InvalidQuantity,
    ProductUnavailable,
    VariantRequired,
)
from souk.orders.models import Cart, CartItem

MAX_QUANTITY = 99


def get_or_create_cart(*, user: User | None, cart_id: int | None) -> Cart:
    """The signed-in buyer's cart, or the guest cart `cart_id` (a new one if it is gone)."""
    if user is not None:
        cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    if cart_id is not None:
        guest_cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first()
        if guest_cart is not None:
            return guest_cart
    return Cart.objects.create()


def _check_quantity(product: Product, variant: ProductVariant | None, quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity()
    available = availability.units_available(product, variant)
    if available is not None and quantity > available:
        raise InsufficientStock(detail={"available": available})


def _sellable(product_id: int, variant_id: int | None) -> tuple[Product, ProductVariant | None]:
    """The listing on sale and its chosen active variant; a product with active variants is
    only sold by variant."""
    try:
        product = catalog.get_visible_product(product_id=product_id)
    except Product.DoesNotExist as error:
        raise ProductUnavailable() from error
    variants = {variant.pk: variant for variant in catalog.list_active_variants(product)}
    if not variants:
        if variant_id is not None:
            raise ProductUnavailable()
        return product, None
    if variant_id is None:
        raise VariantRequired()
    variant = variants.get(variant_id)
    if variant is None:
        raise ProductUnavailable()
    return product, variant


@transaction.atomic
def add_to_cart(
    *, cart: Cart, product_id: int, quantity: int = 1, variant_id: int | None = None
) -> CartItem:
    """Add `quantity` of a listing on sale (on top of what the cart has), within its stock.

    A product with active variants needs `variant_id` (VariantRequired otherwise); its price
    and stock are the variant's. The price seen is the current one; adding again updates it,
    since the buyer sees it now."""
    product, variant = _sellable(product_id, variant_id)
    price_amount = variant.price_amount if variant is not None else product.price_amount
    item = CartItem.objects.filter(cart=cart, product=product, variant=variant).first()
    wanted = quantity + (item.quantity if item else 0)
    _check_quantity(product, variant, wanted)
    if item is None:
        try:
            with transaction.atomic():
                item = CartItem.objects.create(
                    cart=cart,
                    product=product,
                    variant=variant,
                    quantity=wanted,
                    seen_price_amount=price_amount,
                )
        except IntegrityError:
            # The same item added at the same moment by another request (a double-click).
            item = CartItem.objects.get(cart=cart, product=product, variant=variant)
    else:
        item.quantity = wanted
        item.seen_price_amount = price_amount
        item.save(update_fields=["quantity", "seen_price_amount"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def set_cart_quantity(
    *, cart: Cart, product_id: int, quantity: int, variant_id: int | None = None
) -> CartItem | None:
    """Set an item's quantity; 0 removes it. The price seen does not change."""
    item = CartItem.objects.filter(cart=cart, product_id=product_id, variant_id=variant_id).first()
    if item is None:
        return None
    if quantity == 0:
        item.delete()
        return None
    product, variant = _sellable(product_id, variant_id)
    _check_quantity(product, variant, quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def remove_from_cart(*, cart: Cart, product_id: int, variant_id: int | None = None) -> None:
    CartItem.objects.filter(cart=cart, product_id=product_id, variant_id=variant_id).delete()


@transaction.atomic
def accept_cart_changes(*, cart: Cart) -> None:
    """The buyer has seen the cart: take today's prices, drop listings no longer on sale, and
    lower quantities to what is left in stock."""
    visible = {
        product.pk: product
        for product in catalog.list_visible_products().filter(
            pk__in=cart.items.values("product_id")
        )
    }
    variants = {
        variant.pk: variant
        for variant in ProductVariant.objects.filter(product_id__in=list(visible), is_active=True)
    }
    sold_by_variant = {variant.product_id for variant in variants.values()}
    for item in cart.items.select_related("product"):
        product = visible.get(item.product_id)
        variant = variants.get(item.variant_id) if item.variant_id is not None else None
        # Gone: the listing, its variant, or no variant chosen for a listing now sold by variant.
        if product is None or (
            variant is None if item.variant_id is not None else item.product_id in sold_by_variant
        ):
            item.delete()
            continue
        available = availability.units_available(product, variant)
        if available == 0:
            item.delete()
            continue
        item.seen_price_amount = (variant or product).price_amount
        if available is not None:
            item.quantity = min(item.quantity, available)
        item.save(update_fields=["seen_price_amount", "quantity"])


@dataclass(frozen=True)
class MergedItem:
    """A piece that was in both carts, and the quantity the merged cart keeps of it."""

    product: Product
    variant: ProductVariant | None
    quantity: int


@dataclass(frozen=True)
class CartMerge:
    """What a login did to the account's cart, for the page to tell the buyer."""

    cart: Cart
    # The account's cart already held something: the buyer sees more than they just added.
    had_account_items: bool
    in_both: list[MergedItem] = field(default_factory=list)


@transaction.atomic
def merge_guest_cart(*, guest_cart_id: int | None, user: User) -> CartMerge:
    """Move a guest cart's items into `user`'s cart at login, then delete the guest cart.

    A piece in both carts is counted once: the larger of the two quantities, lowered to what
    is in stock (never their sum, which paid an order twice over: most pieces are one of a
    kind). The older price seen is kept, so a change since then is still shown."""
    cart, _created = Cart.objects.get_or_create(user=user)
    guest = (
        Cart.objects.filter(pk=guest_cart_id, user__isnull=True).first() if guest_cart_id else None
    )
    if guest is None or guest.pk == cart.pk:
        return CartMerge(cart=cart, had_account_items=False)
    had_account_items = cart.items.exists()
    in_both: list[MergedItem] = []
    for item in guest.items.select_related("product", "variant"):
        existing = CartItem.objects.filter(
            cart=cart, product_id=item.product_id, variant_id=item.variant_id
        ).first()
        if existing is None:
            item.cart = cart
            item.save(update_fields=["cart"])
            continue
        quantity = min(max(existing.quantity, item.quantity), MAX_QUANTITY)
        available = availability.units_available(item.product, item.variant)
        if available is not None:
            quantity = max(min(quantity, available), 1)
        existing.quantity = quantity
        if item.added_at < existing.added_at:
            existing.seen_price_amount = item.seen_price_amount
        existing.save(update_fields=["quantity", "seen_price_amount"])
        in_both.append(MergedItem(product=item.product, variant=item.variant, quantity=quantity))
    guest.delete()
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return CartMerge(cart=cart, had_account_items=had_account_items, in_both=in_both)
