"""Back office: notifications to look up, read-only (they are written by services.notify)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from souk.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("subject", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__email", "recipient__phone")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
