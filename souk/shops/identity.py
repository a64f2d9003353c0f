"""Use cases of an approved shop's identity: its name and workshop city, as buyers see them.

Once a shop has been approved, a new name or city is a request (ShopIdentityChange): the
public page, search and orders keep the approved values until a moderator approves the
change, so an approved shop cannot turn into another one (an impersonation, a misleading
name) without review. Each use case owns its transaction and writes its audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from souk.accounts.models import User
from souk.core import audit, events
from souk.shops import locks, selectors
from souk.shops.errors import (
    CannotModerateOwnShop,
    NoIdentityChangePending,
    NotAModerator,
    ReasonRequired,
)
from souk.shops.events import ShopShownChanged
from souk.shops.models import IdentityChangeStatus, Shop, ShopIdentityChange, ShopMember


def propose_identity_change(
    *, shop: Shop, actor: User, display_name: str, workshop_city: str
) -> ShopIdentityChange | None:
    """Record the name and city an approved shop asks for; returns the pending change, or None
    when they are the approved ones (a pending change is then withdrawn).

    Precondition: called by update_shop_profile with `shop` locked and `actor` its manager.
    """
    with transaction.atomic():
        pending = ShopIdentityChange.objects.filter(
            shop=shop, status=IdentityChangeStatus.PENDING
        ).first()
        if (display_name, workshop_city) == (shop.display_name, shop.workshop_city):
            if pending is not None:
                pending.delete()
                audit.record(actor=actor, action="shop.identity_change_withdrawn", target=shop)
            return None
        if pending is not None and (pending.display_name, pending.workshop_city) == (
            display_name,
            workshop_city,
        ):
            return pending
        if pending is None:
            pending = ShopIdentityChange(shop=shop)
        pending.display_name = display_name
        pending.workshop_city = workshop_city
        pending.requested_by = actor
        pending.requested_at = timezone.now()
        pending.save()
        audit.record(
            actor=actor,
            action="shop.identity_change_requested",
            target=shop,
            data={"display_name": display_name, "workshop_city": workshop_city},
        )
        return pending


def approve_identity_change(*, shop: Shop, moderator: User) -> Shop:
    """Make the pending name and city the shop's public ones.

    Preconditions: `moderator` holds accounts.moderate_content and is not a member of the
    shop; a change is pending. The shop's address stays, so that links keep working.
    """
    with transaction.atomic():
        locked, pending = _lock_for_decision(shop, moderator)
        locked.display_name = pending.display_name
        locked.workshop_city = pending.workshop_city
        locked.updated_at = timezone.now()
        locked.save(update_fields=["display_name", "workshop_city", "updated_at"])
        _decide(pending, moderator=moderator, status=IdentityChangeStatus.APPROVED, reason="")
        audit.record(
            actor=moderator,
            action="shop.identity_change_approved",
            target=locked,
            data={"display_name": pending.display_name, "workshop_city": pending.workshop_city},
        )
        _public_identity_changed(locked)
        return locked


def reject_identity_change(*, shop: Shop, moderator: User, reason: str) -> Shop:
    """Refuse the pending name and city; the approved ones stay and `reason` says why.

    Preconditions: as approve_identity_change, and a reason is given.
    """
    reason = reason.strip()
    if not reason:
        raise ReasonRequired()
    with transaction.atomic():
        locked, pending = _lock_for_decision(shop, moderator)
        _decide(pending, moderator=moderator, status=IdentityChangeStatus.REJECTED, reason=reason)
        audit.record(
            actor=moderator,
            action="shop.identity_change_rejected",
            target=locked,
            reason=reason,
            data={"display_name": pending.display_name, "workshop_city": pending.workshop_city},
        )
        return locked


def _lock_for_decision(shop: Shop, moderator: User) -> tuple[Shop, ShopIdentityChange]:
    if not moderator.has_perm(selectors.MODERATE_PERMISSION):
        raise NotAModerator()
    locked = locks.shop_for_update(shop.pk).get()
    if ShopMember.objects.filter(shop=locked, user=moderator).exists():
        raise CannotModerateOwnShop()
    pending = ShopIdentityChange.objects.filter(
        shop=locked, status=IdentityChangeStatus.PENDING
    ).first()
    if pending is None:
        raise NoIdentityChangePending()
    return locked, pending


def _decide(
    pending: ShopIdentityChange, *, moderator: User, status: IdentityChangeStatus, reason: str
) -> None:
    pending.status = status
    pending.decided_by = moderator
    pending.decided_at = timezone.now()
    pending.reason = reason
    pending.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _public_identity_changed(shop: Shop) -> None:
    """The name shows on the shop's listings and in search: they are indexed again."""
    events.publish(ShopShownChanged(shop_id=shop.pk, reindex=True))
