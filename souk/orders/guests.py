"""Buyers without an account: the guest of one browser session, the signed link to their
order, and their orders moving to an account (docs/orders.md "Guest checkout").

A guest is a User with `is_guest` (accounts.services.create_guest): no log-in, notices to the
email and phone they gave. The session that placed the order knows the guest (its pay pages);
anyone else reaches the order only through a link signed with the site's secret over the
reference and the guest, never through an id that can be counted. Orders move to an account
when it is created from the order's page, or when its owner signs in with the same email: never
on the email alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse

from souk.accounts.models import User
from souk.notifications.models import Notification
from souk.orders.models import Order

GUEST_SESSION_KEY = "guest_buyer_id"
_SALT = "souk.orders.guest-order"


def session_guest(session: Mapping[str, Any]) -> User | None:
    """The guest this browser session checked out as, if it is still a guest."""
    guest_id = session.get(GUEST_SESSION_KEY)
    if not isinstance(guest_id, int):
        return None
    return User.objects.filter(pk=guest_id, is_guest=True).first()


def buyer_of(user: object, session: Mapping[str, Any]) -> User | None:
    """Who buys in this request: the signed-in account, else the session's guest."""
    if isinstance(user, User):
        return user
    return session_guest(session)


def order_token(order: Order) -> str:
    """The unguessable part of a guest order's link: the reference and guest, signed (no
    timestamp: one link per order, the same in every notice)."""
    return signing.Signer(salt=_SALT).sign_object({"r": order.reference, "b": order.buyer_id})


def order_link(order: Order) -> str:
    return reverse("orders:guest_order", kwargs={"token": order_token(order)})


def read_token(token: str) -> tuple[str, int]:
    """The (reference, guest id) a link names; raises Order.DoesNotExist when it was altered."""
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
        return str(data["r"]), int(data["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise Order.DoesNotExist from error


def attach_orders(*, guest: User, account: User) -> int:
    """Move the guest's orders (and their notices) to `account`; the guest is no more.

    The caller has checked that whoever asks holds both: the guest (its session or its signed
    link) and the account (signed in, or created just now with the guest's email)."""
    if not guest.is_guest or account.is_guest:
        return 0
    with transaction.atomic():
        moved = Order.objects.filter(buyer=guest).update(buyer=account)
        Notification.objects.filter(recipient=guest).update(recipient=account)
        User.objects.filter(pk=guest.pk).update(is_active=False)
    return moved
