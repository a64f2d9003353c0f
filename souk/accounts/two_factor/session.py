"""What a session knows about the second factor: whether a code was accepted in it, and when
its owner last re-authenticated. Kept with the user's id, so that a session taken over by
another login (Django keeps the data when the same user logs in again) proves nothing for
another account."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

VERIFIED_KEY = "two_factor_verified_for"
REAUTHENTICATED_KEY = "two_factor_reauthenticated"
# Set at the first request of a session whose account neither has nor needs a second factor,
# so that later requests cost no query.
NOT_NEEDED_KEY = "two_factor_not_needed_for"
# Recovery codes just created, shown once by the next page that reads them.
NEW_CODES_KEY = "two_factor_new_recovery_codes"


def mark_verified(session: SessionBase, *, user_id: int) -> None:
    session[VERIFIED_KEY] = user_id
    session.pop(NOT_NEEDED_KEY, None)


def is_verified(session: SessionBase, *, user_id: int) -> bool:
    return bool(session.get(VERIFIED_KEY) == user_id)


def mark_reauthenticated(session: SessionBase, *, user_id: int) -> None:
    session[REAUTHENTICATED_KEY] = [user_id, int(time.time())]


def is_recently_authenticated(session: SessionBase, *, user_id: int) -> bool:
    """Whether the owner confirmed their password in the last SOUK_REAUTH_MINUTES."""
    value = session.get(REAUTHENTICATED_KEY)
    if not (isinstance(value, list) and len(value) == 2 and value[0] == user_id):
        return False
    age = time.time() - float(value[1])
    return 0 <= age <= settings.SOUK_REAUTH_MINUTES * 60
