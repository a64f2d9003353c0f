"""Back office: payouts and runs to look up, read-only. Money moves only through the payout
services (runs, the status report), so every move follows PAYOUT_TRANSITIONS and the ledger."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from souk.ledger.models import Payout, PayoutEvent, PayoutRun


class PayoutEventInline(admin.TabularInline[PayoutEvent, Payout]):
    model = PayoutEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "actor_role", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Payout | None = None) -> bool:
        return False


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin[Payout]):
    list_display = ("reference", "shop", "amount", "method", "status", "created_at")
    list_filter = ("status", "method")
    search_fields = ("reference", "shop__display_name", "provider_reference")
    fields = (
        "reference",
        "run",
        "shop",
        "amount",
        "currency",
        "method",
        "creditor_name",
        "status",
        "provider_reference",
        "send_error",
        "settled_on",
        "return_reason",
        "created_at",
        "status_changed_at",
    )
    readonly_fields = fields
    inlines = [PayoutEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payout | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payout | None = None) -> bool:
        return False


@admin.register(PayoutRun)
class PayoutRunAdmin(admin.ModelAdmin[PayoutRun]):
    list_display = ("reference", "run_date", "status", "started_by", "finished_at")
    fields = ("reference", "key", "run_date", "status", "started_by", "started_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PayoutRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PayoutRun | None = None) -> bool:
        return False
