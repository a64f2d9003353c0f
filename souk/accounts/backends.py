"""Log in with an email address or a phone number in any common writing, through the throttle."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Field
from django.http import HttpRequest

from souk.accounts import devices, selectors, throttle
from souk.accounts.models import User
from souk.core.client_ip import client_ip


class EmailOrPhoneBackend(ModelBackend):
    """`username` may be `amina@example.ma`, `06 12 34 56 78` or `+33 6 12 34 56 78`.

    The only backend (settings.AUTHENTICATION_BACKENDS), so every log-in — the site's, the
    back office's, any later API's — is throttled here: a throttled attempt raises
    LoginThrottled (429) before the password is read. A valid device cookie for the account
    (devices.py) exempts the attempt from the account's shared delay.
    """

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
        ip_address = client_ip(request) if request is not None else None
        try:
            user: User | None = selectors.get_user_by_login(identifier=identifier)
        except (User.DoesNotExist, ValidationError):
            user = None
        # A browser where this account logged in before is exempt from its shared delay.
        device = (
            devices.trusted_device(request=request, user=user)
            if user is not None and request is not None
            else None
        )
        throttle.check_login(
            identifier=identifier,
            ip_address=ip_address,
            account_exists=user is not None,
            device=device,
        )
        if user is None:
            # Hash anyway so that an unknown login takes as long as a wrong password.
            User().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            throttle.record_login_success(identifier=identifier, device=device)
            return user
        throttle.record_login_failure(identifier=identifier, ip_address=ip_address, device=device)
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a request, from its row read with one plain SELECT: every
        signed-in request runs it, and building it through the ORM cost more than running it
        (docs/benchmarks.md, "Product page against the bare-Django ceiling"). The same row,
        fields and conversions as `User.objects.get(pk=...)`; an inactive user is refused. When the
        session was read, the row read with it (READ_WITH_SESSION) if it is this user's."""
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _read_user(pk)
        return user if user is not None and self.user_can_authenticate(user) else None


Converter = Callable[[Any, Any, Any], Any]
Fields = list[tuple[Field[Any, Any], list[Converter]]]
_CONVERTERS: dict[str, Fields] = {}
# The signed-in user's row as read with the session (accounts/session_store.py), offered to
# `get_user` only while the authentication middleware asks for the request's user.
READ_WITH_SESSION: ContextVar[User | None] = ContextVar("souk_user_read_with_session", default=None)


def user_fields(using: str) -> Fields:
    """The user's columns, each with the backend's then the field's converters, in the order
    the ORM's compiler applies them."""
    fields = _CONVERTERS.get(using)
    if fields is None:
        connection = connections[using]
        table = User._meta.db_table
        fields = _CONVERTERS[using] = [
            (
                field,
                connection.ops.get_db_converters(field.get_col(table))
                + field.get_db_converters(connection),  # type: ignore[attr-defined]  # stubs lack it
            )
            for field in User._meta.concrete_fields
        ]
    return fields


def user_from_row(using: str, row: Sequence[Any]) -> User:
    """The User of a row of `user_fields(using)`'s columns, as the ORM would build it."""
    connection = connections[using]
    table = User._meta.db_table
    fields = user_fields(using)
    values = []
    for (field, converters), value in zip(fields, row, strict=True):
        for converter in converters:
            value = converter(value, field.get_col(table), connection)
        values.append(value)
    return User.from_db(using, [field.attname for field, _converters in fields], values)


def _read_user(pk: Any) -> User | None:
    read = READ_WITH_SESSION.get()
    if read is not None and read.pk == pk:
        return read
    using = router.db_for_read(User)
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field, _converters in user_fields(using))
    table = quote(User._meta.db_table)
    sql = f"SELECT {columns} FROM {table} WHERE {quote(User._meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return None if row is None else user_from_row(using, row)
