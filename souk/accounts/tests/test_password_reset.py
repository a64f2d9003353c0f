"""Password reset: links from the configured site address, an hour of life, throttled."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from souk.accounts.models import LoginFailure
from souk.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

RESET_URL = "/en/account/password-reset/"


def test_a_reset_asked_with_a_forged_host_links_to_the_configured_site(client, settings):
    # given: a host header the attacker controls reaches the view (a wildcard ALLOWED_HOSTS)
    settings.ALLOWED_HOSTS = ["*"]
    settings.SOUK_SITE_URL = "https://souk.example"
    make_user(email="amina@example.ma")

    # when
    response = client.post(RESET_URL, {"email": "amina@example.ma"}, HTTP_HOST="evil.example")

    # then
    assert response.status_code == 302
    [message] = mail.outbox
    links = re.findall(r"\w+://\S+", str(message.body))
    assert len(links) == 1
    assert links[0].startswith("https://souk.example/en/account/password-reset/")
    assert "evil.example" not in str(message.body)


def test_a_reset_link_lasts_one_hour(client, settings):
    # given: a link made an hour and a second ago
    user = make_user(email="amina@example.ma")
    generator = default_token_generator
    # Django's private helpers are the only way to age a token without a clock library.
    issued = generator._num_seconds(generator._now()) - 3601
    token = generator._make_token_with_timestamp(user, issued, generator.secret)
    uid = urlsafe_base64_encode(force_bytes(user.pk))

    # when
    response = client.get(f"{RESET_URL}{uid}/{token}/", follow=True)

    # then
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    assert response.context["validlink"] is False
    assert "This link no longer works" in response.content.decode()


def test_resets_for_one_address_are_throttled_with_429(client):
    # given
    make_user(email="amina@example.ma")
    for n in range(3):
        response = client.post(
            RESET_URL, {"email": "Amina@example.ma"}, REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
        assert response.status_code == 302

    # when
    response = client.post(RESET_URL, {"email": "amina@example.ma"}, REMOTE_ADDR="198.51.100.9")

    # then
    assert response.status_code == 429
    assert "Too many password reset requests. Wait an hour" in response.content.decode()
    assert len(mail.outbox) == 3


def test_resets_from_one_address_are_throttled_with_429(client):
    # given: twenty resets from one address, each for another email
    for n in range(20):
        client.post(RESET_URL, {"email": f"person{n}@example.ma"}, REMOTE_ADDR="203.0.113.7")

    # when
    refused = client.post(RESET_URL, {"email": "amina@example.ma"}, REMOTE_ADDR="203.0.113.7")
    elsewhere = client.post(RESET_URL, {"email": "amina@example.ma"}, REMOTE_ADDR="203.0.113.8")

    # then
    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    assert LoginFailure.objects.filter(identifier="amina@example.ma").count() == 1
