"""Reads of favourites: which pieces and shops a buyer saved, and their page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch

from souk.accounts.models import User
from souk.catalog import availability
from souk.catalog import selectors as catalog
from souk.catalog.models import Product, ProductPhoto, ProductVariant
from souk.favourites.models import Favourite, NoticeOptOut
from souk.shops.models import Shop, ShopStatus


@dataclass(frozen=True, slots=True)
class SavedIds:
    """The ids a visitor saved: what every button of a page reads (one query at most)."""

    pieces: frozenset[int]
    shops: frozenset[int]

    @property
    def count(self) -> int:
        return len(self.pieces) + len(self.shops)


def get_saved_ids(user: User) -> SavedIds:
    """The pieces and shops `user` saved, in one query."""
    rows: list[tuple[int | None, int | None]] = list(
        Favourite.objects.filter(user=user).values_list("product_id", "shop_id")
    )
    return SavedIds(
        pieces=frozenset(product_id for product_id, _shop in rows if product_id is not None),
        shops=frozenset(shop_id for _product, shop_id in rows if shop_id is not None),
    )


def is_saveable(*, kind: str, target_id: int) -> bool:
    """A piece on sale, or an approved shop: what a visitor may save."""
    if kind == "piece":
        return catalog.list_visible_products().filter(pk=target_id).exists()
    return Shop.objects.filter(pk=target_id, status=ShopStatus.APPROVED).exists()


def get_shown_name(*, kind: str, target_id: int) -> str:
    """The title of a piece (in the active language) or the name of a shop; "" if unknown."""
    if kind == "piece":
        product = Product.objects.filter(pk=target_id).first()
        return product.title if product is not None else ""
    shop = Shop.objects.filter(pk=target_id).first()
    return shop.display_name if shop is not None else ""


@dataclass(frozen=True, slots=True)
class PieceState:
    """What a saved piece's notices compare: its lowest price and whether it can be bought."""

    lowest_price_amount: int
    is_buyable: bool
    has_variants: bool


def piece_state(product: Product, active_variants: Sequence[ProductVariant]) -> PieceState:
    """The lowest price of its variants on sale (else its own) and whether it can be bought."""
    lowest = min(
        (variant.price_amount for variant in active_variants), default=product.price_amount
    )
    return PieceState(
        lowest_price_amount=lowest,
        is_buyable=availability.is_buyable(product, active_variants),
        has_variants=bool(active_variants),
    )


def _with_active_variants() -> Prefetch[str]:
    return Prefetch(
        "variants",
        queryset=ProductVariant.objects.filter(is_active=True).order_by("position", "id"),
        to_attr="active_variants",
    )


@dataclass(frozen=True, slots=True)
class SavedPiece:
    product: Product
    state: PieceState
    # On sale in an approved shop: the rest are shown as no longer for sale.
    is_on_sale: bool


@dataclass(frozen=True, slots=True)
class FavouritesPage:
    pieces: list[SavedPiece]
    shops: list[Shop]
    notices_wanted: bool


def list_favourites(
    *, user: User | None, piece_ids: Iterable[int] = (), shop_ids: Iterable[int] = ()
) -> FavouritesPage:
    """The favourites page of `user`, or of a guest who saved `piece_ids` and `shop_ids`
    (newest first either way). Six queries at most, whatever their number."""
    if user is not None:
        rows = list(Favourite.objects.filter(user=user).values_list("product_id", "shop_id"))
        piece_ids = [product_id for product_id, _shop in rows if product_id is not None]
        shop_ids = [shop_id for _product, shop_id in rows if shop_id is not None]
    piece_order = {pk: index for index, pk in enumerate(piece_ids)}
    shop_order = {pk: index for index, pk in enumerate(shop_ids)}
    on_sale = set(
        Product.objects.filter(availability.on_sale(), pk__in=piece_order).values_list(
            "pk", flat=True
        )
    )
    products = (
        Product.objects.filter(pk__in=piece_order)
        .select_related("shop")
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id")),
            _with_active_variants(),
        )
    )
    pieces = [
        SavedPiece(
            product=product,
            state=piece_state(product, product.active_variants),  # type: ignore[attr-defined]
            is_on_sale=product.pk in on_sale,
        )
        for product in sorted(products, key=lambda product: piece_order[product.pk])
    ]
    shops = sorted(
        Shop.objects.filter(pk__in=shop_order, status=ShopStatus.APPROVED).select_related("region"),
        key=lambda shop: shop_order[shop.pk],
    )
    notices_wanted = user is not None and not NoticeOptOut.objects.filter(user=user).exists()
    return FavouritesPage(pieces=pieces, shops=shops, notices_wanted=notices_wanted)
