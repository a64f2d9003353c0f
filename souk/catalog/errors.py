"""Errors of the catalog: one subclass per condition, each with a message for the artisan."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError, IllegalTransition, TransitionReasonRequired


class CatalogError(DomainError):
    code = "catalog_error"


class NotProductManager(CatalogError):
    code = "not_product_manager"
    http_status = 403
    message = _("Only the shop's managers can change its listings.")


class NotAModerator(CatalogError):
    code = "not_a_moderator"
    http_status = 403
    message = _("Only moderators can decide on a listing.")


class CannotModerateOwnListing(CatalogError):
    code = "cannot_moderate_own_listing"
    http_status = 403
    message = _("You cannot decide on a listing of a shop you belong to; another moderator will.")


class IllegalProductTransition(CatalogError, IllegalTransition):
    code = "illegal_product_transition"
    http_status = 409
    message = _("This step is not possible for the listing in its current status.")


class ReasonRequired(CatalogError, TransitionReasonRequired):
    code = "reason_required"
    message = _("Write the reason: the artisan will read it.")


class ShopCannotSell(CatalogError):
    code = "shop_cannot_sell"
    http_status = 409
    message = _("Your shop cannot list pieces while it is a draft, refused or suspended.")


class ProductNotEditable(CatalogError):
    code = "product_not_editable"
    http_status = 409
    message = _("The listing cannot be changed while a moderator reviews it, or once suspended.")


class TradeNotForThisShop(CatalogError):
    code = "trade_not_for_this_shop"
    message = _("Choose a trade of your shop's craft that makes goods to sell.")


class MissingDescription(CatalogError):
    code = "missing_description"
    message = _("Give the piece a title in at least one language.")


class InvalidProductDetails(CatalogError):
    """A value the form checks was refused again by the service (`message` says which)."""

    code = "invalid_product_details"


class TooManyPhotos(CatalogError):
    code = "too_many_product_photos"
    http_status = 409
    message = _("A listing has at most 10 photos. Remove one before adding another.")


class PhotoRequired(CatalogError):
    code = "product_photo_required"
    http_status = 409
    message = _("A listing needs at least one photo.")


class InvalidVariantDetails(CatalogError):
    """A variant value the form checks was refused again by the service (`message` says which)."""

    code = "invalid_variant_details"


class DuplicateSku(CatalogError):
    code = "duplicate_sku"
    http_status = 409
    message = _("Another variant of this piece already has this SKU.")


class PhotoOrderMismatch(CatalogError):
    code = "photo_order_mismatch"
    message = _("The new order must list each of the listing's photos once; reload the page.")


class StockChangedMeanwhile(CatalogError):
    """The artisan changed the stock, but it moved since the form showed it (a sale, usually).

    `detail` is the stock now, which the form shows again for the artisan to check.
    """

    code = "stock_changed_meanwhile"
    http_status = 409

    def __init__(self, *, stock_now: int) -> None:
        super().__init__(
            _(
                "The stock changed since you opened this page (a sale?): it is now "
                "%(stock)s. Check it and save again."
            )
            % {"stock": stock_now},
            detail=stock_now,
        )
        self.stock_now = stock_now
