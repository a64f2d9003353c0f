"""Carriers and their rate cards, duty rates, shipments with their parcels and tracking events.

Carriers are data staff edit (back office) or load from a rate-card CSV (`import_rate_card`):
zones, weight brackets, a volumetric divisor, per-parcel limits, delivery times, the countries
served. quotes.py packs a sub-order's items into parcels within a carrier's limits and prices
them; a sub-order marked ready becomes a Shipment with its label and, abroad, customs papers.
See docs/shipping.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.orders.models import ShippingZone, SubOrder
from souk.shipping import tracking_numbers
from souk.shops.models import Shop


class Carrier(models.Model):
    """One carrier service (e.g. Amana domestic, Amana International), with its limits."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    # Volumetric weight in kg = length x width x height in cm / this divisor (5000 for most
    # international services, 3000 for some domestic ones).
    volumetric_divisor = models.PositiveIntegerField(_("volumetric divisor"), default=5000)
    max_weight_grams = models.PositiveIntegerField(_("maximum weight per parcel (g)"))
    max_length_mm = models.PositiveIntegerField(_("maximum length per parcel (mm)"))
    # Length plus twice width plus twice height, the usual postal size limit.
    max_girth_mm = models.PositiveIntegerField(_("maximum length + girth per parcel (mm)"))
    # ISO codes this service never delivers to, although their zone has rates.
    excluded_countries = models.JSONField(_("countries not served"), default=list, blank=True)
    tracking_url = models.CharField(
        _("tracking page"),
        max_length=200,
        blank=True,
        help_text=_("With {number} where the tracking number goes."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CarrierRate(models.Model):
    """The price of one parcel up to `max_weight_grams` (chargeable weight) to a zone."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="rates")
    zone = models.CharField(_("zone"), max_length=5, choices=ShippingZone.choices)
    max_weight_grams = models.PositiveIntegerField(_("up to (g)"))
    price_amount = models.BigIntegerField(_("price (centimes)"))
    days_min = models.PositiveSmallIntegerField(_("delivery days, at least"))
    days_max = models.PositiveSmallIntegerField(_("delivery days, at most"))

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["carrier_id", "zone", "max_weight_grams"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "zone", "max_weight_grams"], name="carrier_rate_once_per_bracket"
            ),
            models.CheckConstraint(condition=Q(price_amount__gte=0), name="carrier_rate_price"),
            models.CheckConstraint(
                condition=Q(days_max__gte=models.F("days_min")), name="carrier_rate_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.zone} ≤{self.max_weight_grams} g"


class FreeShippingThreshold(models.Model):
    """A shop offers free shipping to a zone from this amount of works in one sub-order."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="free_shipping")
    zone = models.CharField(_("zone"), max_length=5, choices=ShippingZone.choices)
    threshold_amount = models.BigIntegerField(_("from (centimes of works)"))

    class Meta:
        verbose_name = _("free shipping threshold")
        verbose_name_plural = _("free shipping thresholds")
        constraints = [
            models.UniqueConstraint(fields=["shop", "zone"], name="free_shipping_once_per_zone"),
            models.CheckConstraint(
                condition=Q(threshold_amount__gt=0), name="free_shipping_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.zone} ≥{self.threshold_amount}"


class DeliveryTerms(models.TextChoices):
    # Delivered at place: the recipient pays import duty and taxes to the carrier.
    DAP = "DAP", _("Duties paid by the recipient (DAP)")
    # Delivered duty paid: collected at checkout, paid by the platform.
    DDP = "DDP", _("Duties paid at checkout (DDP)")


class DutyRate(models.Model):
    """Import duty and VAT/sales tax of a destination, for an HS chapter or (blank) by default.

    Estimates for buyers, maintained by staff; the customs of the destination decide."""

    country = models.CharField(_("destination"), max_length=2)
    hs_chapter = models.CharField(
        _("HS chapter"), max_length=2, blank=True, help_text=_("Two digits; blank for all.")
    )
    duty_rate = models.DecimalField(_("import duty"), max_digits=5, decimal_places=4)
    tax_rate = models.DecimalField(_("VAT or sales tax"), max_digits=5, decimal_places=4)
    terms = models.CharField(
        _("delivery terms"), max_length=3, choices=DeliveryTerms.choices, default=DeliveryTerms.DAP
    )
    note = models.CharField(_("note shown to buyers"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty rate")
        verbose_name_plural = _("duty rates")
        ordering = ["country", "hs_chapter"]
        constraints = [
            models.UniqueConstraint(fields=["country", "hs_chapter"], name="duty_rate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.hs_chapter or '*'}"


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Label created")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned to sender")
    LOST = "lost", _("Lost")


class CustomsForm(models.TextChoices):
    NONE = "", _("None (domestic)")
    CN22 = "CN22", _("CN22")
    CN23 = "CN23", _("CN23")


def _tracking_number() -> str:
    """A fresh S10 number; create_shipment sets the carrier's own and retries on a clash."""
    return tracking_numbers.new_tracking_number()


class Shipment(models.Model):
    """A sub-order handed to a carrier: its parcels, documents and tracking."""

    sub_order = models.OneToOneField(SubOrder, on_delete=models.PROTECT, related_name="shipment")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="shipments")
    tracking_number = models.CharField(
        _("tracking number"), max_length=40, unique=True, default=_tracking_number
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED
    )
    destination_country = models.CharField(_("destination"), max_length=2, db_index=True)
    zone = models.CharField(_("zone"), max_length=5, choices=ShippingZone.choices)
    weight_grams = models.PositiveIntegerField(_("weight (g)"))
    chargeable_weight_grams = models.PositiveIntegerField(_("chargeable weight (g)"))
    parcel_count = models.PositiveSmallIntegerField(_("parcels"), default=1)
    declared_value_amount = models.BigIntegerField(_("declared value (centimes)"))
    customs_form = models.CharField(
        _("customs form"), max_length=4, choices=CustomsForm.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_international(self) -> bool:
        return self.destination_country != "MA"


class ExportLine(models.Model):
    """One line of an international shipment, kept for the export statistics: destination,
    sector, HS code, declared value (MAD centimes)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="export_lines")
    destination_country = models.CharField(max_length=2, db_index=True)
    sector_code = models.CharField(max_length=8, db_index=True)
    hs_code = models.CharField(max_length=6)
    quantity = models.PositiveIntegerField()
    net_weight_grams = models.PositiveIntegerField()
    declared_value_amount = models.BigIntegerField()
    shipped_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.destination_country} {self.hs_code} {self.declared_value_amount}"


class TrackingEvent(models.Model):
    """What the carrier says happened to a shipment; `external_id` makes each event count once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=ShipmentStatus.choices)
    happened_at = models.DateTimeField()
    location = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["happened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "external_id"], name="tracking_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} {self.happened_at:%Y-%m-%d %H:%M}"
