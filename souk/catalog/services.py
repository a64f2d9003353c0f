"""Use cases of the catalog. Each owns its transaction and writes its audit entry inside it.

Artisan side: create and edit listings, their photos, submit, pause and resume. Moderator side:
approve, send back, suspend, lift a suspension. Every status move is one of
PRODUCT_MACHINE, applied by core.machine.move (through _move).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.catalog import locks, notices, selectors
from souk.catalog import materials as vocabulary
from souk.catalog.errors import (
    CannotModerateOwnListing,
    DuplicateSku,
    IllegalProductTransition,
    InvalidProductDetails,
    InvalidVariantDetails,
    MissingDescription,
    NotAModerator,
    NotProductManager,
    PhotoRequired,
    ProductNotEditable,
    ShopCannotSell,
    TradeNotForThisShop,
)
from souk.catalog.events import ProductsChanged
from souk.catalog.models import (
    PRODUCT_LANGUAGES,
    PRODUCT_MACHINE,
    Product,
    ProductStatus,
    ProductVariant,
)
from souk.catalog.stock import stock_to_write
from souk.core import audit, events
from souk.core.machine import Actor, Transition, move
from souk.registry.models import Region, Trade
from souk.shops import selectors as shops
from souk.shops.models import Shop, ShopMember, ShopStatus

_HS_CODE = re.compile(r"^[0-9]{6}$")
# Changing these sends a listing on sale back to review (unless the shop is trusted).
REVIEWED_FIELDS = frozenset(
    {f"title_{code}" for code in PRODUCT_LANGUAGES}
    | {f"description_{code}" for code in PRODUCT_LANGUAGES}
)
# Shops that may prepare listings and send them for review. A shop in review may: the moderator
# then sees the shop and its first pieces together (docs/artisan-path.md); buyers see a listing
# only once its shop is approved too (selectors.list_visible_products).
_SELLING_SHOP_STATUSES = frozenset(
    {ShopStatus.APPROVED, ShopStatus.PENDING_REVIEW, ShopStatus.CHANGES_REQUESTED}
)


@dataclass(frozen=True, slots=True)
class ProductDetails:
    """What the artisan describes; checked by `_clean_details` before anything is written."""

    trade: Trade
    title_ar: str
    title_fr: str
    title_en: str
    title_es: str
    description_ar: str
    description_fr: str
    description_en: str
    description_es: str
    materials: str
    techniques: str
    region: Region | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    weight_grams: int | None
    price_amount: int
    stock_quantity: int
    is_made_to_order: bool
    lead_time_days: int | None
    hs_code: str
    maker: ShopMember | None
    # The stock the edit form showed; None when no form did (the stock is then set as given).
    stock_shown: int | None = None
    # Codes of the materials vocabulary the artisan ticked (souk/catalog/materials.py).
    material_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantDetails:
    """A variant as the artisan describes it; checked by `_clean_variant` before writing."""

    label_ar: str
    label_fr: str
    label_en: str
    label_es: str
    sku: str
    price_amount: int
    stock_quantity: int
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    weight_grams: int | None = None
    # The stock the edit form showed; None when no form did (the stock is then set as given).
    stock_shown: int | None = None


def _clean_details(shop: Shop, details: ProductDetails) -> dict[str, object]:
    """The values to store, or a CatalogError saying what is wrong."""
    trade = details.trade
    if (
        trade.sector_id != shop.register_entry.trade.sector_id
        or not trade.sells_goods
        or not trade.is_active
    ):
        raise TradeNotForThisShop()
    texts = {
        f"{field}_{code}": str(getattr(details, f"{field}_{code}")).strip()
        for field in ("title", "description")
        for code in PRODUCT_LANGUAGES
    }
    texts.update(
        {f"title_{code}": " ".join(texts[f"title_{code}"].split()) for code in PRODUCT_LANGUAGES}
    )
    # A title in one language is enough to start; the description and the other languages
    # can come later (a first piece is a photo, a title and a price).
    if not any(texts[f"title_{code}"] for code in PRODUCT_LANGUAGES):
        raise MissingDescription()
    if details.price_amount <= 0:
        raise InvalidProductDetails(_("Give the piece a price above zero."))
    if details.is_made_to_order and not details.lead_time_days:
        raise InvalidProductDetails(_("Say how many days it takes to make the piece."))
    hs_code = details.hs_code.replace(".", "").strip() or trade.default_hs_code
    if not _HS_CODE.match(hs_code):
        raise InvalidProductDetails(_("An HS code has 6 digits."))
    if details.maker is not None and details.maker.shop_id != shop.pk:
        raise InvalidProductDetails(_("Choose the maker among the shop's members."))
    if len(vocabulary.known_codes(details.material_codes)) != len(set(details.material_codes)):
        raise InvalidProductDetails(_("Choose the materials from the list."))
    return {
        "trade_id": trade.pk,
        **texts,
        "material_codes": vocabulary.known_codes(details.material_codes),
        "materials": " ".join(details.materials.split())[:200],
        "techniques": " ".join(details.techniques.split())[:200],
        "region_id": details.region.pk if details.region is not None else shop.region_id,
        "length_mm": details.length_mm,
        "width_mm": details.width_mm,
        "height_mm": details.height_mm,
        "weight_grams": details.weight_grams,
        "price_amount": details.price_amount,
        "stock_quantity": 0 if details.is_made_to_order else details.stock_quantity,
        "is_made_to_order": details.is_made_to_order,
        "lead_time_days": details.lead_time_days if details.is_made_to_order else None,
        "hs_code": hs_code,
        "maker_id": details.maker.pk if details.maker is not None else None,
    }


def _check_manager(shop: Shop, actor: User) -> None:
    if not shops.is_manager(shop=shop, user=actor):
        raise NotProductManager()


def _lock_as_manager(product: Product, actor: User, *, must_be_editable: bool = True) -> Product:
    locked = locks.product_for_update(product.pk).select_related("shop").get()
    _check_manager(locked.shop, actor)
    if must_be_editable and not locked.is_editable:
        raise ProductNotEditable()
    return locked


def create_product(*, shop: Shop, actor: User, details: ProductDetails) -> Product:
    """Open a draft listing in an approved shop or one in review.

    Invariants: the trade is of the shop's sector and sells goods; a title in one language at
    least; the HS code defaults to the trade's.
    """
    _check_manager(shop, actor)
    if shop.status not in _SELLING_SHOP_STATUSES:
        raise ShopCannotSell()
    values = _clean_details(shop, details)
    with transaction.atomic():
        product = Product(shop=shop, **values)
        product.save()
        audit.record(actor=actor, action="product.created", target=product)
        return product


def update_product(*, product: Product, actor: User, details: ProductDetails) -> Product:
    """Change a listing. A change of its texts while on sale or paused sends it back to review,
    unless the shop is trusted."""
    with transaction.atomic():
        locked = _lock_as_manager(product, actor)
        values = _clean_details(locked.shop, details)
        stock = stock_to_write(
            now=locked.stock_quantity,
            # Made to order: no stock to sell, so 0 is written whatever the form showed.
            shown=None if details.is_made_to_order else details.stock_shown,
            wanted=0 if details.is_made_to_order else details.stock_quantity,
        )
        del values["stock_quantity"]
        if stock is not None:
            values["stock_quantity"] = stock
        changed = [field for field, value in values.items() if getattr(locked, field) != value]
        for field, value in values.items():
            setattr(locked, field, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*values, "updated_at"])
        audit.record(actor=actor, action="product.updated", target=locked, data={"fields": changed})
        events.publish(ProductsChanged(product_ids=(locked.pk,)))
        if REVIEWED_FIELDS.intersection(changed):
            _review_again_if_needed(locked, actor=actor)
        return locked


def _review_again_if_needed(product: Product, *, actor: User) -> None:
    if product.status in PRODUCT_MACHINE["edited"].sources and not product.shop.is_trusted:
        _move(product, action="edited", actor=actor, role=Actor.ARTISAN, reason="")


# --- Variants -------------------------------------------------------------------------------


def _clean_variant(
    product: Product, details: VariantDetails, *, variant_id: int | None
) -> dict[str, object]:
    labels = {
        f"label_{code}": " ".join(getattr(details, f"label_{code}").split())[:80]
        for code in PRODUCT_LANGUAGES
    }
    if not any(labels.values()):
        raise InvalidVariantDetails(_("Name the variant in at least one language."))
    sku = details.sku.strip()[:40]
    if not sku:
        raise InvalidVariantDetails(_("Give the variant a SKU."))
    if details.price_amount <= 0:
        raise InvalidVariantDetails(_("Give the variant a price above zero."))
    if details.stock_quantity < 0:
        raise InvalidVariantDetails(_("The stock cannot be below zero."))
    others = product.variants.filter(sku=sku)
    if variant_id is not None:
        others = others.exclude(pk=variant_id)
    if others.exists():
        raise DuplicateSku()
    return {
        **labels,
        "sku": sku,
        "price_amount": details.price_amount,
        "stock_quantity": details.stock_quantity,
        "length_mm": details.length_mm,
        "width_mm": details.width_mm,
        "height_mm": details.height_mm,
        "weight_grams": details.weight_grams,
    }


def _variant_changed(
    product: Product, variant: ProductVariant, *, actor: User, action: str
) -> None:
    # Prices and stock are not reviewed: the listing keeps its status. Stock is a search facet.
    audit.record(
        actor=actor, action=f"product.{action}", target=product, data={"variant": variant.pk}
    )
    Product.objects.filter(pk=product.pk).update(updated_at=timezone.now())
    events.publish(ProductsChanged(product_ids=(product.pk,)))


def add_variant(*, product: Product, actor: User, details: VariantDetails) -> ProductVariant:
    """Add a variant at the end of the product's list.

    Invariants: a label in one language at least, a price above zero, a stock of zero or more,
    a SKU no other variant of the product has."""
    with transaction.atomic():
        locked = _lock_as_manager(product, actor)
        values = _clean_variant(locked, details, variant_id=None)
        last = locked.variants.order_by("-position").values_list("position", flat=True).first()
        variant = ProductVariant.objects.create(
            product=locked, position=(last + 1) if last is not None else 0, **values
        )
        _variant_changed(locked, variant, actor=actor, action="variant_added")
        return variant


def update_variant(
    *, product: Product, actor: User, variant_id: int, details: VariantDetails
) -> ProductVariant:
    """Change a variant (same rules as add_variant); raises ProductVariant.DoesNotExist when
    it is not one of the product's."""
    with transaction.atomic():
        locked = _lock_as_manager(product, actor)
        # Checkout takes a variant's units with an UPDATE of its row: this lock waits for it.
        variant = locked.variants.select_for_update().get(pk=variant_id)
        values = _clean_variant(locked, details, variant_id=variant.pk)
        stock = stock_to_write(
            now=variant.stock_quantity,
            shown=details.stock_shown,
            wanted=details.stock_quantity,
        )
        del values["stock_quantity"]
        if stock is not None:
            values["stock_quantity"] = stock
        for field, value in values.items():
            setattr(variant, field, value)
        variant.save(update_fields=list(values))
        _variant_changed(locked, variant, actor=actor, action="variant_updated")
        return variant


