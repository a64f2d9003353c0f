"""Use cases of notifications: tell someone something, in their language; mark it read.

`notify` renders notifications/<kind>/subject.txt, body.txt and sms.txt in the recipient's
language, stores the notification (shown on the notifications page) and, once committed, queues
a task that sends the email and SMS copies (send_notification_copies) and stamps each one sent.
Other apps call it as `from souk.notifications import services as notifications`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.urls import translate_url
from django.utils import timezone, translation

from souk.accounts import selectors as accounts
from souk.accounts.models import User
from souk.core import alerts
from souk.notifications import sms, tasks
from souk.notifications.errors import NotificationNotSent, UnknownNotificationKind
from souk.notifications.models import (
    ALL_CHANNELS,
    SMS_ELLIPSIS,
    SMS_MAX_LENGTH,
    Channel,
    Notification,
)

logger = logging.getLogger(__name__)

# A kind names a template folder, so it is kept to characters that cannot leave it.
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_TEMPLATE_PARTS = ("subject", "body", "sms")
_SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length or 200
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


@dataclass(frozen=True, slots=True)
class RenderedNotification:
    subject: str
    body: str
    sms_text: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _trim_sms(text: str) -> str:
    text = _one_line(text)
    if len(text) <= SMS_MAX_LENGTH:
        return text
    return text[: SMS_MAX_LENGTH - len(SMS_ELLIPSIS)].rstrip() + SMS_ELLIPSIS


def _paragraphs(text: str) -> str:
    lines = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return _BLANK_LINES.sub("\n\n", lines)


def render_notification(
    *, kind: str, context: Mapping[str, object], language: str
) -> RenderedNotification:
    """The subject (one line), text and SMS (at most 160 characters) of `kind` in `language`.

    Raises UnknownNotificationKind unless notifications/<kind>/ has its three templates. The
    texts are plain text: nothing is HTML-escaped here, pages escape them when they show them.
    """
    if not _KIND.match(kind):
        raise UnknownNotificationKind(kind)
    engine = Engine.get_default()
    templates = {}
    for part in _TEMPLATE_PARTS:
        name = f"notifications/{kind}/{part}.txt"
        try:
            templates[part] = engine.get_template(name)
        except TemplateDoesNotExist as error:
            raise UnknownNotificationKind(kind, missing=name) from error
    with translation.override(language):
        texts = {
            part: template.render(Context(dict(context), autoescape=False))
            for part, template in templates.items()
        }
    return RenderedNotification(
        subject=_one_line(texts["subject"])[:_SUBJECT_MAX_LENGTH],
        body=_paragraphs(texts["body"]),
        sms_text=_trim_sms(texts["sms"]),
    )


def _reachable_channels(recipient: User, channels: frozenset[Channel]) -> frozenset[Channel]:
    reachable = set()
    if recipient.reach_email:
        reachable.add(Channel.EMAIL)
    if recipient.reach_phone:
        reachable.add(Channel.SMS)
    return channels & frozenset(reachable)


def notify(
    *,
    recipient: User,
    kind: str,
    context: Mapping[str, object],
    url: str = "",
    channels: frozenset[Channel] = ALL_CHANNELS,
) -> Notification:
    """Tell `recipient` something: rendered from notifications/<kind>/ in their preferred
    language, shown on their notifications page, and once committed sent by email and SMS
    (among `channels`, to the address and phone they have).

    `context` holds plain values the caller already formatted (money, dates). `url` is a path
    on this site; it is stored in the recipient's language. Raises UnknownNotificationKind,
    before anything is written, when the kind has no templates. Called inside the caller's
    transaction, the copies go only if that transaction commits.
    """
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    rendered = render_notification(kind=kind, context=context, language=language)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            subject=rendered.subject,
            body=rendered.body,
            sms_text=rendered.sms_text,
            url=translate_url(url, language) if url else "",
        )
        reachable = _reachable_channels(recipient, channels)
        if reachable:
            transaction.on_commit(
                partial(tasks.enqueue_send_notification, notification.pk, sorted(reachable))
            )
        return notification


# Copies of a bulk notification are sent by tasks of this many notifications each.
BULK_TASK_SIZE = 200


@dataclass(frozen=True, slots=True)
class Addressed:
    """One recipient of `notify_many`, with their own context and link, and their own kind
    when it is not notify_many's."""

    recipient: User
    context: Mapping[str, object]
    url: str = ""
    kind: str = ""


