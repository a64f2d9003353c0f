"""Use cases of favourites: save and remove a piece or shop, merge a guest's at login, choose
the notices, and look at saved pieces again when the catalog says they changed.

A guest's favourites are kept in their session (guest.py); everything here is for accounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog import availability
from souk.catalog.models import Product, ProductVariant
from souk.favourites import locks, notices, selectors
from souk.favourites.errors import NotSaveable, TooManyFavourites
from souk.favourites.models import Favourite, NoticeKind, NoticeOptOut, WatchedPiece
from souk.shops.models import Shop, ShopStatus

ACCOUNT_LIMIT = 1000
KINDS = ("piece", "shop")


def _target(kind: str, target_id: int) -> dict[str, Any]:
    return {"product_id": target_id} if kind == "piece" else {"shop_id": target_id}


def _watch(product_ids: Iterable[int]) -> None:
    """Note the current state of these pieces, for those not watched yet."""
    watched = set(
        WatchedPiece.objects.filter(product_id__in=list(product_ids)).values_list(
            "product_id", flat=True
        )
    )
    missing = [pk for pk in product_ids if pk not in watched]
    if not missing:
        return
    rows = []
    for product in _with_active_variants(Product.objects.filter(pk__in=missing)):
        state = selectors.piece_state(product, product.active_variants)  # type: ignore[attr-defined]
        rows.append(
            WatchedPiece(
                product=product,
                lowest_price_amount=state.lowest_price_amount,
                is_buyable=state.is_buyable,
            )
        )
    WatchedPiece.objects.bulk_create(rows, ignore_conflicts=True)


def _with_active_variants(products: object) -> list[Product]:
    return list(
        products.prefetch_related(  # type: ignore[attr-defined]
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.filter(is_active=True).order_by("position", "id"),
                to_attr="active_variants",
            )
        )
    )


@transaction.atomic
def save_favourite(*, user: User, kind: str, target_id: int) -> Favourite:
    """Keep a piece on sale or an approved shop among `user`'s favourites (once: saving it
    again changes nothing). Raises NotSaveable, or TooManyFavourites past ACCOUNT_LIMIT."""
    if kind not in KINDS or not selectors.is_saveable(kind=kind, target_id=target_id):
        raise NotSaveable
    existing = Favourite.objects.filter(user=user, **_target(kind, target_id)).first()
    if existing is not None:
        return existing
    if Favourite.objects.filter(user=user).count() >= ACCOUNT_LIMIT:
        raise TooManyFavourites
    favourite, _created = Favourite.objects.get_or_create(user=user, **_target(kind, target_id))
    if kind == "piece":
        _watch([target_id])
    return favourite


@transaction.atomic
def remove_favourite(*, user: User, kind: str, target_id: int) -> bool:
    """Forget a favourite of `user`; False when it was not one."""
    if kind not in KINDS:
        raise NotSaveable
    deleted, _rows = Favourite.objects.filter(user=user, **_target(kind, target_id)).delete()
    return bool(deleted)


@transaction.atomic
def merge_guest_favourites(*, user: User, piece_ids: list[int], shop_ids: list[int]) -> int:
    """Add what a guest saved to `user`'s favourites at login or sign-up; those already there
    stay once. Pieces and shops that no longer exist are dropped. Returns how many were new."""
    existing_pieces = set(Product.objects.filter(pk__in=piece_ids).values_list("pk", flat=True))
    existing_shops = set(
        Shop.objects.filter(pk__in=shop_ids, status=ShopStatus.APPROVED).values_list(
            "pk", flat=True
        )
    )
    saved = selectors.get_saved_ids(user)
    room = max(ACCOUNT_LIMIT - saved.count, 0)
    now = timezone.now()
    rows = [
        Favourite(user=user, product_id=pk, created_at=now)
        for pk in piece_ids
        if pk in existing_pieces and pk not in saved.pieces
    ] + [
        Favourite(user=user, shop_id=pk, created_at=now)
        for pk in shop_ids
        if pk in existing_shops and pk not in saved.shops
    ]
    rows = rows[:room]
    Favourite.objects.bulk_create(rows, ignore_conflicts=True)
    _watch([row.product_id for row in rows if row.product_id is not None])
    return len(rows)


@transaction.atomic
def set_notices_wanted(*, user: User, wanted: bool) -> None:
    """Whether `user` is told when a saved piece is back in stock or its price dropped."""
    if wanted:
        NoticeOptOut.objects.filter(user=user).delete()
    else:
        NoticeOptOut.objects.get_or_create(user=user)


def look_at_pieces(*, product_ids: Iterable[int]) -> None:
    """The catalog says these listings changed: compare each saved one with its last state
    and tell its buyers when it came back in stock or its lowest price went down.

    One query when none is saved (the usual case: checkouts publish every sale). Each piece in
    its own transaction, its WatchedPiece row locked so that two changes at once tell once."""
    watched_ids = list(
        WatchedPiece.objects.filter(product_id__in=list(product_ids)).values_list(
            "product_id", flat=True
        )
    )
    for product_id in watched_ids:
        _look_at_piece(product_id)


@transaction.atomic
def _look_at_piece(product_id: int) -> None:
    watched = locks.watched_piece(product_id)
    products = _with_active_variants(Product.objects.filter(pk=product_id).select_related("shop"))
    if watched is None or not products:
        return
    product = products[0]
    state = selectors.piece_state(product, product.active_variants)  # type: ignore[attr-defined]
    before = watched.lowest_price_amount
    came_back = state.is_buyable and not watched.is_buyable
    dropped = state.lowest_price_amount < before
    watched.lowest_price_amount = state.lowest_price_amount
    watched.is_buyable = state.is_buyable
    watched.checked_at = timezone.now()
    watched.save(update_fields=["lowest_price_amount", "is_buyable", "checked_at"])
    if not (came_back or dropped):
        return
    # Buyers are told only of a piece they can buy now.
    on_sale = Product.objects.filter(availability.on_sale(), pk=product_id).exists()
    if not on_sale:
        return
    if came_back:
        notices.tell_buyers(product=product, kind=NoticeKind.BACK_IN_STOCK, state=state)
    if dropped:
        notices.tell_buyers(
            product=product, kind=NoticeKind.PRICE_DROPPED, state=state, before_amount=before
        )
