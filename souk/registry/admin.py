"""Back office for the register: reference data and entries (read-only), and register imports.

The staff roles carry `accounts.*` permissions (accounts/roles.py), not the per-model ones, so
access here is decided from them: anyone in the back office reads the reference data and the
entries; only `accounts.verify_artisans` (moderators, administrators, superusers) sees CINs,
uploads register files and downloads the rejected-rows reports, which hold personal data.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.registry import importing
from souk.registry.models import (
    ImportKind,
    ImportStatus,
    Region,
    RegisterEntry,
    RegisterImport,
    Sector,
    Trade,
    cin_index_of,
)
from souk.registry.services import normalize_cin

BACKOFFICE_PERMISSION = "accounts.access_backoffice"
VERIFY_PERMISSION = "accounts.verify_artisans"
# Seconds between two refreshes of a running import's status on its page.
STATUS_REFRESH_SECONDS = 2


def can_read_register(user: Any) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(BACKOFFICE_PERMISSION))


def can_run_imports(user: Any) -> bool:
    """Upload register files and read rejected-rows reports (personal data: CINs, phones)."""
    return bool(user.is_active and user.is_staff and user.has_perm(VERIFY_PERMISSION))


_Model = TypeVar("_Model", bound=models.Model)


class ReadOnlyAdmin(admin.ModelAdmin[_Model]):
    """Shown to every back-office user; changed only by imports and the nomenclature loader."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read_register(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Sector)
class SectorAdmin(ReadOnlyAdmin[Sector]):
    list_display = ("code", "name_fr", "name_ar", "family")
    list_filter = ("family",)
    search_fields = ("code", "name_fr", "name_ar", "name_en", "name_es")


@admin.register(Trade)
class TradeAdmin(ReadOnlyAdmin[Trade]):
    list_display = ("code", "name_fr", "name_ar", "sector", "sells_goods", "is_active")
    list_filter = ("sector", "sells_goods", "is_active")
    list_select_related = ("sector",)
    search_fields = ("code", "name_fr", "name_ar", "name_en", "name_es")


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin[Region]):
    list_display = ("code", "name_fr", "name_ar")
    search_fields = ("code", "name_fr", "name_ar", "name_en", "name_es")


