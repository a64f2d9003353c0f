"""Orders split per artisan: the order, its sub-orders and lines, their history, messages and
return photos.

An Order is what the buyer pays once; it holds one SubOrder per shop, each shipped, accepted,
refunded on its own. Statuses follow ORDER_TRANSITIONS and SUBORDER_TRANSITIONS (statuses.py);
services applies them and writes an OrderEvent for every move (the history shown to buyer,
artisan and moderator). Amounts are MAD centimes; the buyer's display currency and the rate
used are snapshotted on the order. See docs/orders.md.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product, ProductVariant
from souk.core.models import TransitionRecord
from souk.core.storage import private_storage
from souk.core.translation import pick_translation
from souk.orders.models.statuses import OrderStatus, SubOrderStatus
from souk.registry.models import Sector
from souk.shipping.models import ShippingZone
from souk.shops.models import Shop

ORDER_CURRENCY = "MAD"
# Letters and digits nobody confuses when reading a reference over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_order_reference() -> str:
    return "SK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Bank card")
    WALLET = "wallet", _("Mobile wallet")
    CASH_ON_DELIVERY = "cod", _("Cash on delivery")


class Order(models.Model):
    """What one buyer ordered and pays once, in MAD; split into one SubOrder per shop."""

    reference = models.CharField(
        _("reference"), max_length=16, unique=True, default=new_order_reference
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # The checkout form's one-time token: a double-click or a retried POST finds this order.
    checkout_token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    payment_method = models.CharField(
        _("payment method"), max_length=8, choices=PaymentMethod.choices
    )
    currency = models.CharField(_("currency"), max_length=3, default=ORDER_CURRENCY)
    items_amount = models.BigIntegerField(_("items"))
    shipping_amount = models.BigIntegerField(_("shipping"))
    discount_amount = models.BigIntegerField(_("discount"), default=0)
    total_amount = models.BigIntegerField(_("total"))
    # The buyer's browsing currency and the reference rate (MAD per unit) the estimate used.
    display_currency = models.CharField(_("shown in"), max_length=3, default=ORDER_CURRENCY)
    display_rate = models.DecimalField(max_digits=12, decimal_places=6, default=1)
    display_rate_date = models.DateField(null=True, blank=True)
    display_total_amount = models.BigIntegerField(_("estimated total in the buyer's currency"))
    # The destination, as the buyer wrote it (a copy: a saved address may change later).
    ship_to_name = models.CharField(_("full name"), max_length=150)
    ship_to_line1 = models.CharField(_("address"), max_length=200)
    ship_to_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    ship_to_city = models.CharField(_("city"), max_length=100)
    ship_to_region = models.CharField(_("region"), max_length=10, blank=True)
    ship_to_postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    ship_to_country = models.CharField(_("country"), max_length=2)
    ship_to_phone = models.CharField(_("phone number"), max_length=16)
    language = models.CharField(_("language"), max_length=5, default="fr")
    # A guest's order: the session's cart it came from, emptied of what was bought once paid.
    guest_cart = models.ForeignKey(
        "orders.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stock stays reserved for this order until then (services.RESERVATION_MINUTES).
    reserved_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["buyer", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    total_amount=models.F("items_amount")
                    + models.F("shipping_amount")
                    - models.F("discount_amount")
                ),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class SubOrder(models.Model):
    """The part of an order one shop prepares and ships, with its own status."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sub_orders")
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="sub_orders"
    )
    # The order's reference and the parcel's number: SK-7K3M9QXA-2.
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubOrderStatus.choices,
        default=SubOrderStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    items_amount = models.BigIntegerField(_("items"))
    shipping_amount = models.BigIntegerField(_("shipping"))
    total_amount = models.BigIntegerField(_("total"))
    # Never shown to the buyer: the sum of the lines' commissions.
    commission_amount = models.BigIntegerField(_("commission"))
    refunded_amount = models.BigIntegerField(_("refunded"), default=0)
    shipping_zone = models.CharField(_("zone"), max_length=5, choices=ShippingZone.choices)
    delivery_days_min = models.PositiveSmallIntegerField(default=0)
    delivery_days_max = models.PositiveSmallIntegerField(default=0)
    lead_time_days = models.PositiveSmallIntegerField(_("days to make"), default=0)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    # The artisan answers before this, or the sub-order is declined and refunded by itself.
    accept_by = models.DateTimeField(_("answer before"), null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    # When the carrier said the parcel is out for delivery: the buyer may confirm receipt.
    out_for_delivery_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sub-order")
        verbose_name_plural = _("sub-orders")
        ordering = ["order_id", "id"]
        indexes = [models.Index(fields=["shop", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "shop"], name="sub_order_once_per_shop"),
            models.CheckConstraint(
                condition=Q(status__in=SubOrderStatus.values), name="sub_order_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(total_amount=models.F("items_amount") + models.F("shipping_amount")),
                name="sub_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=models.F("total_amount")),
                name="sub_order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


# Between a title and its variant, an en dash.
DASH = " \u2013 "


class OrderLine(models.Model):
    """One listing in a sub-order, with everything copied that may change on the listing."""

    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    variant = models.ForeignKey(
        ProductVariant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    title = models.CharField(_("title"), max_length=140)
    # The variant's label when ordered, in the buyer's language ("" without a variant).
    variant_label = models.CharField(_("variant"), max_length=80, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    hs_code = models.CharField(_("HS code"), max_length=6)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_amount = models.BigIntegerField(_("unit price"))
    line_amount = models.BigIntegerField(_("amount"))
    is_made_to_order = models.BooleanField(default=False)
    lead_time_days = models.PositiveSmallIntegerField(default=0)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    commission_amount = models.BigIntegerField()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["sub_order_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_amount=models.F("unit_price_amount") * models.F("quantity")),
                name="order_line_amount_adds_up",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    def title_in(self, language: str) -> str:
        """The piece's title as the artisan reads it (sales pages, packing slip, notices): the
        listing's title in `language` or its fallback, else the buyer's copy. `title` stays
        what the buyer saw, in the buyer's language."""
        title, _code = pick_translation(self.product, "title", language)
        return title or self.title

    def variant_label_in(self, language: str) -> str:
        """The variant's label in `language` (or its fallback), else the buyer's copy."""
        if self.variant is None:
            return self.variant_label
        label, _code = pick_translation(self.variant, "label", language)
        return label or self.variant_label

    def label_in(self, language: str) -> str:
        """Title and variant in `language`, an en dash between them (DASH)."""
        variant = self.variant_label_in(language)
        title = self.title_in(language)
        return f"{title}{DASH}{variant}" if variant else title


class OrderEvent(TransitionRecord):
    """One move of an order or sub-order (core.machine): the history shown on the order pages."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    sub_order = models.ForeignKey(
        SubOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class OrderMessage(models.Model):
    """A message between the buyer and the artisan about one sub-order."""

    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(max_length=10)
    body = models.TextField(_("message"), max_length=2000)
    sent_at = models.DateTimeField(default=timezone.now)
    # The advisor who wrote it for the artisan, with their consent (docs/support.md).
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} on {self.sub_order_id}"


def _return_photo_path(instance: ReturnPhoto, filename: str) -> str:
    return f"returns/{instance.sub_order_id}/{filename}"


class ReturnPhoto(models.Model):
    """A photo the buyer sends with a return request (private: buyer, artisan, moderators)."""

    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="return_photos")
    image = models.FileField(storage=private_storage, upload_to=_return_photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"return photo {self.pk}"
