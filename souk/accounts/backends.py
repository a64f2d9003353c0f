"""Log in with an email address or a phone number in any common writing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from souk.accounts import selectors
from souk.accounts.models import User


class EmailOrPhoneBackend(ModelBackend):
    """`username` may be `amina@example.ma`, `06 12 34 56 78` or `+33 6 12 34 56 78`."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        identifier = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if not identifier or password is None:
            return None
        try:
            user = selectors.get_user_by_login(identifier=identifier)
        except (User.DoesNotExist, ValidationError):
            # Hash anyway so that an unknown login takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
