"""Back office: settlement reconciliations and cash-on-delivery remittances, read-only.

They are written by the import commands only (reconcile_settlement, import_cod_remittance);
operators look them up and filter the lines by result."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from souk.payments.models import CodRemittance, SettlementImport, SettlementLine


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(SettlementImport)
class SettlementImportAdmin(ReadOnlyAdmin):
    list_display = (
        "settlement_date",
        "file_name",
        "imported_at",
        "matched_count",
        "missing_in_souk_count",
        "missing_in_file_count",
        "amount_mismatch_count",
        "duplicate_count",
        "rejected_count",
        "lines_link",
    )
    date_hierarchy = "settlement_date"
    ordering = ("-settlement_date", "-imported_at")
    readonly_fields = (*list_display[:-1], "line_count", "lines_link")

    @admin.display(description=_("lines"))
    def lines_link(self, settlement_import: SettlementImport) -> SafeString:
        url = reverse("admin:payments_settlementline_changelist")
        return format_html(
            '<a href="{}?settlement_import__id__exact={}">{}</a>',
            url,
            settlement_import.pk,
            _("Open"),
        )


@admin.register(SettlementLine)
class SettlementLineAdmin(ReadOnlyAdmin):
    list_display = (
        "settlement_import",
        "line_number",
        "kind",
        "transaction_type",
        "gateway_order_id",
        "transaction_id",
        "file_amount",
        "souk_amount",
        "currency",
        "note",
    )
    list_filter = ("kind", "transaction_type", "settlement_import")
    search_fields = ("gateway_order_id", "transaction_id")
    list_select_related = ("settlement_import",)
    readonly_fields = (*list_display, "fee_amount", "attempt", "refund")


@admin.register(CodRemittance)
class CodRemittanceAdmin(ReadOnlyAdmin):
    list_display = (
        "remittance_id",
        "remittance_date",
        "carrier",
        "sub_order",
        "collected_amount",
        "currency",
        "imported_at",
    )
    list_filter = ("carrier",)
    date_hierarchy = "remittance_date"
    search_fields = ("remittance_id", "sub_order__reference")
    list_select_related = ("sub_order",)
    readonly_fields = (*list_display, "intent", "file_name", "line_number")
