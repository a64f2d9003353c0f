"""Errors of favourites: one subclass per condition, each with a message for the buyer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class FavouritesError(DomainError):
    code = "favourites_error"


class NotSaveable(FavouritesError):
    code = "not_saveable"
    http_status = 404
    message = _("This piece or shop is not on Souk, or no longer shown.")


class TooManyFavourites(FavouritesError):
    code = "too_many_favourites"
    http_status = 409
    message = _(
        "You have kept as many favourites as we can hold. Remove some, or log in to keep more."
    )