def notify_many(
    *,
    kind: str = "",
    items: Sequence[Addressed],
    channels: frozenset[Channel] = ALL_CHANNELS,
) -> list[Notification]:
    """`notify` for many recipients at once (the nightly nudges): each rendered in their
    language, the rows written by bulk inserts, and once committed the copies queued as a few
    tasks of BULK_TASK_SIZE notifications each instead of a task per recipient. Each item is of
    `kind` unless it names its own (an order's notices to its buyer and its shops at once)."""
    urls: dict[tuple[str, str], str] = {}
    rows = []
    for item in items:
        language = item.recipient.preferred_language or settings.LANGUAGE_CODE
        rendered = render_notification(
            kind=item.kind or kind, context=item.context, language=language
        )
        if item.url and (item.url, language) not in urls:
            urls[item.url, language] = translate_url(item.url, language)
        rows.append(
            Notification(
                recipient=item.recipient,
                kind=item.kind or kind,
                subject=rendered.subject,
                body=rendered.body,
                sms_text=rendered.sms_text,
                url=urls[item.url, language] if item.url else "",
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows, batch_size=1000)
        by_channels: dict[tuple[str, ...], list[int]] = {}
        for notification, item in zip(created, items, strict=True):
            names = tuple(sorted(str(c) for c in _reachable_channels(item.recipient, channels)))
            if names:
                by_channels.setdefault(names, []).append(notification.pk)
        for names, ids in by_channels.items():
            for start in range(0, len(ids), BULK_TASK_SIZE):
                transaction.on_commit(
                    partial(
                        tasks.enqueue_send_notifications,
                        ids[start : start + BULK_TASK_SIZE],
                        list(names),
                    )
                )
    return created


def notify_operators(alert: alerts.Alert) -> None:
    """Deliver an alert of core's machinery (core.alerts, registered in apps.py): the same
    notification to every operator, in the caller's transaction."""
    for operator in accounts.list_operators():
        notify(recipient=operator, kind=alert.kind, context=alert.context, url=alert.url)


def notify_former_contact(
    *,
    kind: str,
    context: Mapping[str, object],
    language: str,
    email: str | None = None,
    phone: str | None = None,
) -> RenderedNotification:
    """Tell an email address or phone number that no longer belongs to an account (its contact
    was just replaced): rendered from notifications/<kind>/ in `language` and, once the
    caller's transaction commits, emailed to `email` and texted to `phone`.

    Nothing is stored: the address is nobody's account any more. A failed copy is logged and
    does not undo the change it reports. Raises UnknownNotificationKind before anything is
    scheduled.
    """
    rendered = render_notification(kind=kind, context=context, language=language)
    if email:
        transaction.on_commit(partial(_send_rendered_email, rendered, email), robust=True)
    if phone:
        transaction.on_commit(partial(_send_rendered_sms, rendered, phone), robust=True)
    return rendered


def _send_rendered_email(rendered: RenderedNotification, address: str) -> None:
    send_mail(
        subject=rendered.subject,
        message=rendered.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )


def _send_rendered_sms(rendered: RenderedNotification, phone: str) -> None:
    message_id = sms.get_sms_backend().send(to=phone, text=rendered.sms_text)
    logger.info("Notice to a former contact texted as %s", message_id)


def absolute_url(path: str) -> str:
    """A path on this site as a full address under settings.SOUK_SITE_URL ("" stays "")."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    return settings.SOUK_SITE_URL.rstrip("/") + path


def _email_text(notification: Notification) -> str:
    if not notification.url:
        return notification.body
    return f"{notification.body}\n\n{absolute_url(notification.url)}\n"


def _send_email(notification: Notification, address: str) -> None:
    send_mail(
        subject=notification.subject,
        message=_email_text(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )


def _send_sms(notification: Notification, phone: str) -> None:
    message_id = sms.get_sms_backend().send(to=phone, text=notification.sms_text)
    logger.info("Notification %s texted as %s", notification.pk, message_id)


def _stamp(notification: Notification, field: str) -> None:
    Notification.objects.filter(pk=notification.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )


def send_notification_copies(
    *, notification_id: int, channels: frozenset[Channel] = ALL_CHANNELS
) -> frozenset[Channel]:
    """Send the email and SMS copies of a notification not sent yet, stamping emailed_at and
    texted_at as each goes; returns the channels sent now.

    A copy is skipped when already stamped, or when the recipient no longer has an email
    address (phone). Copies are sent at least once: a crash between sending and stamping sends
    again on the next run. A failing channel does not stop the other; NotificationNotSent is
    raised after both were tried. A notification deleted meanwhile sends nothing.
    """
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return frozenset()
    recipient = notification.recipient
    sent: set[Channel] = set()
    failures: list[tuple[Channel, Exception]] = []
    if Channel.EMAIL in channels and notification.emailed_at is None and recipient.reach_email:
        try:
            _send_email(notification, recipient.reach_email)
        except Exception as error:
            logger.exception("Notification %s: the email was not sent", notification.pk)
            failures.append((Channel.EMAIL, error))
        else:
            _stamp(notification, "emailed_at")
            sent.add(Channel.EMAIL)
    if Channel.SMS in channels and notification.texted_at is None and recipient.reach_phone:
        try:
            _send_sms(notification, recipient.reach_phone)
        except Exception as error:
            logger.exception("Notification %s: the SMS was not sent", notification.pk)
            failures.append((Channel.SMS, error))
        else:
            _stamp(notification, "texted_at")
            sent.add(Channel.SMS)
    if failures:
        names = ", ".join(channel.value for channel, _error in failures)
        raise NotificationNotSent(
            f"Notification {notification.pk}: not sent by {names}"
        ) from failures[0][1]
    return frozenset(sent)


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (a read one keeps its first read_at).

    Raises Notification.DoesNotExist when it is not theirs.
    """
    with transaction.atomic():
        notification = Notification.objects.get(pk=notification_id, recipient=user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=notification.read_at
            )
        return notification


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many were."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
