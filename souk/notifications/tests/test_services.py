"""notify, the sending task and marking read, through the real services and task."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from souk.accounts.models import User
from souk.notifications import selectors, services, sms, tasks
from souk.notifications.errors import NotificationNotSent, UnknownNotificationKind
from souk.notifications.models import Channel, Notification
from souk.notifications.tests.factories import CONTEXTS, REFERENCE, make_person

pytestmark = pytest.mark.django_db


def notify_shipped(recipient: User, **arguments: Any) -> Notification:
    return services.notify(
        recipient=recipient,
        kind="suborder_shipped",
        context=CONTEXTS["suborder_shipped"],
        **arguments,
    )


def list_url(language: str) -> str:
    with translation.override(language):
        return reverse("notifications:list")


class BrokenSmsBackend:
    def send(self, *, to: str, text: str) -> str:
        raise ConnectionError("provider unreachable")


# --- Language -------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "is_rtl"), [("ar", True), ("fr", False), ("es", False)])
def test_notify_renders_in_the_recipients_language(test_kinds, language, is_rtl):
    # given: a recipient whose language is not the one active here (English)
    recipient = make_person(preferred_language=language)

    # when
    notification = services.notify(
        recipient=recipient,
        kind="test_language",
        context={"reference": REFERENCE, "filler": "x"},
        url=list_url("en"),
    )

    # then
    notification.refresh_from_db()
    assert notification.subject == f"{REFERENCE} in {language}"
    rtl = ", right to left" if is_rtl else ""
    assert notification.body == f"Order {REFERENCE} written in {language}{rtl}."
    assert notification.sms_text == f"{REFERENCE} {language} x"
    # the link opens the page in the recipient's language too
    assert notification.url == f"/{language}/notifications/"
    assert translation.get_language() == "en"


def test_a_recipient_without_a_language_gets_the_sites_default(test_kinds):
    recipient = make_person()
    recipient.preferred_language = ""

    notification = services.notify(
        recipient=recipient, kind="test_language", context={"reference": REFERENCE}
    )

    assert notification.subject == f"{REFERENCE} in {settings.LANGUAGE_CODE}"


# --- Unknown kinds --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["order_lost_at_sea", "../web", "Order_Shipped", ""])
def test_an_unknown_kind_raises_and_writes_nothing(kind, django_capture_on_commit_callbacks):
    recipient = make_person()

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(UnknownNotificationKind, match="Unknown notification kind"),
    ):
        services.notify(recipient=recipient, kind=kind, context={"reference": REFERENCE})

    assert Notification.objects.count() == 0
    assert callbacks == []


def test_an_unknown_kind_names_the_missing_template():
    with pytest.raises(UnknownNotificationKind) as raised:
        services.render_notification(kind="order_lost_at_sea", context={}, language="en")

    assert raised.value.missing == "notifications/order_lost_at_sea/subject.txt"


# --- Sending --------------------------------------------------------------------------------


def test_the_copies_are_queued_once_committed_and_not_sent_before(
    django_capture_on_commit_callbacks,
):
    # given
    recipient = make_person()

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify_shipped(recipient)

    # then: nothing is queued or sent until the transaction commits
    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []
    assert sms.outbox == []
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "souk.notifications.tasks.send_notification"
    assert queued.args_kwargs == {"args": [notification.pk, ["email", "sms"]], "kwargs": {}}


def test_the_email_goes_to_the_recipients_address_with_an_absolute_link(
    immediate_tasks, django_capture_on_commit_callbacks
):
    # given
    recipient = make_person(email="amina@souk.example", with_phone=False, preferred_language="en")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_shipped(recipient, url=list_url("en"))

    # then
    [email] = mail.outbox
    assert email.to == ["amina@souk.example"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == f"Your order {REFERENCE} is on its way"
    assert email.body == (
        f"Poterie Fès & Fils has shipped your order {REFERENCE} with Amana.\n\n"
        "Tracking number: AM123456789MA\n\n"
        "https://souk.example/en/notifications/\n"
    )
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.texted_at is None
    assert sms.outbox == []


def test_the_sms_goes_to_the_recipients_phone(immediate_tasks, django_capture_on_commit_callbacks):
    recipient = make_person(phone="+212611223344", preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_shipped(recipient)

    [message] = sms.outbox
    assert message.to == "+212611223344"
    assert message.text == (
        f"Souk: order {REFERENCE} from Poterie Fès & Fils is shipped with Amana. "
        "Tracking: AM123456789MA"
    )
    notification.refresh_from_db()
    assert notification.texted_at is not None
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1


def test_a_user_with_only_a_phone_gets_no_email(
    immediate_tasks, django_capture_on_commit_callbacks
):
    recipient = make_person(with_email=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_shipped(recipient)

    assert mail.outbox == []
    assert [message.to for message in sms.outbox] == [recipient.phone]
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_a_user_without_a_phone_gets_no_sms(immediate_tasks, django_capture_on_commit_callbacks):
    recipient = make_person(with_phone=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_shipped(recipient)

    assert sms.outbox == []
    assert [email.to for email in mail.outbox] == [[recipient.email]]
    notification.refresh_from_db()
    assert notification.texted_at is None


def test_channels_limit_the_copies_but_not_the_notifications_page(
    immediate_tasks, django_capture_on_commit_callbacks
):
    recipient = make_person()

    with django_capture_on_commit_callbacks(execute=True):
        email_only = notify_shipped(recipient, channels=frozenset({Channel.EMAIL}))
        in_app_only = notify_shipped(recipient, channels=frozenset())

    assert len(mail.outbox) == 1
    assert sms.outbox == []
    assert list(selectors.list_notifications(recipient)) == [in_app_only, email_only]


def test_running_the_task_again_sends_nothing_twice(django_capture_on_commit_callbacks):
    # given: a notification whose copies were sent
    recipient = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_shipped(recipient)
    assert tasks.send_notification.call(notification.pk) == ["email", "sms"]

    # when
    sent_again = tasks.send_notification.call(notification.pk)

    # then
    assert sent_again == []
    assert len(mail.outbox) == 1
    assert len(sms.outbox) == 1


def test_a_failing_sms_does_not_stop_the_email(settings, django_capture_on_commit_callbacks):
    # given
    settings.SMS_BACKEND = f"{__name__}.BrokenSmsBackend"
    recipient = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_shipped(recipient)

    # when
    with pytest.raises(NotificationNotSent, match="not sent by sms"):
        tasks.send_notification.call(notification.pk)

    # then: the email went and is stamped; the SMS is left to send again
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.texted_at is None


def test_a_notification_deleted_before_the_task_sends_nothing():
    assert tasks.send_notification.call(123_456) == []
    assert mail.outbox == []


# --- Reading --------------------------------------------------------------------------------


def test_mark_read_stamps_ones_own_notification_once():
    recipient = make_person()
    notification = notify_shipped(recipient)

    first = services.mark_read(user=recipient, notification_id=notification.pk)
    again = services.mark_read(user=recipient, notification_id=notification.pk)

    assert first.read_at is not None
    assert again.read_at == first.read_at
    assert selectors.count_unread(recipient) == 0


def test_mark_read_refuses_another_persons_notification():
    notification = notify_shipped(make_person())

    with pytest.raises(Notification.DoesNotExist):
        services.mark_read(user=make_person(), notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_stamps_only_the_users_unread_notifications():
    # given
    recipient, other = make_person(), make_person()
    read_before = notify_shipped(recipient)
    services.mark_read(user=recipient, notification_id=read_before.pk)
    read_before.refresh_from_db()
    notify_shipped(recipient)
    notify_shipped(recipient)
    others = notify_shipped(other)

    # when
    count = services.mark_all_read(user=recipient)

    # then
    assert count == 2
    assert selectors.count_unread(recipient) == 0
    assert selectors.count_unread(other) == 1
    assert Notification.objects.get(pk=read_before.pk).read_at == read_before.read_at
    assert Notification.objects.get(pk=others.pk).read_at is None


def test_list_notifications_is_newest_first():
    recipient = make_person()
    older = notify_shipped(recipient)
    Notification.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    newer = notify_shipped(recipient)

    assert list(selectors.list_notifications(recipient)) == [newer, older]