_ENTRY_FIELDS = (
    "register_number",
    "category",
    "qualification",
    "cin",
    "last_name_fr",
    "first_name_fr",
    "last_name_ar",
    "first_name_ar",
    "legal_name_fr",
    "legal_name_ar",
    "ice",
    "birth_date",
    "phone",
    "trade",
    "region",
    "province",
    "commune",
    "registered_at",
    "status",
    "claimed_by",
    "claimed_at",
    "last_seen_import",
    "created_at",
    "updated_at",
)


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin[RegisterEntry]):
    list_display = (
        "register_number",
        "display_name",
        "category",
        "trade",
        "region",
        "status",
        "registered_at",
    )
    list_filter = ("status", "category", "region", ("trade__sector", admin.RelatedFieldListFilter))
    list_select_related = ("trade", "region")
    search_fields = (
        "register_number",
        "last_name_fr",
        "first_name_fr",
        "last_name_ar",
        "first_name_ar",
        "legal_name_fr",
        "legal_name_ar",
    )
    # Counting 420,000 rows on every filtered page costs more than the page.
    show_full_result_count = False
    readonly_fields = _ENTRY_FIELDS

    def get_fields(self, request: HttpRequest, obj: RegisterEntry | None = None) -> tuple[str, ...]:
        if can_run_imports(request.user):
            return _ENTRY_FIELDS
        return tuple(name for name in _ENTRY_FIELDS if name != "cin")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[RegisterEntry], search_term: str
    ) -> tuple[QuerySet[RegisterEntry], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The CIN is encrypted: an operator's search finds it through its blind index.
        if search_term.strip() and can_run_imports(request.user):
            index = cin_index_of(normalize_cin(search_term))
            results |= queryset.filter(cin_index=index)
        return results, may_have_duplicates

    @admin.display(description=_("name"))
    def display_name(self, entry: RegisterEntry) -> str:
        return entry.display_name


class RegisterUploadForm(forms.ModelForm[RegisterImport]):
    source_file = forms.FileField(
        label=_("Register file"),
        help_text=_(
            "The register export as CSV (UTF-8, “,” or “;”) or Excel (.xlsx). The rows are "
            "checked one by one; bad rows are listed in a report and the others imported."
        ),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )

    class Meta:
        model = RegisterImport
        fields = ("source_file", "kind")
        widgets = {"kind": forms.RadioSelect}


_IMPORT_FIELDS = (
    "original_name",
    "kind",
    "requested_by",
    "requested_at",
    "language",
    "started_at",
    "finished_at",
    "live_status",
)


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin[RegisterImport]):
    list_display = (
        "original_name",
        "kind",
        "status",
        "requested_at",
        "requested_by",
        "processed_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "deactivated_count",
        "rejected_count",
        "warning_count",
    )
    list_filter = ("status", "kind")
    list_select_related = ("requested_by",)
    readonly_fields = _IMPORT_FIELDS
    form = RegisterUploadForm

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_run_imports(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_run_imports(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An import is a record of what happened: it is started, then only read.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(
        self, request: HttpRequest, obj: RegisterImport | None = None
    ) -> tuple[str, ...]:
        return ("source_file", "kind") if obj is None else _IMPORT_FIELDS

    def get_readonly_fields(
        self, request: HttpRequest, obj: RegisterImport | None = None
    ) -> tuple[str, ...]:
        return () if obj is None else _IMPORT_FIELDS

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> RegisterImport:
        # The upload is a use case (store the file, audit, queue the task), not a bare save.
        return importing.request_import(
            uploaded_file=form.cleaned_data["source_file"],
            kind=ImportKind(form.cleaned_data["kind"]),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            # admin_view lets only signed-in staff this far.
            requested_by=cast(User, request.user),
        )

    def save_model(
        self, request: HttpRequest, obj: RegisterImport, form: Any, change: bool
    ) -> None:
        """Saved by `request_import` in `save_form` already."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """An import has no related objects to save."""

    def response_add(
        self, request: HttpRequest, obj: RegisterImport, post_url_continue: str | None = None
    ) -> HttpResponse:
        self.message_user(
            request,
            _("The file is queued for import. This page shows its progress."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:registry_registerimport_change", args=[obj.pk]))

    @admin.display(description=_("progress"))
    def live_status(self, register_import: RegisterImport) -> SafeString:
        return self.render_status(register_import)

    def render_status(self, register_import: RegisterImport) -> SafeString:
        is_running = register_import.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
        report_url = (
            reverse("admin:registry_registerimport_report", args=[register_import.pk])
            if register_import.report_file
            else ""
        )
        context = {
            "register_import": register_import,
            "is_running": is_running,
            "refresh_seconds": STATUS_REFRESH_SECONDS,
            "status_url": reverse(
                "admin:registry_registerimport_status", args=[register_import.pk]
            ),
            "report_url": report_url,
        }
        return SafeString(render_to_string("admin/registry/registerimport/status.html", context))

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        own = [
            path(
                "<int:import_id>/status/",
                wrap(self.status_view),
                name="registry_registerimport_status",
            ),
            path(
                "<int:import_id>/report/",
                wrap(self.report_view),
                name="registry_registerimport_report",
            ),
        ]
        # Before the default URLs, whose `<path:object_id>/` would match these first.
        return own + super().get_urls()

    def status_view(self, request: HttpRequest, import_id: int) -> HttpResponse:
        """The live part of an import's page, fetched again every few seconds while it runs."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        register_import = self._get_import(import_id)
        return HttpResponse(self.render_status(register_import))

    def report_view(self, request: HttpRequest, import_id: int) -> FileResponse:
        """The rejected-rows report, from private storage, to operators who may see CINs."""
        if not can_run_imports(request.user):
            raise PermissionDenied
        register_import = self._get_import(import_id)
        if not register_import.report_file:
            raise Http404
        # admin_view marks the response never_cache: no copy stays in a shared cache.
        return FileResponse(
            register_import.report_file.open("rb"),
            as_attachment=True,
            filename=f"register-import-{register_import.pk}-rejected-rows.csv",
            content_type="text/csv; charset=utf-8",
        )

    def _get_import(self, import_id: int) -> RegisterImport:
        queryset: QuerySet[RegisterImport] = RegisterImport.objects.all()
        try:
            return queryset.get(pk=import_id)
        except RegisterImport.DoesNotExist as error:
            raise Http404 from error
