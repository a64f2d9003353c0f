"""Reads of the artisan's path: where a person stands on it."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser

from souk.accounts.models import User
from souk.catalog.models import ProductStatus
from souk.onboarding.models import PhoneCheck, PieceDraft
from souk.shops.models import MemberRole, Shop, ShopMember


class Step(enum.StrEnum):
    """The screens of the path after the home page, in order (docs/artisan-path.md)."""

    START = "start"
    CODE = "code"
    PIECE = "piece"
    SENT = "sent"


def get_own_shop(user: User) -> Shop | None:
    """The shop of the register entry this account claimed, or None."""
    membership = (
        ShopMember.objects.filter(
            user=user, role=MemberRole.MANAGER, shop__register_entry__claimed_by=user
        )
        .select_related("shop__register_entry__trade")
        .first()
    )
    return membership.shop if membership is not None else None


def get_step(user: User | AnonymousUser) -> Step:
    """The screen this person should see next: where they left off, never further."""
    if not isinstance(user, User):
        return Step.START
    check = PhoneCheck.objects.filter(user=user).first()
    if check is not None and not check.is_verified:
        return Step.CODE
    shop = get_own_shop(user)
    if shop is None:
        return Step.START
    if shop.products.exclude(status=ProductStatus.DRAFT).exists():
        return Step.SENT
    return Step.PIECE


def get_piece_draft(user: User) -> PieceDraft | None:
    return PieceDraft.objects.filter(user=user).first()


def list_phone_verified_at(user_ids: Sequence[int]) -> dict[int, datetime.datetime]:
    """When these accounts proved their phone (support's path, souk.support.milestones)."""
    rows = PhoneCheck.objects.filter(user_id__in=list(user_ids), verified_at__isnull=False)
    return {user_id: when for user_id, when in rows.values_list("user_id", "verified_at") if when}


def list_without_phone_check(user_ids: Sequence[int]) -> set[int]:
    """Accounts that never had to prove a phone (no code was ever texted to them)."""
    ids = set(user_ids)
    return ids - set(PhoneCheck.objects.filter(user_id__in=ids).values_list("user_id", flat=True))


def get_phone_check(user: User) -> PhoneCheck | None:
    return PhoneCheck.objects.filter(user=user).first()
