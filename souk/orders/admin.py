"""Back office of orders: the commission table staff maintain. Orders themselves are looked at
and moved on the moderation pages, where every move follows the transition table."""

from __future__ import annotations

from django.contrib import admin

from souk.orders.models import CommissionRate


@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin[CommissionRate]):
    list_display = ("sector", "rate", "cooperative_rate", "effective_from")
    list_filter = ("sector",)
    ordering = ("sector", "-effective_from")
