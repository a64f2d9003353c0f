"""Shipments with their parcels, export lines and tracking events.

A sub-order marked ready becomes a Shipment with its label and, abroad, customs papers; the
carrier's tracking events move it. The tables keep their names from when these models lived in
souk.shipping (migration fulfilment 0001 moved them without touching the data). See
docs/shipping.md.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.fulfilment import tracking_numbers
from souk.orders.models import OrderLine, SubOrder
from souk.shipping.models import Carrier, ShippingZone


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Label created")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
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
        _("status"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED
    )
    destination_country = models.CharField(_("destination"), max_length=2, db_index=True)
    zone = models.CharField(_("zone"), max_length=5, choices=ShippingZone.choices)
    # Gross: the pieces and their packaging (quotes.packaging_grams), as the carrier weighs.
    weight_grams = models.PositiveIntegerField(_("weight (g)"))
    # The pieces alone; null for shipments made before it was kept.
    net_weight_grams = models.PositiveIntegerField(_("net weight (g)"), null=True, blank=True)
    chargeable_weight_grams = models.PositiveIntegerField(_("chargeable weight (g)"))
    parcel_count = models.PositiveSmallIntegerField(_("parcels"), default=1)
    declared_value_amount = models.BigIntegerField(_("declared value (centimes)"))
    customs_form = models.CharField(
        _("customs form"), max_length=4, choices=CustomsForm.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        db_table = "shipping_shipment"
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_international(self) -> bool:
        return self.destination_country != "MA"


class ShipmentBox(models.Model):
    """One box of a shipment, with its own label and tracking number; box 1 carries the
    shipment's number, the master reference that groups them."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="boxes")
    number = models.PositiveSmallIntegerField(_("box"))
    tracking_number = models.CharField(_("tracking number"), max_length=40, unique=True)
    net_weight_grams = models.PositiveIntegerField(_("net weight (g)"))
    gross_weight_grams = models.PositiveIntegerField(_("gross weight (g)"))
    chargeable_weight_grams = models.PositiveIntegerField(_("chargeable weight (g)"))

    class Meta:
        verbose_name = _("box")
        verbose_name_plural = _("boxes")
        ordering = ["shipment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "number"], name="box_number_once"),
        ]

    def __str__(self) -> str:
        return self.tracking_number


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

    class Meta:
        db_table = "shipping_exportline"

    def __str__(self) -> str:
        return f"{self.destination_country} {self.hs_code} {self.declared_value_amount}"


class TrackingEvent(models.Model):
    """What the carrier says happened to a shipment; `external_id` makes each event count once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    happened_at = models.DateTimeField()
    location = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "shipping_trackingevent"
        ordering = ["happened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "external_id"], name="tracking_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} {self.happened_at:%Y-%m-%d %H:%M}"


class Certificate(models.Model):
    """The signed certificate of origin of one piece of a shipment (fulfilment/certificates.py):
    what it certifies as signed (`payload`, canonical JSON), its Ed25519 signature and the key."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="certificates")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    # Which unit of the line (1..quantity): every piece has its own certificate.
    unit = models.PositiveIntegerField(default=1)
    payload = models.JSONField(_("certified content"))
    signature = models.CharField(_("signature"), max_length=100)
    key_id = models.CharField(_("key"), max_length=16)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate of origin")
        verbose_name_plural = _("certificates of origin")
        ordering = ["order_line_id", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["order_line", "unit"], name="certificate_per_piece"),
        ]

    def __str__(self) -> str:
        return self.code
