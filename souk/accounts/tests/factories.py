"""Factories for accounts tests."""

from __future__ import annotations

from typing import Any, cast

import factory

from souk.accounts.models import User

TEST_PASSWORD = "a-long-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@souk.example")
    phone = None

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        user = cast(User, self)
        user.set_password(extracted or TEST_PASSWORD)
        if create:
            user.save(update_fields=["password"])


def make_user(**fields: Any) -> User:
    """A saved user whose password is TEST_PASSWORD (typed wrapper over UserFactory)."""
    return cast(User, UserFactory(**fields))
