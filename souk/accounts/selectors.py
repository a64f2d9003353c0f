"""Reads about users."""

from __future__ import annotations

from souk.accounts.models import User
from souk.accounts.phones import looks_like_email, normalize_phone
from souk.accounts.roles import Role


def get_user_by_login(*, identifier: str) -> User:
    """The user whose email (any case) or phone (any writing) is `identifier`.

    Raises User.DoesNotExist, or ValidationError when a phone-like identifier is no number.
    """
    identifier = identifier.strip()
    if looks_like_email(identifier):
        return User.objects.get(email__iexact=identifier)
    return User.objects.get(phone=normalize_phone(identifier))


def list_operators() -> list[User]:
    """Active administrators who may open the back office: they follow the alerts."""
    admins = User.objects.filter(is_active=True, groups__name=Role.ADMIN).distinct()
    return [user for user in admins.order_by("pk") if user.has_perm("accounts.access_backoffice")]
