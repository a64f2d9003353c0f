"""Hooks into other apps' news; each only calls a service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from souk.accounts.models import User
from souk.catalog.events import ProductsChanged
from souk.core.events import Delivery, subscribe
from souk.favourites import guest, selectors, services


def merge_at_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """A guest's favourites join the account's when they log in or sign up (as their cart
    does: orders.receivers.merge_cart_at_login)."""
    if request is None or not hasattr(request, "session"):
        return
    pieces, shops = guest.take_all(request.session)
    if pieces or shops:
        services.merge_guest_favourites(user=user, piece_ids=pieces, shop_ids=shops)
    # The header's count, read once here rather than on every page (guest.COUNT_KEY).
    guest.remember_account_count(request.session, selectors.get_saved_ids(user).count)


def look_at_changed_pieces(event: ProductsChanged) -> None:
    services.look_at_pieces(product_ids=event.product_ids)


def connect() -> None:
    user_logged_in.connect(merge_at_login, dispatch_uid="favourites.merge_at_login")
    # On commit: nothing is told of a price or stock change that was rolled back.
    subscribe(ProductsChanged, look_at_changed_pieces, delivery=Delivery.ON_COMMIT)
