"""Help on request through HTTP and the services: the lifecycle from the artisan's request to
the advisor's close, another advisor's 404, the reminder the day before sent once, the SMS
reply confirming, and the programme's response times."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core import machine
from souk.notifications import sms
from souk.notifications.models import Notification
from souk.shops.tests.factories import make_artisan
from souk.support import help, nudges
from souk.support.errors import AppointmentInThePast
from souk.support.help_models import HelpRequest, HelpStatus, NudgeOptOutWay
from souk.support.models import Advisor
from souk.support.tests.factories import make_advisor, make_artisan_in

pytestmark = pytest.mark.django_db

_phones = itertools.count(600100000)


@pytest.fixture(autouse=True)
def _texts_in_memory(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOUK_SITE_URL = "https://souk.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def texted_artisan(**fields: Any) -> User:
    owner = make_artisan(phone=f"+212{next(_phones)}", preferred_language="fr", **fields)
    return make_artisan_in(owner=owner)


def ask(client: Client, artisan: User, **data: Any) -> Any:
    client.force_login(artisan)
    form = {"topic": "photos", "channel": "whatsapp", "slots": ["morning", "weekend"]}
    form.update(data)
    return client.post("/en/support/help/", form)


def test_a_request_goes_from_asked_to_closed_with_the_times_measured(
    client, django_capture_on_commit_callbacks
):
    # given a potter followed by Karima
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = texted_artisan(full_name="Fatima Zahra")
    # when the potter asks for help with photos, by WhatsApp, in the mornings or on Saturday
    assert ask(client, artisan).status_code == 302
    request = HelpRequest.objects.get(artisan=artisan)
    assert (request.status, request.advisor, request.slots) == (
        "open",
        advisor,
        ["morning", "weekend"],
    )
    # then Karima is told in the app and sees it in her queue
    told = Notification.objects.get(recipient=advisor.user, kind="support_help_requested")
    assert "Fatima Zahra" in told.subject
    client.force_login(advisor.user)
    queue = client.get("/en/support/help/queue/").content.decode()
    assert "Fatima Zahra" in queue
    assert "Photos of my pieces" in queue
    # when she proposes Thursday at 10:00 by WhatsApp
    at = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/support/help/queue/{request.pk}/",
            {"action": "propose", "at": at.strftime("%Y-%m-%dT%H:%M"), "channel": "whatsapp"},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.appointment_at) == ("proposed", at)
    # then the potter gets an SMS, in French, with the code to reply
    assert [m.to for m in sms.outbox] == [artisan.phone]
    assert "propose" in sms.outbox[0].text
    assert request.confirm_code in sms.outbox[0].text
    # when the potter confirms in the app
    client.force_login(artisan)
    assert client.post(f"/en/support/help/{request.pk}/", {"action": "confirm"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "confirmed"
    assert request.confirmed_at is not None
    # and Karima keeps a note, then closes with what was done
    client.force_login(advisor.user)
    client.post(f"/en/support/help/queue/{request.pk}/", {"action": "note", "text": "Called."})
    empty = client.post(f"/en/support/help/queue/{request.pk}/", {"action": "close", "outcome": ""})
    assert empty.status_code == 400
    client.post(
        f"/en/support/help/queue/{request.pk}/",
        {"action": "close", "outcome": "Took three photos in daylight together."},
    )
    request.refresh_from_db()
    assert request.status == "closed"
    assert request.outcome == "Took three photos in daylight together."
    assert [n.text for n in request.notes.all()] == ["Called."]
    moves = [m.action for m in machine.history(request, machine=help.HELP_MACHINE)]
    assert moves == ["ask", "propose", "confirm", "close"]
    # then the programme sees the region's response times
    analyst = accounts.grant_role(user=make_user(), role=Role.ANALYST)
    client.force_login(analyst)
    times = client.get("/en/support/help/times/")
    assert times.status_code == 200
    body = times.content.decode()
    assert "Marrakesh-Safi" in body
    assert 'data-label="Requests">1<' in body
    assert 'data-label="Still waiting">0<' in body
    assert 'data-label="Proposed within 48 hours">100 %<' in body


def test_another_advisor_gets_a_404_for_a_request_not_in_their_portfolio(client):
    # given a request of Karima's potter, and another advisor
    make_advisor(full_name="Karima Idrissi")
    artisan = texted_artisan()
    ask(client, artisan)
    request = HelpRequest.objects.get(artisan=artisan)
    other = make_advisor(full_name="Youssef Amrani", regions=("01",))
    client.force_login(other.user)
    # when the other advisor opens it, or tries to propose or close it
    page = client.get(f"/en/support/help/queue/{request.pk}/")
    post = client.post(
        f"/en/support/help/queue/{request.pk}/", {"action": "close", "outcome": "Done"}
    )
    missing = client.get(f"/en/support/help/queue/{request.pk + 1000}/")
    # then it is not found, and nothing changed
    assert (page.status_code, post.status_code, missing.status_code) == (404, 404, 404)
    request.refresh_from_db()
    assert request.status == "open"
    assert request.artisan.full_name not in client.get("/en/support/help/queue/").content.decode()


def test_an_artisan_cannot_confirm_another_artisans_request(client):
    make_advisor()
    artisan = texted_artisan()
    ask(client, artisan)
    request = HelpRequest.objects.get(artisan=artisan)
    client.force_login(texted_artisan())
    assert client.post(f"/en/support/help/{request.pk}/", {"action": "confirm"}).status_code == 404


def test_a_request_without_a_time_is_refused_and_nothing_is_written(client):
    make_advisor()
    artisan = texted_artisan()
    response = ask(client, artisan, slots=[])
    assert response.status_code == 400
    assert "Choose at least one time that suits you." in response.content.decode()
    assert not HelpRequest.objects.exists()


def _proposed_for(artisan: User, advisor: Advisor, at: datetime.datetime) -> HelpRequest:
    request = help.ask_for_help(artisan=artisan, topic="prices", channel="phone", slots=["evening"])
    return help.propose_appointment(
        request_id=request.pk,
        advisor=advisor,
        at=at,
        channel="phone",
        now=at - datetime.timedelta(days=5),
    )


def test_the_reminder_goes_out_the_day_before_and_only_once(django_capture_on_commit_callbacks):
    # given appointments tomorrow at 15:00 and in three days
    advisor = make_advisor(full_name="Karima Idrissi")
    tomorrow_artisan, later_artisan = texted_artisan(), texted_artisan()
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    tomorrow = _proposed_for(tomorrow_artisan, advisor, now + datetime.timedelta(days=1, hours=5))
    _proposed_for(later_artisan, advisor, now + datetime.timedelta(days=3))
    sms.outbox.clear()
    # when the reminders run, then run again an hour later
    with django_capture_on_commit_callbacks(execute=True):
        first = help.send_reminders(now=now)
        second = help.send_reminders(now=now + datetime.timedelta(hours=1))
    # then only tomorrow's artisan got one reminder
    assert (first, second) == (1, 0)
    assert [m.to for m in sms.outbox] == [tomorrow_artisan.phone]
    assert "Karima Idrissi" in sms.outbox[0].text
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is not None


def test_a_new_time_proposed_is_reminded_again():
    advisor = make_advisor()
    artisan = texted_artisan()
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    request = _proposed_for(artisan, advisor, now + datetime.timedelta(days=1))
    assert help.send_reminders(now=now) == 1
    help.propose_appointment(
        request_id=request.pk,
        advisor=advisor,
        at=now + datetime.timedelta(days=2),
        channel="visit",
        now=now,
    )
    assert help.send_reminders(now=now + datetime.timedelta(days=1)) == 1


def test_replying_the_code_by_sms_confirms_the_appointment():
    advisor = make_advisor()
    artisan = texted_artisan()
    at = timezone.now() + datetime.timedelta(days=2)
    request = _proposed_for(artisan, advisor, at)
    assert nudges.receive_sms_reply(phone=str(artisan.phone), text="0000x") == nudges.Reply.UNKNOWN
    reply = nudges.receive_sms_reply(phone=str(artisan.phone), text=f"oui {request.confirm_code}")
    assert reply == nudges.Reply.CONFIRMED
    request.refresh_from_db()
    assert request.status == HelpStatus.CONFIRMED


def test_an_appointment_in_the_past_is_refused():
    advisor = make_advisor()
    artisan = texted_artisan()
    request = help.ask_for_help(artisan=artisan, topic="prices", channel="phone", slots=["evening"])
    with pytest.raises(AppointmentInThePast):
        help.propose_appointment(
            request_id=request.pk,
            advisor=advisor,
            at=timezone.now() - datetime.timedelta(hours=1),
            channel="phone",
        )
    request.refresh_from_db()
    assert (request.status, request.first_proposed_at) == ("open", None)


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_the_help_pages_are_translated(client, language):
    advisor = make_advisor()
    artisan = texted_artisan()
    ask(client, artisan)
    mine = client.get(f"/{language}/support/help/").content.decode()
    client.force_login(advisor.user)
    queue = client.get(f"/{language}/support/help/queue/").content.decode()
    words = {
        "ar": ("اطلب المساعدة من مستشارك", "طلبات المساعدة"),
        "fr": ("Demandez de l\u2019aide à votre conseiller", "Demandes d\u2019aide"),
        "es": ("Pide ayuda a tu asesor", "Solicitudes de ayuda"),
    }[language]
    assert words[0] in mine
    assert words[1] in queue


def test_an_administrator_sees_requests_and_turns_nudges_back_on(client):
    # given a request and an artisan who stopped nudges
    make_advisor()
    artisan = texted_artisan(full_name="Fatima Zahra")
    help.ask_for_help(artisan=artisan, topic="prices", channel="phone", slots=["evening"])
    preference = nudges.opt_out(artisan_id=artisan.pk, way=NudgeOptOutWay.SMS)
    admin = accounts.grant_role(user=make_user(), role=Role.ADMIN)
    client.force_login(admin)
    # when the administrator opens the lists and clears the opt-out
    requests = client.get("/en/admin/support/helprequest/")
    cleared = client.post(
        f"/en/admin/support/nudgepreference/{preference.pk}/change/",
        {"opted_out_at_0": "", "opted_out_at_1": ""},
    )
    # then the request is listed and the artisan will be nudged again
    assert requests.status_code == 200
    assert "Fatima Zahra" in requests.content.decode()
    assert cleared.status_code == 302
    preference.refresh_from_db()
    assert preference.opted_out_at is None
