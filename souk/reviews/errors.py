"""Refusals of the reviews app, each a translated 4xx (core.errors.DomainError)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class ReviewError(DomainError):
    code = "review_error"


class NotTheBuyer(ReviewError):
    code = "review_not_the_buyer"
    http_status = 404
    message = _("Only the buyer of this piece can review it.")


class NotReceivedYet(ReviewError):
    code = "review_not_received_yet"
    http_status = 409
    message = _("You can review this piece once it has been delivered to you.")


class AlreadyReviewed(ReviewError):
    code = "review_already_written"
    http_status = 409
    message = _("You have already reviewed this piece; you can edit your review.")


class EditWindowClosed(ReviewError):
    code = "review_edit_window_closed"
    http_status = 409
    message = _("This review can no longer be changed.")


class InvalidStars(ReviewError):
    code = "review_invalid_stars"
    message = _("Choose from one to five stars.")


class TooManyPhotos(ReviewError):
    code = "review_too_many_photos"
    message = _("A review can have up to three photos.")


class NotTheShop(ReviewError):
    code = "review_not_the_shop"
    http_status = 403
    message = _("Only the shop's managers can answer this review.")


class AlreadyAnswered(ReviewError):
    code = "review_already_answered"
    http_status = 409
    message = _("The shop has already answered this review.")


class AnswerEmpty(ReviewError):
    code = "review_answer_empty"
    message = _("Write an answer.")


class AlreadyReported(ReviewError):
    code = "review_already_reported"
    http_status = 409
    message = _("You have already reported this review.")


class OwnReview(ReviewError):
    code = "review_own_report"
    message = _("You cannot report your own review.")


class ReasonRequired(ReviewError):
    code = "review_reason_required"
    message = _("Give a reason.")


class NotAModerator(ReviewError):
    code = "review_not_a_moderator"
    http_status = 403
    message = _("Only moderators can hide or restore reviews.")


class AlreadyInThatState(ReviewError):
    code = "review_already_in_state"
    http_status = 409
    message = _("This review is already in that state; reload the page.")
