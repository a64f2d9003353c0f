"""A sign-up refused for another field (a wrong CIN) keeps the password: the person corrects the
CIN without typing the password again, and the page never holds it (views.start)."""

from __future__ import annotations

import pytest

from souk.accounts.models import User
from souk.onboarding.tests.test_views import PASSWORD, page_of, sign_up, translated
from souk.onboarding.views import KEPT_PASSWORD_KEY
from souk.registry.tests.factories import make_register_entry

pytestmark = pytest.mark.django_db

KEPT_NOTE = "Your password is kept. Leave this empty to keep it, or type a new one."


def test_a_wrong_cin_keeps_the_password_and_the_corrected_sign_up_uses_it(client):
    # given: a first try with a wrong CIN
    entry = make_register_entry(cin="BE123456")
    refused = sign_up(client, entry, language="fr", cin="BE000000")

    # when: the CIN is corrected and the password field left empty
    accepted = sign_up(client, entry, language="fr", password="")

    # then
    assert refused.status_code == 400
    assert translated("fr", KEPT_NOTE) in page_of(refused)
    assert PASSWORD not in refused.content.decode()  # never sent back to the browser
    assert accepted.status_code == 302
    user = User.objects.get()
    assert user.check_password(PASSWORD)
    assert KEPT_PASSWORD_KEY not in client.session


def test_a_new_password_typed_on_the_second_try_wins(client):
    # given
    entry = make_register_entry(cin="BE123456")
    sign_up(client, entry, language="en", cin="BE000000")

    # when
    sign_up(client, entry, language="en", password="another-good-secret-9")

    # then
    user = User.objects.get()
    assert user.check_password("another-good-secret-9")
    assert not user.check_password(PASSWORD)


def test_a_password_the_form_refused_is_not_kept(client):
    # given: a password too short, and a wrong CIN
    entry = make_register_entry(cin="BE123456")
    refused = sign_up(client, entry, language="en", cin="BE000000", password="1234")

    # when: the CIN is corrected, the password left empty
    again = sign_up(client, entry, language="en", password="")

    # then: a password is still asked for, and no account exists
    assert KEPT_NOTE not in page_of(refused)
    assert again.status_code == 400
    assert "This field is required." in page_of(again)
    assert not User.objects.exists()


def test_a_kept_password_expires(client, monkeypatch):
    # given: a kept password from more than half an hour ago
    entry = make_register_entry(cin="BE123456")
    sign_up(client, entry, language="en", cin="BE000000")
    session = client.session
    session[KEPT_PASSWORD_KEY] = {**session[KEPT_PASSWORD_KEY], "until": 0}
    session.save()

    # when
    again = sign_up(client, entry, language="en", password="")

    # then
    assert again.status_code == 400
    assert not User.objects.exists()
