"""The back office's advisors: administrators define who covers which regions and sectors,
and see each advisor's assignments (history included)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from souk.support import services
from souk.support.models import Advisor, Assignment


class AssignmentInline(admin.TabularInline[Assignment, Advisor]):
    model = Assignment
    fields = ("artisan", "started_at", "start_reason", "ended_at", "end_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin[Advisor]):
    list_display = ("__str__", "capacity", "open_count", "is_active")
    list_filter = ("is_active", "regions", "sectors")
    search_fields = ("user__full_name", "user__email")
    autocomplete_fields = ("user",)
    filter_horizontal = ("regions", "sectors")
    fields = (
        "user",
        "regions",
        "sectors",
        "capacity",
        "languages",
        "contact_phone",
        "contact_hours",
        "photo",
        "is_active",
    )
    inlines = [AssignmentInline]
    actions = ["release"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Advisor]:
        return super().get_queryset(request).select_related("user")

    @admin.action(description=_("The advisor leaves: share their artisans among the others"))
    def release(self, request: HttpRequest, queryset: QuerySet[Advisor]) -> None:
        moved = 0
        for advisor in queryset:
            moved += sum(services.release_advisor(advisor=advisor, actor=request.user).values())  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext(
                "%(count)d artisan moved to another advisor.",
                "%(count)d artisans moved to other advisors.",
                moved,
            )
            % {"count": moved},
            messages.SUCCESS,
        )


# Help requests and nudge preferences have their own module (docs/support.md).
from souk.support import help_admin  # noqa: E402, F401  (registers its models)
