"""Back office of shipping: carriers with their rate cards and duty rates (edited by staff)."""

from __future__ import annotations

from django.contrib import admin

from souk.shipping.models import Carrier, CarrierRate, DutyRate


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
