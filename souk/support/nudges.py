"""Nudges (docs/support.md): the nightly SMS to artisans stuck at a milestone, at most one a
week each, never after they said STOP (by reply or by the link in the message); each advisor
is told in the app which of their artisans were nudged. And the SMS replies artisans send:
STOP, or the code confirming an appointment."""

from __future__ import annotations

import datetime
import enum
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from souk.accounts.models import User
from souk.core import audit
from souk.core.errors import DomainError
from souk.notifications import services as notifications
from souk.notifications.models import Channel
from souk.support import help
from souk.support.help_models import (
    HelpRequest,
    HelpStatus,
    Nudge,
    NudgeOptOutWay,
    NudgePreference,
)
from souk.support.models import STAGE_DONE, Advisor, Milestone, Progress

# At most one nudge per artisan in this long, whatever the setting of days stuck.
NUDGE_INTERVAL = datetime.timedelta(days=7)
# The words that stop nudges, in the languages artisans write (compared in upper case).
STOP_WORDS = frozenset({"STOP", "ARRET", "ARRÊT", "STOPPER", "BAJA", "PARAR", "توقف", "قف"})


def _stuck_after_days() -> int:
    return int(settings.SOUK_SUPPORT_NUDGE_AFTER_DAYS)


def preference_of(artisan_id: int) -> NudgePreference:
    """The artisan's preference row, made on first need with a short unguessable token."""
    preference, _created = NudgePreference.objects.get_or_create(
        artisan_id=artisan_id, defaults={"token": secrets.token_urlsafe(9)[:12]}
    )
    return preference


@dataclass(frozen=True, slots=True)
class NudgeRun:
    sent: int
    advisors_told: int


# Artisans nudged per transaction: a handful of queries and bulk inserts each.
NUDGE_CHUNK = 2000


def send_nudges(*, now: datetime.datetime | None = None) -> NudgeRun:
    """Text every artisan stuck at a milestone for more than SOUK_SUPPORT_NUDGE_AFTER_DAYS
    (with a phone, not opted out, not nudged in the last 7 days) one SMS in their language,
    then tell each advisor, in the app, which of theirs were nudged.

    Set-based: one query chooses who, then chunks of NUDGE_CHUNK artisans, each in one
    transaction, lock their preference rows (made in bulk when missing), check again under
    the lock who is still to nudge, and write the nudges and the notifications in bulk; the
    SMS are queued as a few tasks (notifications.notify_many). So a second run, or two at
    once, sends nothing more to the same artisan that week."""
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(days=_stuck_after_days())
    candidates = list(
        Progress.objects.filter(last_step_at__lt=stuck_before, artisan__is_active=True)
        .exclude(stage=STAGE_DONE)
        .exclude(artisan__phone__isnull=True)
        .exclude(artisan__phone="")
        .exclude(artisan__nudge_preference__opted_out_at__isnull=False)
        .exclude(artisan__nudges__sent_at__gt=now - NUDGE_INTERVAL)
        .order_by("artisan_id")
        .values_list("artisan_id", flat=True)
    )
    told: dict[int, list[str]] = {}
    sent = 0
    for start in range(0, len(candidates), NUDGE_CHUNK):
        for nudge in _nudge_chunk(candidates[start : start + NUDGE_CHUNK], now=now):
            sent += 1
            if nudge.advisor_id is not None:
                told.setdefault(nudge.advisor_id, []).append(nudge.artisan_name)
    for advisor_id, names in told.items():
        _tell_advisor(advisor_id, names)
    return NudgeRun(sent=sent, advisors_told=len(told))


@dataclass(frozen=True, slots=True)
class _Sent:
    advisor_id: int | None
    artisan_name: str