def deactivate_variant(*, product: Product, actor: User, variant_id: int) -> ProductVariant:
    """Take a variant off sale; carts holding it show it as unavailable. Order lines keep it."""
    return _put_variant_on_sale(product, actor, variant_id, on_sale=False)


def reactivate_variant(*, product: Product, actor: User, variant_id: int) -> ProductVariant:
    """Put a variant taken off sale back on sale, with its price and stock as they were."""
    return _put_variant_on_sale(product, actor, variant_id, on_sale=True)


def _put_variant_on_sale(
    product: Product, actor: User, variant_id: int, *, on_sale: bool
) -> ProductVariant:
    with transaction.atomic():
        locked = _lock_as_manager(product, actor)
        variant = locked.variants.get(pk=variant_id)
        variant.is_active = on_sale
        variant.save(update_fields=["is_active"])
        action = "variant_reactivated" if on_sale else "variant_deactivated"
        _variant_changed(locked, variant, actor=actor, action=action)
        return variant


# --- Status moves ---------------------------------------------------------------------------


def change_product_status(*, product: Product, actor: User, action: str) -> Product:
    """Apply an artisan's move (submit, pause, resume) of PRODUCT_MACHINE.

    Preconditions: `actor` manages the shop; submitting needs one photo at least and a shop
    approved or in review.
    """
    transition = PRODUCT_MACHINE.get(action)
    if transition is None or Actor.ARTISAN not in transition.roles or action == "edited":
        raise IllegalProductTransition()
    with transaction.atomic():
        locked = _lock_as_manager(product, actor, must_be_editable=False)
        if locked.status not in transition.sources:
            raise IllegalProductTransition()
        if locked.shop.status not in _SELLING_SHOP_STATUSES:
            raise ShopCannotSell()
        if action == "submit" and not locked.photos.exists():
            raise PhotoRequired()
        return _move(locked, action=action, actor=actor, role=Actor.ARTISAN, reason="")


