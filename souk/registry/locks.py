"""Row locks taken by the register's use cases (select_for_update querysets, nothing else).

Order, wherever both are taken: the account first, then the register entry.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from souk.registry.models import RegisterEntry


def account_for_claim(user_id: int) -> QuerySet[AbstractBaseUser]:
    """The claiming account: its attempts are serialised, so the throttle counts every one."""
    return get_user_model().objects.select_for_update().filter(pk=user_id)


def entry_for_claim(register_number: str) -> QuerySet[RegisterEntry]:
    """The entry being claimed: two accounts claiming it at once are served one after the
    other, and the second sees it claimed."""
    return RegisterEntry.objects.select_for_update().filter(register_number=register_number)
