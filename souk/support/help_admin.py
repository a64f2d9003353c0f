"""The back office's view of help requests (read only: they move through help.py), of
nudge preferences (an administrator may turn nudges back on for an artisan who asks), and of
the SMS replies kept as they came (the unhandled ones first; "handle again" tries them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from souk.support import sms_replies
from souk.support.help_models import HelpRequest, NudgePreference
from souk.support.sms_models import SmsReply, SmsReplyStatus


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


@admin.register(SmsReply)
class SmsReplyAdmin(admin.ModelAdmin[SmsReply]):
    list_display = ("received_at", "sender", "text", "status", "result", "attempts", "error")
    list_filter = ("status",)
    search_fields = ("sender", "message_id")
    readonly_fields = [field.name for field in SmsReply._meta.fields]
    actions = ["handle_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing is edited by hand (every field is read only); "change" allows the action.
        return super().has_change_permission(request, obj)

    @admin.action(description=_("Handle the chosen replies again"), permissions=["change"])
    def handle_again(self, request: HttpRequest, queryset: QuerySet[SmsReply]) -> None:
        handled = sum(
            sms_replies.handle(pk).status == SmsReplyStatus.HANDLED
            for pk in queryset.exclude(status=SmsReplyStatus.HANDLED).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d reply handled.", "%(count)d replies handled.", handled)
            % {"count": handled},
            messages.SUCCESS,
        )
