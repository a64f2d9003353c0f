"""The back office's view of help requests (read only: they move through help.py) and of
nudge preferences (an administrator may turn nudges back on for an artisan who asks)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from souk.support.help_models import HelpRequest, NudgePreference


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin[HelpRequest]):
    list_display = ("artisan", "advisor", "region_code", "topic", "status", "created_at")
    list_filter = ("status", "topic", "channel", "region_code")
    readonly_fields = [field.name for field in HelpRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NudgePreference)
class NudgePreferenceAdmin(admin.ModelAdmin[NudgePreference]):
    list_display = ("artisan", "opted_out_at", "opted_out_by")
    list_filter = ("opted_out_by",)
    fields = ("artisan", "opted_out_at", "opted_out_by")
    readonly_fields = ("artisan", "opted_out_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
