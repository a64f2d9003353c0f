"""Back office: shops to look up, read-only. Decisions go through the moderation page, so that
every status move follows SHOP_TRANSITIONS and is recorded."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from souk.shops.models import Shop, ShopMember


class ShopMemberInline(admin.TabularInline[ShopMember, Shop]):
    model = ShopMember
    fields = ("public_name", "user", "role", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Shop | None = None) -> bool:
        return False


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin[Shop]):
    list_display = ("display_name", "status", "region", "status_changed_at", "moderation_link")
    list_filter = ("status", "region")
    search_fields = ("display_name", "slug", "register_entry__register_number")
    ordering = ("-status_changed_at",)
    fields = (
        "display_name",
        "slug",
        "register_entry",
        "status",
        "status_reason",
        "region",
        "workshop_city",
        "submitted_at",
        "approved_at",
        "moderation_link",
    )
    readonly_fields = fields
    inlines = [ShopMemberInline]

    @admin.display(description=_("moderation"))
    def moderation_link(self, shop: Shop) -> SafeString:
        url = reverse("shops:moderation_detail", kwargs={"shop_id": shop.pk})
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Shop | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Shop | None = None) -> bool:
        return False
