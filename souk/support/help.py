"""Help on request (docs/support.md): an artisan asks for help; the advisor following them
proposes an appointment; the artisan confirms it (in the app, or by replying the SMS code);
a reminder goes out the day before; the advisor keeps notes and closes the request with what
was done. Statuses move only through HELP_MACHINE (core.machine), recorded in the audit log.

Each public function owns its transaction and takes the request's row lock before moving it.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from souk.accounts.models import User
from souk.core import audit, machine
from souk.core.machine import Actor, Transition, transition
from souk.notifications import dates
from souk.notifications import services as notifications
from souk.notifications.models import Channel
from souk.support.errors import (
    AppointmentInThePast,
    HelpMoveNotAllowed,
    HelpOutcomeRequired,
    HelpRequestNotFound,
    IllegalHelpMove,
    InvalidHelpRequest,
    NotFollowed,
    TooManyHelpRequests,
    WrongConfirmationCode,
)
from souk.support.help_models import (
    ACTIVE_STATUSES,
    HelpChannel,
    HelpNote,
    HelpRequest,
    HelpSlot,
    HelpStatus,
    HelpTopic,
)
from souk.support.models import Advisor, Progress

# An artisan waits for at most this many requests at once (a typo sent five times is one).
MAX_ACTIVE_REQUESTS = 3
_ACTIVE = [s.value for s in ACTIVE_STATUSES]


def _may_act(request: HelpRequest, actor: object, role: Actor) -> bool:
    """The artisan acts on their own requests only; the advisor on those of their portfolio
    (checked again here, whatever the caller did)."""
    if role == Actor.ARTISAN:
        return isinstance(actor, User) and actor.pk == request.artisan_id
    if role == Actor.ADVISOR:
        return (
            isinstance(actor, User)
            and Progress.objects.filter(
                artisan_id=request.artisan_id, advisor__user=actor, advisor__is_active=True
            ).exists()
        )
    return False


HELP_MACHINE = machine.Machine(
    name="support.help",
    transitions=(
        transition(
            "propose",
            {HelpStatus.OPEN, HelpStatus.PROPOSED, HelpStatus.CONFIRMED},
            HelpStatus.PROPOSED,
            {Actor.ADVISOR},
        ),
        transition("confirm", {HelpStatus.PROPOSED}, HelpStatus.CONFIRMED, {Actor.ARTISAN}),
        transition(
            "close",
            {HelpStatus.OPEN, HelpStatus.PROPOSED, HelpStatus.CONFIRMED},
            HelpStatus.CLOSED,
            {Actor.ADVISOR},
            reason_required=True,
        ),
        transition(
            "withdraw",
            {HelpStatus.OPEN, HelpStatus.PROPOSED, HelpStatus.CONFIRMED},
            HelpStatus.WITHDRAWN,
            {Actor.ARTISAN},
        ),
    ),
    illegal=IllegalHelpMove,
    not_allowed=HelpMoveNotAllowed,
    reason_missing=HelpOutcomeRequired,
    may_act=_may_act,
)


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _lock(request_id: int) -> HelpRequest:
    found = (
        HelpRequest.objects.select_for_update()
        .select_related("artisan")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise HelpRequestNotFound()
    return found


def _lock_for_advisor(request_id: int, advisor: Advisor) -> HelpRequest:
    """The request under lock, if its artisan is in the advisor's portfolio; else NotFollowed
    (a 404, whether or not it exists)."""
    found = _lock(request_id) if HelpRequest.objects.filter(pk=request_id).exists() else None
    if found is None or not _may_act(found, advisor.user, Actor.ADVISOR):
        raise NotFollowed()
    return found


@transaction.atomic
def ask_for_help(
    *, artisan: User, topic: str, channel: str, slots: Iterable[str], message: str = ""
) -> HelpRequest:
    """The artisan asks for help: a request open for the advisor following them (told in the
    app). Raises InvalidHelpRequest (unknown topic, channel or time) and TooManyHelpRequests."""
    chosen = sorted(set(slots))
    if (
        topic not in HelpTopic.values
        or channel not in HelpChannel.values
        or not chosen
        or any(slot not in HelpSlot.values for slot in chosen)
    ):
        raise InvalidHelpRequest()
    User.objects.select_for_update().filter(pk=artisan.pk).first()
    if HelpRequest.objects.filter(artisan=artisan, status__in=_ACTIVE).count() >= (
        MAX_ACTIVE_REQUESTS
    ):
        raise TooManyHelpRequests()
    progress = Progress.objects.filter(artisan=artisan).select_related("advisor__user").first()
    advisor = progress.advisor if progress else None
    request = HelpRequest.objects.create(
        artisan=artisan,
        advisor=advisor,
        region_code=progress.region_code if progress else "",
        topic=topic,
        channel=channel,
        slots=chosen,
        message=message.strip(),
    )
    machine.write_record(
        request,
        machine=HELP_MACHINE,
        action="ask",
        from_status="",
        to_status=HelpStatus.OPEN,
        actor=artisan,
        role=Actor.ARTISAN,
    )
    if advisor is not None:
        notifications.notify(
            recipient=advisor.user,
            kind="support_help_requested",
            context={
                "artisan": artisan.full_name or artisan.login_identifier,
                "topic": HelpTopic(topic).label,
            },
            url=reverse("support:help_request", args=[request.pk]),
            channels=frozenset(),
        )
    return request


@transaction.atomic
def propose_appointment(
    *,
    request_id: int,
    advisor: Advisor,
    at: datetime.datetime,
    channel: str,
    now: datetime.datetime | None = None,
) -> HelpRequest:
    """The advisor proposes (or moves) an appointment; the artisan is texted the moment and
    a code to confirm it. Raises NotFollowed, AppointmentInThePast, IllegalHelpMove."""
    now = now or timezone.now()
    request = _lock_for_advisor(request_id, advisor)
    if at <= now:
        raise AppointmentInThePast()
    if channel not in HelpChannel.values:
        raise InvalidHelpRequest()
    code = f"{secrets.randbelow(10000):04d}"

    def stamps(_move: Transition, moment: datetime.datetime) -> dict[str, object]:
        return {
            "appointment_at": at,
            "appointment_channel": channel,
            "confirm_code": code,
            "confirmed_at": None,
            "reminded_at": None,
            "first_proposed_at": request.first_proposed_at or moment,
        }

    machine.move(
        request,
        machine=HELP_MACHINE,
        action="propose",
        actor=advisor.user,
        role=Actor.ADVISOR,
        stamps=stamps,
        record={"appointment_at": at.isoformat(), "channel": channel},
        at=now,
    )
    artisan = request.artisan
    notifications.notify(
        recipient=artisan,
        kind="support_help_proposed",
        context={
            "advisor": str(advisor),
            "moment": dates.moment_text(at, _language(artisan)),
            "channel": HelpChannel(channel).label,
            "code": code,
        },
        url=reverse("support:help_mine"),
        channels=frozenset({Channel.SMS}),
    )
    return request


@transaction.atomic
def confirm_appointment(*, request_id: int, artisan: User, code: str | None = None) -> HelpRequest:
    """The artisan confirms the appointment proposed: in the app (no code: they are logged
    in) or by replying the code texted to them. Raises WrongConfirmationCode, IllegalHelpMove,
    HelpMoveNotAllowed (not their request)."""
    request = _lock(request_id)
    if code is not None and code.strip() != request.confirm_code:
        raise WrongConfirmationCode()
    machine.move(
        request,
        machine=HELP_MACHINE,
        action="confirm",
        actor=artisan,
        role=Actor.ARTISAN,
        stamps=lambda _move, moment: {"confirmed_at": moment},
        record={"by": "sms" if code is not None else "app"},
    )
    return request


@transaction.atomic
def withdraw_request(*, request_id: int, artisan: User) -> HelpRequest:
    """The artisan no longer needs the help asked for."""
    request = _lock(request_id)
    machine.move(
        request,
        machine=HELP_MACHINE,
        action="withdraw",
        actor=artisan,
        role=Actor.ARTISAN,
        stamps=lambda _move, moment: {"closed_at": moment},
    )
    return request


@transaction.atomic
def close_request(*, request_id: int, advisor: Advisor, outcome: str) -> HelpRequest:
    """The advisor closes the request, saying what was done (required)."""
    request = _lock_for_advisor(request_id, advisor)
    outcome = outcome.strip()
    machine.move(
        request,
        machine=HELP_MACHINE,
        action="close",
        actor=advisor.user,
        role=Actor.ADVISOR,
        reason=outcome,
        stamps=lambda _move, moment: {"closed_at": moment, "outcome": outcome},
    )
    return request


@transaction.atomic
def add_note(*, request_id: int, advisor: Advisor, text: str) -> HelpNote:
    """The advisor keeps a note on a request of their portfolio (any status)."""
    request = _lock_for_advisor(request_id, advisor)
    text = text.strip()
    if not text:
        raise InvalidHelpRequest()
    note = HelpNote.objects.create(request=request, author=advisor.user, text=text)
    audit.record(actor=advisor.user, action="support.help_note", target=request)
    return note


def _tomorrow_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Tomorrow in Morocco's time, as an interval of aware moments."""
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Text each artisan whose appointment (proposed or confirmed) is tomorrow, once: the
    request is stamped by a conditional update in the same transaction as the notice, so a
    second run, or two at once, send nothing more. Returns the reminders sent."""
    now = now or timezone.now()
    start, end = _tomorrow_bounds(now)
    due = HelpRequest.objects.filter(
        status__in=[HelpStatus.PROPOSED, HelpStatus.CONFIRMED],
        appointment_at__gte=start,
        appointment_at__lt=end,
        reminded_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for request_id in list(due):
        with transaction.atomic():
            claimed = HelpRequest.objects.filter(
                pk=request_id, reminded_at__isnull=True, status__in=_ACTIVE
            ).update(reminded_at=now)
            if not claimed:
                continue
            request = HelpRequest.objects.select_related("artisan", "advisor__user").get(
                pk=request_id
            )
            artisan = request.artisan
            if request.appointment_at is None:  # filtered above; keeps the type narrow
                continue
            notifications.notify(
                recipient=artisan,
                kind="support_help_reminder",
                context={
                    "advisor": str(request.advisor) if request.advisor else "",
                    "moment": dates.moment_text(request.appointment_at, _language(artisan)),
                    "channel": HelpChannel(request.appointment_channel or request.channel).label,
                    "confirmed": request.status == HelpStatus.CONFIRMED,
                    "code": request.confirm_code,
                },
                url=reverse("support:help_mine"),
                channels=frozenset({Channel.SMS}),
            )
            sent += 1
    return sent
