"""Back office of shipping: carriers with their rate cards and duty rates (edited by staff),
shipments and their tracking (read-only: the carriers' events move them)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from souk.shipping.models import Carrier, CarrierRate, DutyRate, Shipment, TrackingEvent


class CarrierRateInline(admin.TabularInline[CarrierRate, Carrier]):
    model = CarrierRate
    extra = 0


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin[Carrier]):
    list_display = ("name", "code", "volumetric_divisor", "max_weight_grams", "is_active")
    inlines = [CarrierRateInline]


@admin.register(DutyRate)
class DutyRateAdmin(admin.ModelAdmin[DutyRate]):
    list_display = ("country", "hs_chapter", "duty_rate", "tax_rate", "terms")
    list_filter = ("terms",)
    search_fields = ("country",)


class TrackingEventInline(admin.TabularInline[TrackingEvent, Shipment]):
    model = TrackingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("status", "happened_at", "location", "description", "external_id")

    def has_add_permission(self, request: HttpRequest, obj: Shipment | None = None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin[Shipment]):
    list_display = (
        "tracking_number",
        "carrier",
        "destination_country",
        "status",
        "customs_form",
        "created_at",
    )
    list_filter = ("status", "carrier", "customs_form", "destination_country")
    search_fields = ("tracking_number", "sub_order__reference")
    inlines = [TrackingEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Shipment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Shipment | None = None) -> bool:
        return False
