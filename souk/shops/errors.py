"""Errors of the shops app: one subclass per condition, each with a message for the artisan."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError, IllegalTransition, TransitionReasonRequired

# The refusals of an uploaded file, raised by the gallery and by the KYC check.
from souk.core.gallery.errors import FileTooLarge as FileTooLarge
from souk.core.gallery.errors import ImageTooLarge as ImageTooLarge
from souk.core.gallery.errors import UnreadableImage as UnreadableImage


class ShopError(DomainError):
    code = "shop_error"


class NotShopManager(ShopError):
    code = "not_shop_manager"
    http_status = 403
    message = _("Only the shop's managers can do this.")


class NotAModerator(ShopError):
    code = "not_a_moderator"
    http_status = 403
    message = _("Only moderators can decide on a shop.")


class CannotModerateOwnShop(ShopError):
    code = "cannot_moderate_own_shop"
    http_status = 403
    message = _("You cannot decide on a shop you belong to; another moderator will.")


class IllegalShopTransition(ShopError, IllegalTransition):
    code = "illegal_shop_transition"
    http_status = 409
    message = _("This step is not possible for the shop in its current status.")


class ReasonRequired(ShopError, TransitionReasonRequired):
    code = "reason_required"
    message = _("Write the reason: the artisan will read it.")


class ShopIncomplete(ShopError):
    """`detail` lists what is missing (see selectors.list_missing_for_review)."""

    code = "shop_incomplete"
    message = _("Complete the missing items before submitting the shop for review.")


class ShopNotEditable(ShopError):
    code = "shop_not_editable"
    http_status = 409
    message = _("The shop cannot be changed while a moderator reviews it, or once it is rejected.")


class TradeOutsideSector(ShopError):
    code = "trade_outside_sector"
    message = _("A shop's trades must all belong to the sector of its registered trade.")


class InvalidShopDetails(ShopError):
    """A value the forms check was refused again by the service (`message` says which)."""

    code = "invalid_shop_details"


class InvalidPayoutDestination(ShopError):
    code = "invalid_payout_destination"


class MembersNotAllowed(ShopError):
    code = "members_not_allowed"
    message = _("Only cooperatives and companies can add members to their shop.")


class MemberAccountNotFound(ShopError):
    code = "member_account_not_found"
    http_status = 404
    message = _(
        "No account uses this email address or phone number. Ask the person to sign up first."
    )


class AlreadyAMember(ShopError):
    code = "already_a_member"
    http_status = 409
    message = _("This person is already a member of the shop.")


class AlreadyInvited(ShopError):
    code = "already_invited"
    http_status = 409
    message = _("This person is already invited and has not answered yet.")


class CannotRemoveOwner(ShopError):
    code = "cannot_remove_owner"
    http_status = 409
    message = _("The account that linked the register entry stays the shop's manager.")


class TooManyPhotos(ShopError):
    code = "too_many_photos"
    http_status = 409
    message = _("A shop has at most 8 photos. Remove one before adding another.")


class UnacceptedDocument(ShopError):
    code = "unaccepted_document"
    message = _("Send a PDF, JPEG or PNG file.")


class NoIdentityChangePending(ShopError):
    code = "no_identity_change_pending"
    http_status = 409
    message = _("This shop has no name or city change waiting for a decision.")
