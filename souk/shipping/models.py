"""Carriers and their rate cards, free-shipping thresholds and duty rates.

Carriers are data staff edit (back office) or load from a rate-card CSV (`import_rate_card`):
zones, weight brackets, a volumetric divisor, per-parcel limits, delivery times, the countries
served. quotes.py packs a sub-order's items into parcels within a carrier's limits and prices
them; souk.fulfilment turns a sub-order marked ready into a Shipment with its label and, abroad,
customs papers. See docs/shipping.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from souk.shops.models import Shop


class ShippingZone(models.TextChoices):
    """Where a parcel goes, as carriers price it (quotes.zone_for_country)."""

    MOROCCO = "MA", _("Morocco")
    EUROPEAN_UNION = "EU", _("European Union")
    UNITED_STATES = "US", _("USA and Canada")
    REST_OF_WORLD = "WORLD", _("Rest of the world")


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
