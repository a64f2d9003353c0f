"""Back office of fulfilment: shipments and their tracking (read-only: the carriers' events
move them)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from souk.fulfilment.models import Shipment, TrackingEvent


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
