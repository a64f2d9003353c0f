"""Hooks into other apps' events; each only calls a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from souk.accounts.models import User
from souk.orders import services

CART_SESSION_KEY = "cart_id"


def merge_cart_at_login(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """A guest's cart joins the account's cart when they log in (or sign up)."""
    if request is None or not hasattr(request, "session"):
        return
    guest_cart_id = request.session.pop(CART_SESSION_KEY, None)
    if guest_cart_id is None:
        return
    merge = services.merge_guest_cart(guest_cart_id=guest_cart_id, user=user)
    if not merge.had_account_items:
        return
    # The buyer sees more in the cart than they just added: say where it came from and what
    # was counted once, before they pay for it.
    if merge.in_both:
        pieces = ", ".join(
            f"{item.product.title}{' - ' + item.variant.label if item.variant else ''}"
            f" ({item.quantity})"
            for item in merge.in_both
        )
        text = _(
            "Your cart now also holds what you had left in it on an earlier visit. "
            "Pieces in both carts were counted once: %(pieces)s. "
            "Please check the cart before paying."
        ) % {"pieces": pieces}
    else:
        text = _(
            "Your cart now also holds what you had left in it on an earlier visit. "
            "Please check the cart before paying."
        )
    if hasattr(request, "_messages"):
        messages.info(request, text)
