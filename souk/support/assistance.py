"""Assisted mode (docs/support.md): an advisor acts on an artisan's behalf, with their consent,
for a limited time. Each use case owns its transaction and writes its audit entry inside it.

The consent is given either in the app (the artisan presses "allow" on /support/) or by an SMS
code sent to the artisan, which they read to the advisor on the phone; the advisor types it.
The permission lasts `days` (7 by default) from the consent, ends when the artisan or the
advisor ends it, and is void as soon as the advisor no longer follows the artisan.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from souk.accounts.models import User
from souk.core import audit
from souk.notifications import services as notifications
from souk.notifications import sms
from souk.notifications.models import Channel
from souk.support.assist_models import (
    ASSISTANCE_DAYS,
    Assistance,
    AssistanceStatus,
    ConsentChannel,
    EndReason,
)
from souk.support.errors import (
    AssistanceNotAllowed,
    AssistanceNotFound,
    NoPhoneForCode,
    NotFollowed,
    WrongAssistanceCode,
)
from souk.support.models import Advisor, Assignment

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=15)
MAX_CODE_TRIES = 5
OPEN = (AssistanceStatus.ASKED, AssistanceStatus.ACTIVE)


def _digest(assistance_id: int, code: str) -> str:
    return salted_hmac("souk.support.assistance_code", f"{assistance_id}:{code}").hexdigest()


def _follows(advisor: Advisor, artisan_id: int) -> bool:
    return Assignment.objects.filter(
        advisor=advisor, artisan_id=artisan_id, ended_at__isnull=True
    ).exists()


def _open_request(*, advisor: Advisor, artisan_id: int, days: int) -> Assistance:
    """A new request, replacing any open one of the artisan (theirs or an earlier advisor's)."""
    if not _follows(advisor, artisan_id):
        raise NotFollowed()
    now = timezone.now()
    for previous in Assistance.objects.select_for_update().filter(
        artisan_id=artisan_id, status__in=OPEN
    ):
        _end(previous, reason=EndReason.REPLACED, actor=advisor.user, now=now)
    assistance = Assistance.objects.create(
        artisan_id=artisan_id, advisor=advisor, days=max(1, min(days, 30)), asked_at=now
    )
    audit.record(
        actor=advisor.user,
        action="support.assistance_asked",
        target=assistance,
        data={"artisan": artisan_id, "days": assistance.days},
    )
    return assistance


def ask_in_app(*, advisor: Advisor, artisan_id: int, days: int = ASSISTANCE_DAYS) -> Assistance:
    """The advisor asks; the artisan is told (in the app and by SMS, in their language) and
    allows or refuses it on /support/."""
    with transaction.atomic():
        assistance = _open_request(advisor=advisor, artisan_id=artisan_id, days=days)
        artisan = assistance.artisan
        with translation.override(artisan.preferred_language or "fr"):
            link = notifications.absolute_url(reverse("support:mine"))
        notifications.notify(
            recipient=artisan,
            kind="support_assistance_asked",
            context={
                "advisor": advisor.user.full_name,
                "days": assistance.days,
                "link": link,
            },
            url=reverse("support:mine"),
            channels=frozenset({Channel.SMS}),
        )
        return assistance


def _text_code(*, phone: str, text: str) -> None:
    message_id = sms.get_sms_backend().send(to=phone, text=text)
    logger.info("Assistance code texted as %s", message_id)


def send_code(*, advisor: Advisor, artisan_id: int, days: int = ASSISTANCE_DAYS) -> Assistance:
    """Text the artisan a 6-digit code to read to the advisor if they agree. Raises
    NoPhoneForCode when the artisan has no phone number, NotFollowed for another's artisan."""
    with transaction.atomic():
        artisan = User.objects.get(pk=artisan_id)
        if not artisan.phone:
            raise NoPhoneForCode()
        assistance = _open_request(advisor=advisor, artisan_id=artisan_id, days=days)
        code = f"{secrets.randbelow(10**6):06d}"
        assistance.code_digest = _digest(assistance.pk, code)
        assistance.code_expires_at = assistance.asked_at + CODE_LIFETIME
        assistance.save(update_fields=["code_digest", "code_expires_at"])
        with translation.override(artisan.preferred_language or "fr"):
            text = gettext(
                "Souk: your advisor %(name)s asks to prepare your shop for you for %(days)s "
                "days. If you agree, read them this code: %(code)s. Never give it to anyone "
                "else."
            ) % {"name": advisor.user.full_name, "days": assistance.days, "code": code}
        transaction.on_commit(partial(_text_code, phone=artisan.phone, text=text))
        return assistance


def _activate(assistance: Assistance, *, channel: str, actor: User) -> Assistance:
    now = timezone.now()
    assistance.status = AssistanceStatus.ACTIVE
    assistance.channel = channel
    assistance.consented_at = now
    assistance.expires_at = now + timedelta(days=assistance.days)
    assistance.code_digest = ""
    assistance.save()
    audit.record(
        actor=actor,
        action="support.assistance_allowed",
        target=assistance,
        data={"channel": channel, "until": assistance.expires_at.isoformat()},
    )
    return assistance


def confirm_code(*, advisor: Advisor, artisan_id: int, code: str) -> Assistance:
    """The advisor types the code the artisan read them: the permission starts. A wrong code
    counts a try; after MAX_CODE_TRIES, or past CODE_LIFETIME, the code is void."""
    with transaction.atomic():
        assistance = (
            Assistance.objects.select_for_update()
            .filter(advisor=advisor, artisan_id=artisan_id, status=AssistanceStatus.ASKED)
            .exclude(code_digest="")
            .first()
        )
        if assistance is None:
            raise WrongAssistanceCode()
        usable = (
            assistance.code_tries < MAX_CODE_TRIES
            and assistance.code_expires_at is not None
            and timezone.now() < assistance.code_expires_at
        )
        if not usable or not constant_time_compare(
            assistance.code_digest, _digest(assistance.pk, "".join(code.split()))
        ):
            assistance.code_tries += 1
            assistance.save(update_fields=["code_tries"])
            wrong = True
        else:
            wrong = False
            _activate(assistance, channel=ConsentChannel.SMS_CODE, actor=advisor.user)
    if wrong:
        # Raised outside the transaction, so the try is counted.
        raise WrongAssistanceCode()
    return assistance


def _artisans(artisan: User, assistance_id: int) -> Assistance:
    found = (
        Assistance.objects.select_for_update()
        .select_related("advisor__user")
        .filter(pk=assistance_id, artisan=artisan)
        .first()
    )
    if found is None:
        raise AssistanceNotFound()
    return found


def allow(*, artisan: User, assistance_id: int) -> Assistance:
    """The artisan allows their advisor's request, in the app."""
    with transaction.atomic():
        assistance = _artisans(artisan, assistance_id)
        if assistance.status != AssistanceStatus.ASKED:
            raise AssistanceNotFound()
        return _activate(assistance, channel=ConsentChannel.IN_APP, actor=artisan)


def refuse(*, artisan: User, assistance_id: int) -> Assistance:
    with transaction.atomic():
        assistance = _artisans(artisan, assistance_id)
        if assistance.status != AssistanceStatus.ASKED:
            raise AssistanceNotFound()
        assistance.status = AssistanceStatus.REFUSED
        assistance.ended_at = timezone.now()
        assistance.end_reason = EndReason.ARTISAN
        assistance.save()
        audit.record(actor=artisan, action="support.assistance_refused", target=assistance)
        return assistance


def _end(assistance: Assistance, *, reason: str, actor: User, now: datetime | None = None) -> None:
    assistance.status = AssistanceStatus.ENDED
    assistance.ended_at = now or timezone.now()
    assistance.end_reason = reason
    assistance.save()
    audit.record(
        actor=actor, action="support.assistance_ended", target=assistance, data={"why": reason}
    )


def withdraw(*, artisan: User, assistance_id: int) -> Assistance:
    """The artisan ends the permission (asked or allowed) at once."""
    with transaction.atomic():
        assistance = _artisans(artisan, assistance_id)
        if assistance.status not in OPEN:
            raise AssistanceNotFound()
        _end(assistance, reason=EndReason.ARTISAN, actor=artisan)
        return assistance


def end_by_advisor(*, advisor: Advisor, artisan_id: int) -> None:
    """The advisor gives the permission back before it expires."""
    with transaction.atomic():
        for assistance in Assistance.objects.select_for_update().filter(
            advisor=advisor, artisan_id=artisan_id, status__in=OPEN
        ):
            _end(assistance, reason=EndReason.ADVISOR, actor=advisor.user)


def in_force(*, advisor_user: User, artisan_id: int) -> Assistance:
    """The permission under which this advisor may act for this artisan now; raises
    AssistanceNotAllowed if it was never given, was refused, ended, expired, or if the advisor
    no longer follows the artisan (or is no longer an active advisor)."""
    assistance = (
        Assistance.objects.select_related("advisor__user", "artisan")
        .filter(
            advisor__user=advisor_user,
            advisor__is_active=True,
            artisan_id=artisan_id,
            status=AssistanceStatus.ACTIVE,
        )
        .first()
    )
    if (
        assistance is None
        or not assistance.in_force()
        or not _follows(assistance.advisor, artisan_id)
    ):
        raise AssistanceNotAllowed()
    return assistance


def record_action(
    *, assistance: Assistance, url_name: str, method: str, path: str, status: int
) -> None:
    """One request made by the advisor for the artisan: "advisor X for artisan Y" in the log."""
    audit.record(
        actor=assistance.advisor.user,
        action="support.assisted_action",
        target=assistance,
        data={
            "artisan": assistance.artisan_id,
            "page": url_name,
            "method": method,
            "path": path[:200],
            "status": status,
        },
    )


def record_session(*, assistance: Assistance, started: bool) -> None:
    audit.record(
        actor=assistance.advisor.user,
        action="support.acting_started" if started else "support.acting_stopped",
        target=assistance,
        data={"artisan": assistance.artisan_id},
    )
