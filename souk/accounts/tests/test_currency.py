"""The display currency: chosen in the header, kept in the session and the profile."""

from __future__ import annotations

import pytest

from souk.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_visitor_chooses_euros_and_the_header_shows_it(client):
    response = client.post("/en/account/currency/", {"currency": "EUR", "next": "/en/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    page = client.get("/en/").content.decode()
    assert '<option value="EUR" selected>EUR</option>' in page
    assert "Prices shown in EUR." in page


def test_a_signed_in_buyer_keeps_the_currency_in_the_profile(client):
    user = make_user(preferred_currency="MAD")
    client.force_login(user)

    client.post("/en/account/currency/", {"currency": "USD", "next": "/en/"})

    user.refresh_from_db()
    assert user.preferred_currency == "USD"
    client.logout()
    client.force_login(user)
    assert '<option value="USD" selected>USD</option>' in client.get("/en/").content.decode()


def test_an_unknown_currency_is_refused_and_nothing_changes(client):
    user = make_user(preferred_currency="MAD")
    client.force_login(user)

    response = client.post(
        "/en/account/currency/", {"currency": "BTC", "next": "/en/"}, follow=True
    )

    assert "This currency is not offered." in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_currency == "MAD"


def test_the_currency_form_never_redirects_to_another_site(client):
    response = client.post(
        "/en/account/currency/", {"currency": "EUR", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/en/"
