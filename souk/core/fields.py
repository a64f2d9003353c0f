"""Model fields for personal data at rest (the keys and algorithms are in souk.core.crypto).

`EncryptedTextField` keeps text as a Fernet token; the attribute holds the plain text. An empty
value is stored empty, so "has a RIB" stays a plain comparison (and the shop's constraints keep
working), and nothing else can be filtered by value: a token differs on every write. A column
that must be looked up gets a `BlindIndexField` beside it, filled from it on every save.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from souk.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # stubs' generics
    """Text encrypted in the database; filter on its blind index, never on its value."""

    description = "Text encrypted at rest"

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(str(value))


class BlindIndexField(models.CharField):  # type: ignore[type-arg]  # stubs' generics
    """The HMAC of another field's value (souk.core.crypto.blind_index), set when saved.

    `source` names the field indexed, whose values are normalised before they are stored;
    `purpose` separates the digests of different columns. A save limited by `update_fields`
    must list this field beside its source.
    """

    description = "Blind index of another field"

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def index_of(self, value: str) -> str:
        """The digest a value of the source field is stored under."""
        return crypto.blind_index(value, purpose=self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        digest = self.index_of(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, digest)
        return digest
