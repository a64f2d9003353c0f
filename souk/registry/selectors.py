"""Reads about the register used by pages and other apps."""

from __future__ import annotations

from souk.accounts.models import User
from souk.registry.models import Region, RegisterEntry


def get_claimed_entry(*, user: User) -> RegisterEntry:
    """The register entry linked to `user`; raises RegisterEntry.DoesNotExist when none is."""
    return RegisterEntry.objects.select_related("trade__sector", "region").get(claimed_by=user)


def has_claimed_entry(*, user: User) -> bool:
    """Whether `user` has already claimed a register entry."""
    return RegisterEntry.objects.filter(claimed_by=user).exists()


def list_region_choices() -> list[tuple[str, str]]:
    """Morocco's regions as (code, name) in the official order, named in the active language."""
    return [(region.code, region.name) for region in Region.objects.order_by("code")]
