"""Carts: add, change, remove, accept changed prices, merge a guest's cart at login.

A cart item remembers the price the buyer saw. When a listing's price changes or it stops being
sold, the cart page says so (selectors.get_cart_view) and checkout refuses until the buyer has
looked (accept_cart_changes); nothing changes silently.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog import selectors as catalog
from souk.catalog.models import Product
from souk.orders.errors import InsufficientStock, InvalidQuantity, ProductUnavailable
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


def _check_quantity(product: Product, quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity()
    if not product.is_made_to_order and quantity > product.stock_quantity:
        raise InsufficientStock(detail={"available": product.stock_quantity})


def _sellable(product_id: int) -> Product:
    try:
        return catalog.get_visible_product(product_id=product_id)
    except Product.DoesNotExist as error:
        raise ProductUnavailable() from error


@transaction.atomic
def add_to_cart(*, cart: Cart, product_id: int, quantity: int = 1) -> CartItem:
    """Add `quantity` of a listing on sale (on top of what the cart has), within its stock.

    The price seen is the current one; adding again updates it, since the buyer sees it now."""
    product = _sellable(product_id)
    item = CartItem.objects.filter(cart=cart, product=product).first()
    wanted = quantity + (item.quantity if item else 0)
    _check_quantity(product, wanted)
    if item is None:
        try:
            with transaction.atomic():
                item = CartItem.objects.create(
                    cart=cart,
                    product=product,
                    quantity=wanted,
                    seen_price_amount=product.price_amount,
                )
        except IntegrityError:
            # The same item added at the same moment by another request (a double-click).
            item = CartItem.objects.get(cart=cart, product=product)
    else:
        item.quantity = wanted
        item.seen_price_amount = product.price_amount
        item.save(update_fields=["quantity", "seen_price_amount"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def set_cart_quantity(*, cart: Cart, product_id: int, quantity: int) -> CartItem | None:
    """Set an item's quantity; 0 removes it. The price seen does not change."""
    item = CartItem.objects.filter(cart=cart, product_id=product_id).first()
    if item is None:
        return None
    if quantity == 0:
        item.delete()
        return None
    _check_quantity(_sellable(product_id), quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def remove_from_cart(*, cart: Cart, product_id: int) -> None:
    CartItem.objects.filter(cart=cart, product_id=product_id).delete()


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
    for item in cart.items.select_related("product"):
        product = visible.get(item.product_id)
        if product is None or (not product.is_made_to_order and product.stock_quantity == 0):
            item.delete()
            continue
        item.seen_price_amount = product.price_amount
        if not product.is_made_to_order:
            item.quantity = min(item.quantity, product.stock_quantity)
        item.save(update_fields=["seen_price_amount", "quantity"])


@transaction.atomic
def merge_guest_cart(*, guest_cart_id: int | None, user: User) -> Cart:
    """Move a guest cart's items into `user`'s cart at login, then delete the guest cart.

    Quantities of the same listing add up, within MAX_QUANTITY (stock is checked at checkout,
    which says so); the older price seen is kept, so a change since then is still shown."""
    cart, _created = Cart.objects.get_or_create(user=user)
    guest = (
        Cart.objects.filter(pk=guest_cart_id, user__isnull=True).first() if guest_cart_id else None
    )
    if guest is None or guest.pk == cart.pk:
        return cart
    for item in guest.items.all():
        existing = CartItem.objects.filter(cart=cart, product_id=item.product_id).first()
        if existing is None:
            item.cart = cart
            item.save(update_fields=["cart"])
            continue
        existing.quantity = min(existing.quantity + item.quantity, MAX_QUANTITY)
        if item.added_at < existing.added_at:
            existing.seen_price_amount = item.seen_price_amount
        existing.save(update_fields=["quantity", "seen_price_amount"])
    guest.delete()
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return cart
