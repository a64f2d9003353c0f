"""The sandbox's page of text messages sent: a demo reads its sign-up code in the browser, its
own messages only (staff see all); mounted only with SOUK_SANDBOX."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from souk.accounts.tests.factories import make_user
from souk.notifications import sms
from souk.registry.tests.factories import make_register_entry

pytestmark = pytest.mark.django_db

OUTBOX = "/sandbox/sms/"


@pytest.fixture(autouse=True)
def _sandbox_sms(settings, tmp_path):
    settings.SMS_BACKEND = "souk.sandbox.sms.SandboxSmsBackend"
    settings.SOUK_SANDBOX_SMS_PATH = tmp_path / "sandbox-sms.jsonl"


def sign_up(client, capture, phone: str = "06 61 23 45 67"):
    entry = make_register_entry(cin="BE123456")
    with capture(execute=True):
        return client.post(
            "/fr/sell/",
            {
                "phone": phone,
                "password": "tajine-de-safi-2026",
                "register_number": entry.register_number,
                "cin": "BE123456",
            },
            REMOTE_ADDR="203.0.113.7",
        )


def test_the_code_screen_links_to_the_outbox_which_shows_the_code(
    client, django_capture_on_commit_callbacks
):
    # given: an artisan signed up; the code went out by the sandbox backend
    sign_up(client, django_capture_on_commit_callbacks)

    # when
    code_page = client.get("/fr/sell/code/").content.decode()
    outbox = client.get(OUTBOX, HTTP_ACCEPT_LANGUAGE="fr")

    # then
    assert f'href="{OUTBOX}"' in code_page
    assert outbox.status_code == 200
    page = outbox.content.decode()
    assert "+212661234567" in page
    assert re.search(r"\d{6}", page.split("<main", 1)[-1]) is not None


def test_a_visitor_sees_only_messages_to_their_own_phone(
    client, django_capture_on_commit_callbacks
):
    # given: a message to someone else, then a sign-up
    sms.get_sms_backend().send(to="+212600000001", text="Code 111111 for someone else")
    sign_up(client, django_capture_on_commit_callbacks)

    # when
    page = client.get(OUTBOX).content.decode()

    # then
    assert "111111" not in page
    assert "+212661234567" in page


def test_staff_see_every_message(client):
    # given
    sms.get_sms_backend().send(to="+212600000001", text="Code 111111")
    staff = make_user(is_staff=True)
    client.force_login(staff)

    # when
    page = client.get(OUTBOX).content.decode()

    # then
    assert "Code 111111" in page


def test_the_outbox_asks_to_log_in_first(client):
    sms.get_sms_backend().send(to="+212600000001", text="Code 111111")

    response = client.get(OUTBOX)

    assert response.status_code == 302
    assert "111111" not in response.content.decode()


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_the_outbox_speaks_the_visitors_language(client, language):
    client.force_login(make_user(phone="+212661234567"))
    with translation.override(language):
        title = translation.gettext("Text messages sent")

    page = client.get(OUTBOX, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert title in page
