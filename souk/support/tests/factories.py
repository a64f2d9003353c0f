"""Advisors and artisans for support's tests, made through the real services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.registry.models import Region, Sector
from souk.shops.models import Shop
from souk.shops.tests.factories import make_claimed_shop, owner_of
from souk.support.models import Advisor, Progress


def make_advisor(
    *,
    regions: Sequence[str] = ("07",),
    sectors: Sequence[str] = ("S01",),
    capacity: int = 100,
    **user_fields: Any,
) -> Advisor:
    """An advisor covering these regions and sectors (Marrakech-Safi pottery by default)."""
    user = accounts.grant_role(user=make_user(**user_fields), role=Role.ADVISOR)
    advisor = Advisor.objects.create(
        user=user, capacity=capacity, languages=["ar", "fr"], contact_phone="+212600000001"
    )
    advisor.regions.set(Region.objects.filter(code__in=regions))
    advisor.sectors.set(Sector.objects.filter(code__in=sectors))
    return advisor


def make_artisan_in(*, region: str = "07", trade: str = "S01-T01", **fields: Any) -> User:
    """An artisan who claimed an entry of this region and trade (assigned by the claim)."""
    shop = make_claimed_shop(region_id=region, trade_id=trade, **fields)
    return owner_of(shop)


def shop_of(artisan: User) -> Shop:
    return Shop.objects.get(register_entry__claimed_by=artisan)


def progress_of(artisan: User) -> Progress:
    return Progress.objects.get(artisan=artisan)