def submit_product(*, product: Product, actor: User) -> Product:
    """draft -> pending_review."""
    return change_product_status(product=product, actor=actor, action="submit")


def pause_product(*, product: Product, actor: User) -> Product:
    """active -> paused: off sale until resumed."""
    return change_product_status(product=product, actor=actor, action="pause")


def resume_product(*, product: Product, actor: User) -> Product:
    """paused -> active."""
    return change_product_status(product=product, actor=actor, action="resume")


def moderate_product(
    *, product: Product, moderator: User, action: str, reason: str = ""
) -> Product:
    """Apply a moderator's decision (approve, reject, suspend, lift_suspension).

    Preconditions: `moderator` holds accounts.moderate_content and is not a member of the
    shop; the move starts from the product's status; a reason where the table says so.
    """
    if not moderator.has_perm(selectors.MODERATE_PERMISSION):
        raise NotAModerator()
    transition = PRODUCT_MACHINE.get(action)
    if transition is None or Actor.MODERATOR not in transition.roles:
        raise IllegalProductTransition()
    with transaction.atomic():
        locked = locks.product_for_update(product.pk).select_related("shop").get()
        if ShopMember.objects.filter(shop_id=locked.shop_id, user=moderator).exists():
            raise CannotModerateOwnListing()
        return _move(locked, action=action, actor=moderator, role=Actor.MODERATOR, reason=reason)


def approve_products(*, product_ids: Iterable[int], moderator: User) -> list[Product]:
    """Approve several pending listings at once, all or none (one transaction)."""
    with transaction.atomic():
        approved = []
        for product in Product.objects.filter(pk__in=sorted(set(product_ids))).order_by("pk"):
            approved.append(
                moderate_product(product=product, moderator=moderator, action="approve")
            )
        return approved


def _move(product: Product, *, action: str, actor: User, role: Actor, reason: str) -> Product:
    # The artisan reads the moderator's latest words; their own moves start a fresh review.
    by_moderator = role == Actor.MODERATOR
    reason = reason.strip() if by_moderator else ""

    def stamps(transition: Transition, now: datetime.datetime) -> dict[str, object]:
        values: dict[str, object] = {"status_reason": reason, "status_changed_at": now}
        if transition.target == ProductStatus.ACTIVE and product.published_at is None:
            values["published_at"] = now
        return values

    move(
        product,
        machine=PRODUCT_MACHINE,
        action=action,
        actor=actor,
        role=role,
        reason=reason,
        stamps=stamps,
    )
    if by_moderator:
        notices.listing_decided(product=product, decision=action, reason=reason)
    events.publish(ProductsChanged(product_ids=(product.pk,)))
    return product
