"""Reads about the second factor."""

from __future__ import annotations

from souk.accounts.models import RecoveryCode, TotpDevice, User

# The finance role (payout runs, bank files) holds this permission; staff have `is_staff`.
MANAGE_PAYOUTS_PERMISSION = "accounts.manage_payouts"


def requires_second_factor(user: User) -> bool:
    """Staff, superusers and whoever may manage payouts must use a second factor."""
    return bool(user.is_staff or user.is_superuser or user.has_perm(MANAGE_PAYOUTS_PERMISSION))


def get_confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_second_factor(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def count_unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
