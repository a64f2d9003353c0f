"""Hooks into other apps' events; each only calls a service."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
    if guest_cart_id is not None:
        services.merge_guest_cart(guest_cart_id=guest_cart_id, user=user)
