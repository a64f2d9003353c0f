"""Back office: shops to look up, read-only. Decisions go through the moderation page, so that
every status move follows SHOP_TRANSITIONS and is recorded."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.shops import selectors, services
from souk.shops.errors import ShopError
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
    list_display = (
        "display_name",
        "status",
        "is_trusted",
        "region",
        "status_changed_at",
        "moderation_link",
    )
    list_filter = ("status", "is_trusted", "region")
    actions = ["mark_trusted", "withdraw_trust"]
    search_fields = ("display_name", "slug", "register_entry__register_number")
    ordering = ("-status_changed_at",)
    fields = (
        "display_name",
        "slug",
        "register_entry",
        "status",
        "status_reason",
        "is_trusted",
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

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(selectors.MODERATE_PERMISSION)

    @admin.action(
        description=_("Trust: edits of listings on sale skip review"), permissions=["moderate"]
    )
    def mark_trusted(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_trusted(request, queryset, is_trusted=True)

    @admin.action(description=_("Withdraw trust"), permissions=["moderate"])
    def withdraw_trust(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_trusted(request, queryset, is_trusted=False)

    def _set_trusted(
        self, request: HttpRequest, queryset: QuerySet[Shop], *, is_trusted: bool
    ) -> None:
        if not isinstance(request.user, User):
            return
        for shop in queryset.order_by("pk"):
            try:
                services.set_shop_trusted(shop=shop, moderator=request.user, is_trusted=is_trusted)
            except ShopError as refusal:
                self.message_user(request, f"{shop}: {refusal.message}", messages.ERROR)
