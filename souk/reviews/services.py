"""Writes of reviews: write and edit (the buyer), answer (the shop), report (anyone signed in),
hide and restore (moderators), and the invitation once a parcel reached its buyer.

Each use case is one transaction. Every change of a visible review's stars moves the kept
rating of its product and shop in the same transaction (catalog.ratings, shops.ratings), so
the cards' averages are never out of step with the reviews shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from souk.accounts.models import User
from souk.catalog import ratings as catalog_ratings
from souk.catalog.events import ListingPagesChanged
from souk.core import audit, events
from souk.core.gallery import images
from souk.core.gallery import services as gallery
from souk.orders.models import OrderLine, SubOrder
from souk.reviews import errors, locks, notices
from souk.reviews.models import (
    REVIEW_LANGUAGES,
    ReportReason,
    Review,
    ReviewAnswer,
    ReviewInvitation,
    ReviewPhoto,
    ReviewReport,
    ReviewStatus,
)
from souk.shops import ratings as shop_ratings
from souk.shops import selectors as shops

MAX_PHOTOS = 3
MAX_BODY = 2000
MODERATE_PERMISSION = "accounts.moderate_content"


def is_received(sub_order: SubOrder) -> bool:
    """Whether the parcel reached its buyer: the carrier delivered it (`delivered`) or the buyer
    said they received it (`completed`). Later moves (a return, a dispute) keep the stamps, so a
    buyer who sends a piece back may still say why."""
    return sub_order.delivered_at is not None or sub_order.completed_at is not None


def edit_deadline(review: Review) -> datetime.datetime:
    return review.created_at + timedelta(days=int(settings.SOUK_REVIEW_EDIT_DAYS))


def is_editable(review: Review, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) <= edit_deadline(review)


def _language(language: str) -> str:
    if language in REVIEW_LANGUAGES:
        return language
    return translation.get_language() or settings.LANGUAGE_CODE


def _check_stars(stars: int) -> None:
    if not 1 <= stars <= 5:
        raise errors.InvalidStars()


def _move_ratings(review: Review, *, count: int, stars: int) -> None:
    catalog_ratings.change_rating(
        product_id=review.product_id, count_delta=count, stars_delta=stars
    )
    shop_ratings.change_rating(shop_id=review.shop_id, count_delta=count, stars_delta=stars)


def _prepared(photos: Sequence[File[bytes]]) -> list[images.PreparedPhoto]:
    if len(photos) > MAX_PHOTOS:
        raise errors.TooManyPhotos()
    # Every photo is checked (size, pixels, format) before anything is written.
    return [images.prepare_photo(photo) for photo in photos]


def write_review(
    *,
    order_line_id: int,
    buyer: User,
    stars: int,
    body: str,
    language: str,
    photos: Sequence[File[bytes]] = (),
) -> Review:
    """The buyer reviews a piece of a parcel that reached them, with up to MAX_PHOTOS photos.

    Raises NotTheBuyer (also for a line that does not exist), NotReceivedYet, AlreadyReviewed,
    InvalidStars, TooManyPhotos, or a gallery refusal of a photo; nothing is written then.
    """
    line = (
        OrderLine.objects.select_related("sub_order__order", "product")
        .filter(pk=order_line_id, sub_order__order__buyer=buyer)
        .first()
    )
    if line is None or not buyer.is_active:
        raise errors.NotTheBuyer()
    if not is_received(line.sub_order):
        raise errors.NotReceivedYet()
    if Review.objects.filter(order_line=line).exists():
        raise errors.AlreadyReviewed()
    _check_stars(stars)
    prepared = _prepared(photos)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                order_line=line,
                buyer=buyer,
                product_id=line.product_id,
                shop_id=line.sub_order.shop_id,
                stars=stars,
                body=body.strip()[:MAX_BODY],
                language=_language(language),
            )
            for photo in prepared:
                with gallery.adding(
                    photos=review.photos.all(),
                    photo=ReviewPhoto(review=review),
                    prepared=photo,
                    limit=MAX_PHOTOS,
                    too_many=errors.TooManyPhotos,
                ):
                    pass
            _move_ratings(review, count=1, stars=stars)
            audit.record(actor=buyer, action="review.written", target=review)
    except IntegrityError as error:
        # Two posts of the same form at once: the second meets the one-review-per-line rule.
        raise errors.AlreadyReviewed() from error
    return review


@transaction.atomic
def edit_review(*, review_id: int, buyer: User, stars: int, body: str, language: str) -> Review:
    """The buyer changes their review within SOUK_REVIEW_EDIT_DAYS of writing it. Raises
    NotTheBuyer, EditWindowClosed, InvalidStars."""
    try:
        review = locks.review(review_id)
    except Review.DoesNotExist as error:
        raise errors.NotTheBuyer() from error
    if review.buyer_id != buyer.pk:
        raise errors.NotTheBuyer()
    if not is_editable(review):
        raise errors.EditWindowClosed()
    _check_stars(stars)
    if review.is_visible and stars != review.stars:
        _move_ratings(review, count=0, stars=stars - review.stars)
    review.stars = stars
    review.body = body.strip()[:MAX_BODY]
    review.language = _language(language)
    review.edited_at = timezone.now()
    review.save(update_fields=["stars", "body", "language", "edited_at"])
    # The product page keeps its reviews under the index version: words changed too.
    events.publish(ListingPagesChanged())
    audit.record(actor=buyer, action="review.edited", target=review)
    return review


@transaction.atomic
def answer_review(*, review_id: int, user: User, body: str) -> ReviewAnswer:
    """A manager of the review's shop answers it, once. Raises NotTheShop, AlreadyAnswered,
    AnswerEmpty."""
    review = locks.review(review_id)
    if not user.is_active or not shops.is_manager(shop=review.shop, user=user):
        raise errors.NotTheShop()
    if ReviewAnswer.objects.filter(review=review).exists():
        raise errors.AlreadyAnswered()
    text = body.strip()[:MAX_BODY]
    if not text:
        raise errors.AnswerEmpty()
    answer = ReviewAnswer.objects.create(
        review=review,
        author=user,
        body=text,
        language=_language(user.preferred_language or ""),
    )
    audit.record(actor=user, action="review.answered", target=review)
    events.publish(ListingPagesChanged())
    transaction.on_commit(lambda: notices.review_answered(review.pk))
    return answer


@transaction.atomic
def report_review(*, review_id: int, reporter: User, reason: str, note: str = "") -> ReviewReport:
    """A signed-in user reports a review for a moderator to look at, once per user. Raises
    OwnReview, AlreadyReported, ReasonRequired."""
    review = locks.review(review_id)
    if review.buyer_id == reporter.pk:
        raise errors.OwnReview()
    if reason not in ReportReason.values:
        raise errors.ReasonRequired()
    if ReviewReport.objects.filter(review=review, reporter=reporter).exists():
        raise errors.AlreadyReported()
    report = ReviewReport.objects.create(
        review=review, reporter=reporter, reason=reason, note=note.strip()[:500]
    )
    audit.record(actor=reporter, action="review.reported", target=review, reason=reason)
    return report


def _moderate(*, review_id: int, moderator: User, reason: str, to: ReviewStatus) -> Review:
    if not moderator.is_active or not moderator.has_perm(MODERATE_PERMISSION):
        raise errors.NotAModerator()
    if not reason.strip():
        raise errors.ReasonRequired()
    review = locks.review(review_id)
    if review.status == to:
        raise errors.AlreadyInThatState()
    sign = 1 if to == ReviewStatus.VISIBLE else -1
    _move_ratings(review, count=sign, stars=sign * review.stars)
    review.status = to
    review.status_reason = reason.strip()
    review.save(update_fields=["status", "status_reason"])
    ReviewReport.objects.filter(review=review, is_open=True).update(is_open=False)
    action = "review.restored" if to == ReviewStatus.VISIBLE else "review.hidden"
    audit.record(actor=moderator, action=action, target=review, reason=reason.strip())
    return review


@transaction.atomic
def hide_review(*, review_id: int, moderator: User, reason: str) -> Review:
    """A moderator hides a review (no longer shown nor counted), with a reason, audited; its
    open reports are closed. Raises NotAModerator, ReasonRequired, AlreadyInThatState."""
    return _moderate(
        review_id=review_id, moderator=moderator, reason=reason, to=ReviewStatus.HIDDEN
    )


@transaction.atomic
def restore_review(*, review_id: int, moderator: User, reason: str) -> Review:
    """A moderator shows a hidden review again (counted again), with a reason, audited."""
    return _moderate(
        review_id=review_id, moderator=moderator, reason=reason, to=ReviewStatus.VISIBLE
    )


@transaction.atomic
def keep_review(*, review_id: int, moderator: User, reason: str) -> Review:
    """A moderator read the reports and keeps the review shown: its open reports are closed."""
    if not moderator.is_active or not moderator.has_perm(MODERATE_PERMISSION):
        raise errors.NotAModerator()
    if not reason.strip():
        raise errors.ReasonRequired()
    review = locks.review(review_id)
    ReviewReport.objects.filter(review=review, is_open=True).update(is_open=False)
    audit.record(actor=moderator, action="review.kept", target=review, reason=reason.strip())
    return review


@transaction.atomic
def invite_to_review(*, sub_order_id: int) -> bool:
    """Ask the buyer, once per parcel, to review the pieces that reached them. False when the
    invitation was already sent (a parcel delivered, then confirmed)."""
    _invitation, created = ReviewInvitation.objects.get_or_create(sub_order_id=sub_order_id)
    if created:
        notices.review_invited(sub_order_id)
    return created
