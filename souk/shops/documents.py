"""Use cases of a shop's KYC documents on the moderators' side: accepting what they looked at.

Payouts wait until the shop has a payout destination and every kind of document accepted
(selectors.list_missing_for_payout, docs/payouts.md): the artisan lists first and sends these
before the first payout, and a moderator accepts them here, or by approving the shop they show.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from souk.accounts.models import User
from souk.core import audit
from souk.shops import locks, selectors
from souk.shops.errors import NotAModerator
from souk.shops.models import KycDocument, Shop


def mark_documents_accepted(*, shop: Shop, moderator: User) -> int:
    """Accept the shop's documents not accepted yet, inside the caller's transaction; returns
    how many. Does nothing for a moderator who may not read KYC scans."""
    if not moderator.has_perm(selectors.VERIFY_ARTISANS_PERMISSION):
        return 0
    kinds = list(
        KycDocument.objects.filter(shop=shop, accepted_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    if not kinds:
        return 0
    KycDocument.objects.filter(shop=shop, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=moderator
    )
    audit.record(
        actor=moderator,
        action="shop.kyc_documents_accepted",
        target=shop,
        data={"kinds": sorted(kinds)},
    )
    return len(kinds)


def accept_kyc_documents(*, shop: Shop, moderator: User) -> int:
    """A moderator accepts the shop's documents as they are now; returns how many were new.

    Precondition: `moderator` holds accounts.verify_artisans (who may read the scans)."""
    if not moderator.has_perm(selectors.VERIFY_ARTISANS_PERMISSION):
        raise NotAModerator()
    with transaction.atomic():
        locked = locks.shop_for_update(shop.pk).get()
        return mark_documents_accepted(shop=locked, moderator=moderator)
