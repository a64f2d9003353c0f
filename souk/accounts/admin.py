"""Back office pages for accounts."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.accounts.phones import normalize_phone

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
