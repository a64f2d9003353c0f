"""Use cases that change users and roles. Each owns its transaction."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from souk.accounts.errors import RoleNotSelfService
from souk.accounts.models import User
from souk.accounts.roles import ROLE_PERMISSIONS, SELF_SERVICE_ROLES, STAFF_ROLES, Role


def sync_roles() -> None:
    """Make the groups and their permissions match ROLE_PERMISSIONS exactly (idempotent)."""
    with transaction.atomic():
        for role, codenames in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=role.value)
            permissions = []
            for dotted in codenames:
                app_label, codename = dotted.split(".", 1)
                permissions.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            group.permissions.set(permissions)


@transaction.atomic
def register_user(
    *,
    full_name: str,
    password: str,
    role: Role,
    email: str | None = None,
    phone: str | None = None,
    preferred_language: str = "fr",
    preferred_currency: str | None = None,
) -> User:
    """Create an account for someone signing up as a buyer or an artisan.

    Preconditions: email and phone are already normalised and free (the form checks), and at
    least one is given. Other roles are granted by an administrator with `grant_role`.
    """
    if role not in SELF_SERVICE_ROLES:
        raise RoleNotSelfService()
    extra = {"preferred_currency": preferred_currency} if preferred_currency else {}
    user = User.objects.create_user(
        email=email,
        phone=phone,
        password=password,
        full_name=full_name,
        preferred_language=preferred_language,
        **extra,
    )
    _add_role(user=user, role=role)
    return user


def create_guest(
    *, full_name: str, email: str, phone: str, preferred_language: str, preferred_currency: str
) -> User:
    """A buyer without an account, for one checkout: no log-in identifier and no password, only
    the email and phone (normalised by the caller) where the order's notices go."""
    user = User(
        email=None,
        phone=None,
        full_name=full_name,
        is_guest=True,
        guest_email=email,
        guest_phone=phone,
        preferred_language=preferred_language,
        preferred_currency=preferred_currency,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def grant_role(*, user: User, role: Role) -> User:
    """Give `user` a role; staff roles also open the back office (`is_staff`)."""
    _add_role(user=user, role=role)
    return user


@transaction.atomic
def withdraw_role(*, user: User, role: Role) -> User:
    """Take a role away; `is_staff` stays only while another staff role remains."""
    user.groups.remove(Group.objects.get(name=role.value))
    remaining = {Role(name) for name in user.groups.values_list("name", flat=True)}
    is_staff = user.is_superuser or bool(remaining & STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user


def _add_role(*, user: User, role: Role) -> None:
    group, _created = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def set_preferred_currency(*, user: User, currency: str) -> User:
    """Remember the currency a signed-in visitor sees prices in."""
    user.preferred_currency = currency
    user.full_clean(exclude=["password"])
    user.save(update_fields=["preferred_currency"])
    return user


def update_profile(
    *, user: User, full_name: str, preferred_language: str, preferred_currency: str
) -> User:
    """Change the name and the display preferences of an account."""
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.preferred_currency = preferred_currency
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language", "preferred_currency"])
    return user
