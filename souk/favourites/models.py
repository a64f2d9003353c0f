"""Favourites: the pieces and shops a buyer keeps, and what their notices need.

A guest's favourites live in their session (souk.favourites.guest) and join the account's rows
here at login. `WatchedPiece` is the last state of a saved piece that its notices compare with
(lowest price, buyable); `SentNotice` keeps them to one per piece, kind and day; `NoticeOptOut`
is a buyer who asked for none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product
from souk.shops.models import Shop


class Favourite(models.Model):
    """A piece or a shop a buyer saved: exactly one of the two."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="favourites",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("piece"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, shop__isnull=True)
                    | Q(product__isnull=True, shop__isnull=False)
                ),
                name="favourite_is_a_piece_or_a_shop",
            ),
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=Q(product__isnull=False),
                name="favourite_piece_once_per_buyer",
            ),
            models.UniqueConstraint(
                fields=["user", "shop"],
                condition=Q(shop__isnull=False),
                name="favourite_shop_once_per_buyer",
            ),
        ]
        indexes = [models.Index(fields=["product"], name="favourite_by_piece")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.product_id or ''}{self.shop_id or ''}"


class WatchedPiece(models.Model):
    """What a saved piece was when last looked at: its notices say what changed since."""

    product = models.OneToOneField(
        Product,
        verbose_name=_("piece"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    # The lowest price of its variants on sale, else its own (MAD centimes).
    lowest_price_amount = models.BigIntegerField(_("lowest price (centimes)"))
    is_buyable = models.BooleanField(_("can be bought"))
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("watched piece")
        verbose_name_plural = _("watched pieces")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.lowest_price_amount}, {self.is_buyable}"


class NoticeKind(models.TextChoices):
    BACK_IN_STOCK = "back_in_stock", _("Back in stock")
    PRICE_DROPPED = "price_dropped", _("Price dropped")


class SentNotice(models.Model):
    """A notice sent to a buyer about a saved piece: at most one per piece, kind and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("piece"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("favourite notice sent")
        verbose_name_plural = _("favourite notices sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product", "kind", "day"], name="favourite_notice_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.product_id} {self.kind} {self.day}"


class NoticeOptOut(models.Model):
    """A buyer who wants no "back in stock" or "price dropped" notice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite notices refused")
        verbose_name_plural = _("favourite notices refused")

    def __str__(self) -> str:
        return str(self.user_id)
