"""Back office: listings to look up, read-only. Decisions go through the moderation page, so
that every status move follows PRODUCT_TRANSITIONS and is recorded."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from souk.catalog.models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ("__str__", "shop", "status", "price_amount", "status_changed_at")
    list_filter = ("status",)
    search_fields = ("title_fr", "title_ar", "title_en", "title_es", "shop__display_name")
    list_select_related = ("shop",)
    ordering = ("-status_changed_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return False
