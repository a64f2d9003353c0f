"""Stock held for an order while its buyer pays."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product, ProductVariant
from souk.orders.models.order import Order


class ReservationStatus(models.TextChoices):
    HELD = "held", _("Held")
    SOLD = "sold", _("Sold")
    RELEASED = "released", _("Released")


class StockReservation(models.Model):
    """Units taken from a listing's stock for an order while the buyer pays.

    The listing's `stock_quantity` is decreased when the reservation is made (a conditional
    UPDATE that never goes below zero) and increased again when it is released."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reservations")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    # Units of a variant come from the variant's stock, not the product's.
    variant = models.ForeignKey(
        ProductVariant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    status = models.CharField(
        max_length=8, choices=ReservationStatus.choices, default=ReservationStatus.HELD
    )
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "product"],
                condition=Q(status="held", variant__isnull=True),
                name="reservation_held_once_per_order_product",
            ),
            models.UniqueConstraint(
                fields=["order", "product", "variant"],
                condition=Q(status="held", variant__isnull=False),
                name="reservation_held_once_per_order_variant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id} for {self.order_id} ({self.status})"
