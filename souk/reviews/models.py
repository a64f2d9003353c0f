"""Reviews of pieces by the buyers who received them, their photos, the artisan's one answer,
reports by signed-in users, and the invitation sent once a parcel reached its buyer.

One review per order line (a buyer who bought the same piece twice reviews each purchase). The
stars of visible reviews are kept on the product and the shop (catalog/ratings.py,
shops/ratings.py) in the same transaction as every change here. See docs/reviews.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product
from souk.core.gallery.models import GalleryPhoto
from souk.orders.models import OrderLine, SubOrder
from souk.shops.models import Shop

REVIEW_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


class ReviewStatus(models.TextChoices):
    VISIBLE = "visible", _("Shown")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Review(models.Model):
    """A buyer's stars and words about one piece they received (one order line)."""

    order_line = models.OneToOneField(
        OrderLine, on_delete=models.PROTECT, related_name="review", verbose_name=_("order line")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    # Copied from the line, so product and shop pages read their reviews by index.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="reviews")
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="reviews")
    stars = models.PositiveSmallIntegerField(_("rating"))
    body = models.TextField(_("review"), max_length=2000, blank=True)
    # The language the buyer wrote in (chosen on the form, the page's language by default).
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.VISIBLE
    )
    # The moderator's reason for the latest hide or restore (the audit log keeps them all).
    status_reason = models.TextField(_("reason given"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["product", "status", "-created_at"]),
            models.Index(fields=["shop", "status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="review_stars_one_to_five"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of product {self.product_id}"

    @property
    def is_visible(self) -> bool:
        return self.status == ReviewStatus.VISIBLE


class ReviewPhoto(GalleryPhoto):
    """A photo the buyer added to a review (public once the review is shown)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")

    class Meta(GalleryPhoto.Meta):
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")

    def upload_folder(self) -> str:
        return f"reviews/{self.review_id}"


class ReviewAnswer(models.Model):
    """The shop's one public answer to a review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="answer")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("answer"), max_length=2000)
    language = models.CharField(_("language"), max_length=5)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"answer to review {self.review_id}"


class ReportReason(models.TextChoices):
    OFFENSIVE = "offensive", _("Offensive or hateful")
    PERSONAL = "personal", _("Personal information")
    OFF_TOPIC = "off_topic", _("Not about the piece or the order")
    SPAM = "spam", _("Advertising or spam")
    FALSE = "false", _("False or misleading")


class ReviewReport(models.Model):
    """A signed-in user's report of a review, once per user; open until a moderator decides."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["is_open", "review"])]
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} of review {self.review_id}"


class ReviewInvitation(models.Model):
    """The one notice asking the buyer to review a parcel's pieces (delivered or received)."""

    sub_order = models.OneToOneField(SubOrder, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"invitation for {self.sub_order_id}"
