"""Nudges: an SMS in the artisan's language to those stuck past the setting, at most once a
week, never after STOP (reply or link, recorded), and the advisor told in the app."""

from __future__ import annotations

import datetime
import itertools
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from souk.accounts.models import User
from souk.core import signatures
from souk.core.models import AuditEntry
from souk.notifications import sms
from souk.notifications.models import Notification
from souk.shops.tests.factories import make_artisan
from souk.support import nudges
from souk.support.help_models import Nudge, NudgePreference
from souk.support.models import Progress
from souk.support.tests.factories import make_advisor, make_artisan_in

pytestmark = pytest.mark.django_db

_phones = itertools.count(600200000)


@pytest.fixture(autouse=True)
def _texts_in_memory(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOUK_SITE_URL = "https://souk.example"
    settings.SOUK_SUPPORT_NUDGE_AFTER_DAYS = 14
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def stuck_artisan(*, days: int, language: str = "fr", **fields: Any) -> User:
    owner = make_artisan(phone=f"+212{next(_phones)}", preferred_language=language, **fields)
    artisan = make_artisan_in(owner=owner)
    Progress.objects.filter(artisan=artisan).update(
        last_step_at=timezone.now() - datetime.timedelta(days=days)
    )
    return artisan


def test_stuck_artisans_get_one_sms_in_their_language_and_the_advisor_is_told(
    django_capture_on_commit_callbacks,
):
    # given Karima's potters: one stuck 20 days (Arabic), one 20 days (Spanish), one 3 days
    advisor = make_advisor(full_name="Karima Idrissi")
    arabic = stuck_artisan(days=20, language="ar", full_name="Fatima Zahra")
    spanish = stuck_artisan(days=20, language="es", full_name="Aicha Benali")
    stuck_artisan(days=3, full_name="Recent Potter")
    # when the nightly nudges run
    with django_capture_on_commit_callbacks(execute=True):
        run = nudges.send_nudges()
    # then the two stuck ones get one SMS each, in their language, with a way to stop
    assert (run.sent, run.advisors_told) == (2, 1)
    texts = {m.to: m.text for m in sms.outbox}
    assert set(texts) == {arabic.phone, spanish.phone}
    assert "الخطوة التالية" in texts[str(arabic.phone)]
    assert "siguiente paso" in texts[str(spanish.phone)]
    assert all(
        "https://souk.example/" in text and "/support/stop/" in text for text in texts.values()
    )
    # and Karima is told, in the app only, who was nudged
    told = Notification.objects.get(recipient=advisor.user, kind="support_nudges_sent")
    assert "Aicha Benali, Fatima Zahra" in told.body
    assert told.emailed_at is None
    assert told.texted_at is None


def test_an_artisan_is_nudged_at_most_once_a_week():
    make_advisor()
    artisan = stuck_artisan(days=30)
    now = timezone.now()
    assert nudges.send_nudges(now=now).sent == 1
    assert nudges.send_nudges(now=now + datetime.timedelta(days=1)).sent == 0
    assert nudges.send_nudges(now=now + datetime.timedelta(days=6, hours=23)).sent == 0
    assert nudges.send_nudges(now=now + datetime.timedelta(days=7, hours=1)).sent == 1
    assert Nudge.objects.filter(artisan=artisan).count() == 2


def test_no_nudge_after_the_link_is_used(client):
    # given a nudged artisan
    make_advisor()
    artisan = stuck_artisan(days=30)
    nudges.send_nudges()
    token = NudgePreference.objects.get(artisan=artisan).token
    # when they open the link (nothing changes yet), then press the button
    page = client.get(f"/fr/support/stop/{token}/")
    assert page.status_code == 200
    assert NudgePreference.objects.get(artisan=artisan).opted_out_at is None
    assert client.post(f"/fr/support/stop/{token}/").status_code == 302
    # then it is recorded, and no nudge goes out a week later
    preference = NudgePreference.objects.get(artisan=artisan)
    assert preference.opted_out_by == "link"
    assert preference.opted_out_at is not None
    assert AuditEntry.objects.filter(action="support.nudges_stopped").count() == 1
    later = timezone.now() + datetime.timedelta(days=8)
    assert nudges.send_nudges(now=later).sent == 0
    assert client.get("/fr/support/stop/not-a-token/").status_code == 404


def test_no_nudge_after_a_stop_reply():
    make_advisor()
    artisan = stuck_artisan(days=30)
    assert nudges.receive_sms_reply(phone=str(artisan.phone), text="Stop") == nudges.Reply.STOPPED
    assert NudgePreference.objects.get(artisan=artisan).opted_out_by == "sms"
    assert nudges.send_nudges().sent == 0
    assert not Nudge.objects.exists()


def test_an_arabic_stop_reply_stops_too():
    make_advisor()
    artisan = stuck_artisan(days=30, language="ar")
    assert nudges.receive_sms_reply(phone=str(artisan.phone), text="توقف") == nudges.Reply.STOPPED


def test_the_advisor_sees_the_nudged_artisans_in_their_queue(client):
    advisor = make_advisor()
    stuck_artisan(days=30, full_name="Fatima Zahra")
    call_command("send_support_texts", stdout=open("/dev/null", "w"))  # noqa: SIM115 (discarded)
    client.force_login(advisor.user)
    body = client.get("/en/support/help/queue/").content.decode()
    assert "Artisans nudged lately" in body
    assert "Fatima Zahra" in body


def test_a_signed_stop_reply_from_the_provider_stops_nudges(client, settings):
    # given a stuck artisan and the provider's secret
    make_advisor()
    artisan = stuck_artisan(days=30)
    body = json.dumps({"from": artisan.phone, "text": "STOP"}).encode()
    # when the provider posts the reply unsigned, then signed
    unsigned = client.post("/sms/replies/", body, content_type="application/json")
    signed = client.post(
        "/sms/replies/",
        body,
        content_type="application/json",
        headers={"X-Sms-Signature": signatures.sign(body, secret=settings.SOUK_SMS_REPLY_SECRET)},
    )
    # then only the signed one counts, and no nudge goes out
    assert unsigned.status_code == 403
    assert (signed.status_code, signed.json()) == (200, {"result": "stopped"})
    assert NudgePreference.objects.get(artisan=artisan).opted_out_by == "sms"
    assert nudges.send_nudges().sent == 0


def test_an_artisan_who_stopped_nudges_turns_them_back_on_from_their_page(client):
    # given a nudged artisan who stopped the messages by the link
    make_advisor()
    artisan = stuck_artisan(days=30)
    nudges.send_nudges()
    token = NudgePreference.objects.get(artisan=artisan).token
    client.post(f"/en/support/stop/{token}/")
    # the confirmation says how to turn them back on
    confirmation = client.get(f"/en/support/stop/{token}/").content.decode()
    assert "Send me these messages again" in confirmation
    assert 'href="/en/support/"' in confirmation
    # when they sign in, their page says they stopped them and offers to turn them back on
    client.force_login(artisan)
    page = client.get("/en/support/").content.decode()
    assert "You stopped the SMS reminders" in page
    assert 'name="nudges" value="on"' in page
    assert client.post("/en/support/nudges/", {"nudges": "on"}).status_code == 302
    # then they are nudged again (a week after the last one), and it is in the log
    assert NudgePreference.objects.get(artisan=artisan).opted_out_at is None
    assert AuditEntry.objects.filter(action="support.nudges_resumed").count() == 1
    later = timezone.now() + datetime.timedelta(days=8)
    assert nudges.send_nudges(now=later).sent == 1
    page = client.get("/en/support/").content.decode()
    assert 'name="nudges" value="off"' in page
    # and they can stop them again from the same page
    client.post("/en/support/nudges/", {"nudges": "off"})
    assert NudgePreference.objects.get(artisan=artisan).opted_out_by == "page"
    assert nudges.send_nudges(now=later + datetime.timedelta(days=8)).sent == 0


def test_a_bad_choice_on_the_nudges_switch_changes_nothing(client):
    make_advisor()
    artisan = stuck_artisan(days=30)
    client.force_login(artisan)
    response = client.post("/en/support/nudges/", {"nudges": "maybe"}, follow=True)
    assert "Choose whether you want these messages or not." in response.content.decode()
    assert not NudgePreference.objects.filter(artisan=artisan, opted_out_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action__startswith="support.nudges").exists()


def test_nudges_are_written_in_bulk_and_their_sms_queued_in_one_task(
    settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # given nine stuck artisans of two advisors, and tasks kept in the database queue
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_advisor()
    make_advisor()
    stuck = [stuck_artisan(days=30, language=("ar", "fr", "es")[i % 3]) for i in range(9)]
    # when the nudges run: a fixed number of queries, whatever the number of artisans
    with django_assert_max_num_queries(25), django_capture_on_commit_callbacks(execute=True):
        run = nudges.send_nudges()
    # then each has one nudge and one SMS notification, queued as one task
    assert run.sent == 9
    assert Nudge.objects.count() == 9
    assert Notification.objects.filter(kind="support_nudge").count() == 9
    queued = DBTaskResult.objects.filter(task_path__endswith="send_notifications").get()
    assert sorted(queued.args_kwargs["args"][0]) == sorted(
        Notification.objects.filter(kind="support_nudge").values_list("pk", flat=True)
    )
    assert {n.recipient_id for n in Notification.objects.filter(kind="support_nudge")} == {
        a.pk for a in stuck
    }
