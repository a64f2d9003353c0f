"""Use cases of the register app: an artisan claims their register entry.

Claiming links one account to one active register entry, proven by the pair (register number,
national ID number). The rules, and why they are shaped this way, are in docs/shops.md.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.core import audit, events
from souk.registry import locks
from souk.registry.errors import (
    AccountAlreadyLinked,
    ClaimDetailsDoNotMatch,
    ClaimRefused,
    ClaimsThrottled,
    EntryAlreadyClaimed,
)
from souk.registry.events import EntryClaimed
from souk.registry.models import ClaimAttempt, EntryStatus, RegisterEntry, cin_index_of

# The throttle, in one place: failed attempts counted over a sliding window, per account and
# per IP address. A refused attempt counts too, so hammering keeps the door shut.
CLAIM_THROTTLE_WINDOW = timedelta(hours=1)
MAX_FAILED_CLAIMS_PER_ACCOUNT = 5
MAX_FAILED_CLAIMS_PER_IP_ADDRESS = 20

# People type on Arabic keyboards too: Arabic-Indic digits are read as the ASCII ones.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
    }
)


def normalize_cin(raw: str) -> str:
    """A national ID number as the register stores it: upper-case, without spaces."""
    return "".join(raw.split()).translate(_DIGITS).upper()


def normalize_register_number(raw: str) -> str:
    """A register number as typed on the card, without the spaces people add while copying."""
    return "".join(raw.split()).translate(_DIGITS)


def claim_register_entry(
    *, user: User, register_number: str, cin: str, ip_address: str | None, language: str = "fr"
) -> RegisterEntry:
    """Link `user` to the active register entry whose number and CIN are the ones given.

    Every attempt is recorded in ClaimAttempt, the refused ones too (in their own transaction,
    after the claim's was rolled back). While the throttle is shut the pair is not even looked
    at. On success, in one transaction: the entry is linked, the account holds the artisan
    role, an audit entry is written and the artisan's draft shop exists, named from the
    register in the script of `language`.
    Invariants: an entry is linked to one account and an account to one entry at most (the
    database's unique `claimed_by` backs both).
    """
    number = normalize_register_number(register_number)
    national_id = normalize_cin(cin)
    try:
        with transaction.atomic():
            entry = _claim(
                user=user, register_number=number, cin=national_id, ip=ip_address, language=language
            )
    except ClaimRefused:
        ClaimAttempt.objects.create(
            user=user, register_number=number[:64], ip_address=ip_address, succeeded=False
        )
        raise
    return entry


def _claim(
    *, user: User, register_number: str, cin: str, ip: str | None, language: str
) -> RegisterEntry:
    now = timezone.now()
    # Serialises one account's attempts: the throttle then counts every one of them, and the
    # "one entry per account" check below cannot race with a claim of another entry.
    locks.account_for_claim(user.pk).get()
    retry_at = claim_retry_at(user=user, ip_address=ip, now=now)
    if retry_at is not None:
        raise ClaimsThrottled(retry_at=retry_at)
    if RegisterEntry.objects.filter(claimed_by=user).exists():
        raise AccountAlreadyLinked()
    entry = locks.entry_for_claim(register_number).first()
    if entry is None or not _cin_matches(entry, cin) or entry.status != EntryStatus.ACTIVE:
        raise ClaimDetailsDoNotMatch()
    if entry.claimed_by_id is not None:
        raise EntryAlreadyClaimed()
    entry.claimed_by = user
    entry.claimed_at = now
    try:
        # A savepoint, so that the refusal below leaves a usable transaction on PostgreSQL.
        with transaction.atomic():
            entry.save(update_fields=["claimed_by", "claimed_at"])
    except IntegrityError as error:
        # The locks make this unreachable on PostgreSQL; the unique column is the last word
        # wherever they are weaker (SQLite serialises writers instead).
        raise AccountAlreadyLinked() from error
    ClaimAttempt.objects.create(
        user=user, register_number=register_number, ip_address=ip, succeeded=True, at=now
    )
    if not user.has_role(Role.ARTISAN):
        accounts.grant_role(user=user, role=Role.ARTISAN)
    audit.record(
        actor=user,
        action="registry.entry_claimed",
        target=entry,
        data={"ip_address": ip or ""},
    )
    events.publish(EntryClaimed(entry=entry, owner=user, language=language))
    return entry


def record_refused_sign_up_claim(*, register_number: str, ip_address: str | None) -> None:
    """Count a claim refused while signing up (its account was not kept) against the address,
    so that the sign-up form cannot be used to guess register entries faster than the claim."""
    ClaimAttempt.objects.create(
        user=None,
        register_number=normalize_register_number(register_number)[:64],
        ip_address=ip_address,
        succeeded=False,
    )


def sign_up_claim_retry_at(*, ip_address: str | None, now: datetime) -> datetime | None:
    """When this address may try a sign-up with a claim again, or None when it may now."""
    if not ip_address:
        return None
    since = now - CLAIM_THROTTLE_WINDOW
    latest = list(
        ClaimAttempt.objects.filter(succeeded=False, at__gt=since, ip_address=ip_address)
        .order_by("-at")
        .values_list("at", flat=True)[:MAX_FAILED_CLAIMS_PER_IP_ADDRESS]
    )
    if len(latest) < MAX_FAILED_CLAIMS_PER_IP_ADDRESS:
        return None
    return latest[-1] + CLAIM_THROTTLE_WINDOW


def _cin_matches(entry: RegisterEntry, cin: str) -> bool:
    # An entry without a CIN (a cooperative whose representative is not on file) cannot be
    # claimed online. The blind indexes are compared, so the claim never decrypts the CIN;
    # compare_digest so that timing says nothing about how much matched.
    return bool(entry.cin_index) and hmac.compare_digest(entry.cin_index, cin_index_of(cin))


def claim_retry_at(*, user: User, ip_address: str | None, now: datetime) -> datetime | None:
    """When this account (and this address) may try again, or None when it may try now."""
    since = now - CLAIM_THROTTLE_WINDOW
    failures = ClaimAttempt.objects.filter(succeeded=False, at__gt=since).order_by("-at")
    limits = [(failures.filter(user=user), MAX_FAILED_CLAIMS_PER_ACCOUNT)]
    if ip_address:
        limits.append((failures.filter(ip_address=ip_address), MAX_FAILED_CLAIMS_PER_IP_ADDRESS))
    retry_times = []
    for attempts, limit in limits:
        latest = list(attempts.values_list("at", flat=True)[:limit])
        if len(latest) >= limit:
            # The window reopens when the oldest of the last `limit` failures leaves it.
            retry_times.append(latest[limit - 1] + CLAIM_THROTTLE_WINDOW)
    return max(retry_times, default=None)
