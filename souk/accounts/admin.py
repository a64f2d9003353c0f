"""Back office pages for accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from souk.accounts import sessions
from souk.accounts.models import User
from souk.accounts.phones import normalize_phone
from souk.accounts.roles import STAFF_ROLES
from souk.notifications import contact_changes

# Only a superuser changes these, or grants and withdraws a staff role: an administrator who
# could would make themselves superuser (issue #13, defect 9).
PRIVILEGE_FIELDS = ("is_staff", "is_superuser")
# Nor an account's email or phone: whoever sets them receives its password reset links, so an
# administrator could take over any account (review finding C2).
CONTACT_FIELDS = ("email", "phone")
STAFF_ROLE_NAMES = sorted(role.value for role in STAFF_ROLES)

admin.site.site_header = _("Souk back office")
admin.site.site_title = _("Souk back office")
admin.site.index_title = _("Administration")


class _PhoneMixin:
    cleaned_data: dict[str, object]

    def clean_phone(self) -> str | None:
        raw = str(self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(raw) if raw else None

    def clean_email(self) -> str | None:
        email = str(self.cleaned_data.get("email") or "").strip().lower()
        return email or None


class UserCreationAdminForm(_PhoneMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "phone")


class UserChangeAdminForm(_PhoneMixin, UserChangeForm):  # type: ignore[type-arg]  # stubs lag
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
# The stubs bind Django's UserAdmin to AbstractUser; ours derives from AbstractBaseUser.
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("-created_at",)
    list_display = ("full_name", "email", "phone", "is_staff", "is_active", "created_at")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("full_name", "email", "phone")
    readonly_fields = ("created_at", "last_login")
    fieldsets = (
        (None, {"fields": ("full_name", "email", "phone", "password")}),
        (_("Preferences"), {"fields": ("preferred_language", "preferred_currency")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "created_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "full_name",
                    "email",
                    "phone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if _is_superuser(request):
            return fields
        if obj is None:
            # A new account needs its email or phone; it is nobody's way in yet.
            return fields + PRIVILEGE_FIELDS
        return fields + PRIVILEGE_FIELDS + CONTACT_FIELDS

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name == "groups" and not _is_superuser(request):
            kwargs["queryset"] = Group.objects.exclude(name__in=STAFF_ROLE_NAMES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Another staff member's email or password is a way into their privileges.
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = User.objects.get(pk=obj.pk) if change else None
        if before is not None and not _is_superuser(request):
            guarded = PRIVILEGE_FIELDS + CONTACT_FIELDS
            if any(getattr(before, name) != getattr(obj, name) for name in guarded):
                raise PermissionDenied
        super().save_model(request, obj, form, change)
        if before is not None:
            contact_changes.contact_changed(
                user=obj, old_email=before.email, old_phone=before.phone
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        old_key = request.session.session_key
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            sessions.rekey(old_key=old_key, new_key=request.session.session_key)
            # A new password ends the sessions opened with the old one (but the staff
            # member's own, when they changed their own password here).
            user = User.objects.get(pk=id)
            sessions.end_other_sessions(user=user, keep_session_key=request.session.session_key)
        return response

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The form of a non-superuser does not offer staff roles: keep those already held.
        held = list(form.instance.groups.filter(name__in=STAFF_ROLE_NAMES)) if change else []
        super().save_related(request, form, formsets, change)
        if not _is_superuser(request) and held:
            form.instance.groups.add(*held)


def _is_superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


def _may_edit(request: HttpRequest, obj: Any) -> bool:
    if obj is None or _is_superuser(request):
        return True
    if obj.pk == getattr(request.user, "pk", None):
        return True
    return not (obj.is_superuser or obj.is_staff)