def _ensure_preferences(artisan_ids: list[int]) -> None:
    have = set(
        NudgePreference.objects.filter(artisan_id__in=artisan_ids).values_list(
            "artisan_id", flat=True
        )
    )
    NudgePreference.objects.bulk_create(
        [
            NudgePreference(artisan_id=pk, token=secrets.token_urlsafe(9)[:12])
            for pk in artisan_ids
            if pk not in have
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def _nudge_chunk(artisan_ids: list[int], *, now: datetime.datetime) -> list[_Sent]:
    _ensure_preferences(artisan_ids)
    # Under the preference rows' locks, in artisan order: who has not opted out meanwhile.
    tokens = dict(
        NudgePreference.objects.select_for_update()
        .filter(artisan_id__in=artisan_ids, opted_out_at__isnull=True)
        .order_by("artisan_id")
        .values_list("artisan_id", "token")
    )
    recent = set(
        Nudge.objects.filter(
            artisan_id__in=list(tokens), sent_at__gt=now - NUDGE_INTERVAL
        ).values_list("artisan_id", flat=True)
    )
    progresses = list(
        Progress.objects.filter(artisan_id__in=[pk for pk in tokens if pk not in recent])
        .select_related("artisan")
        .only(
            "artisan_id",
            "advisor_id",
            "stage",
            "artisan__full_name",
            "artisan__email",
            "artisan__phone",
            "artisan__preferred_language",
        )
        .order_by("artisan_id")
    )
    advisor_names = {
        advisor.pk: str(advisor)
        for advisor in Advisor.objects.select_related("user").filter(
            pk__in={p.advisor_id for p in progresses if p.advisor_id is not None}
        )
    }
    Nudge.objects.bulk_create(
        [
            Nudge(artisan_id=p.artisan_id, advisor_id=p.advisor_id, stage=p.stage, sent_at=now)
            for p in progresses
        ],
        batch_size=1000,
    )
    stop_paths: dict[str, str] = {}
    items = []
    for progress in progresses:
        artisan = progress.artisan
        language = artisan.preferred_language or settings.LANGUAGE_CODE
        if language not in stop_paths:
            with translation.override(language):
                stop_paths[language] = reverse("support:nudge_stop", args=["-token-"])
        stop_path = stop_paths[language].replace("-token-", tokens[progress.artisan_id])
        items.append(
            notifications.Addressed(
                recipient=artisan,
                context={
                    "step": Milestone(progress.stage).label,
                    "advisor": advisor_names.get(progress.advisor_id or 0, ""),
                    "stop_link": notifications.absolute_url(stop_path),
                },
                url=reverse("support:mine"),
            )
        )
    notifications.notify_many(kind="support_nudge", items=items, channels=frozenset({Channel.SMS}))
    return [
        _Sent(p.advisor_id, p.artisan.full_name or p.artisan.login_identifier) for p in progresses
    ]


def _tell_advisor(advisor_id: int, names: list[str]) -> None:
    advisor = Advisor.objects.select_related("user").get(pk=advisor_id)
    notifications.notify(
        recipient=advisor.user,
        kind="support_nudges_sent",
        context={"count": len(names), "names": ", ".join(sorted(names))},
        url=reverse("support:help_queue"),
        channels=frozenset(),
    )


@transaction.atomic
def opt_out(*, artisan_id: int, way: NudgeOptOutWay) -> NudgePreference:
    """No more nudges for this artisan (recorded with how they asked); a second time changes
    nothing."""
    preference = preference_of(artisan_id)
    preference = NudgePreference.objects.select_for_update().get(pk=preference.pk)
    if preference.opted_out_at is None:
        preference.opted_out_at = timezone.now()
        preference.opted_out_by = way
        preference.save(update_fields=["opted_out_at", "opted_out_by"])
        audit.record(
            actor=User(pk=artisan_id),
            action="support.nudges_stopped",
            target=preference,
            data={"way": str(way)},
        )
    return preference


@transaction.atomic
def opt_in(*, artisan_id: int) -> NudgePreference:
    """Nudges again for an artisan who stopped them (from their support page); when they never
    stopped them, nothing changes."""
    preference = preference_of(artisan_id)
    preference = NudgePreference.objects.select_for_update().get(pk=preference.pk)
    if preference.opted_out_at is not None:
        preference.opted_out_at = None
        preference.opted_out_by = ""
        preference.save(update_fields=["opted_out_at", "opted_out_by"])
        audit.record(actor=User(pk=artisan_id), action="support.nudges_resumed", target=preference)
    return preference


def nudges_stopped_since(artisan_id: int) -> datetime.datetime | None:
    """When the artisan stopped nudges, or None when they still get them."""
    return (
        NudgePreference.objects.filter(artisan_id=artisan_id)
        .values_list("opted_out_at", flat=True)
        .first()
    )


def get_preference_by_token(token: str) -> NudgePreference | None:
    return NudgePreference.objects.filter(token=token).select_related("artisan").first()


class Reply(enum.StrEnum):
    STOPPED = "stopped"
    CONFIRMED = "confirmed"
    UNKNOWN = "unknown"


def receive_sms_reply(*, phone: str, text: str) -> Reply:
    """An SMS an artisan sent back: a STOP word stops nudges; the 4-digit code of an
    appointment proposed to them confirms it; anything else is left for a person (UNKNOWN)."""
    artisan = User.objects.filter(phone=phone.strip()).first()
    if artisan is None:
        return Reply.UNKNOWN
    words = text.strip().upper().split()
    if words and words[0].strip(".!") in STOP_WORDS:
        opt_out(artisan_id=artisan.pk, way=NudgeOptOutWay.SMS)
        return Reply.STOPPED
    # int() reads Arabic-Indic digits too (١٢٣٤ is 1234); not superscripts (isdecimal).
    codes = [f"{int(word):04d}" for word in words if word.isdecimal() and len(word) == 4]
    if not codes:
        return Reply.UNKNOWN
    proposed = HelpRequest.objects.filter(
        artisan=artisan, status=HelpStatus.PROPOSED, confirm_code=codes[0]
    ).first()
    if proposed is None:
        return Reply.UNKNOWN
    try:
        help.confirm_appointment(request_id=proposed.pk, artisan=artisan, code=codes[0])
    except DomainError:
        return Reply.UNKNOWN
    return Reply.CONFIRMED
