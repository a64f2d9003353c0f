"""Back office for shared data: exchange rates (editable by staff) and the audit log (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from souk.core.models import AuditEntry, ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    list_display = ("date", "currency", "mad_per_unit", "source", "imported_at")
    list_filter = ("currency",)
    date_hierarchy = "date"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor", "action", "target_type", "target_id", "reason")
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "reason", "actor__email")
    readonly_fields = ("at", "actor", "action", "target_type", "target_id", "reason", "data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
