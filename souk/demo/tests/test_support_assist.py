"""The demo's assisted mode: newcomer2 allowed their advisor, who can act for them at once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from souk.shops.models import Shop
from souk.support.assist_models import Assistance, LessonProgress
from souk.support.models import Assignment

pytestmark = pytest.mark.django_db


def test_seed_demo_has_one_artisan_in_assisted_mode(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # twice: nothing doubles

    permission = Assistance.objects.get()
    assert permission.artisan.email == "newcomer2@souk.example"
    assert permission.in_force()
    advisor = Assignment.objects.get(artisan=permission.artisan, ended_at__isnull=True).advisor
    assert permission.advisor == advisor
    assert LessonProgress.objects.filter(artisan=permission.artisan).count() == 2
    # the artisan sees what was done for them; the advisor can act for them now
    client.force_login(permission.artisan)
    body = client.get("/en/support/").content.decode()
    assert "changed your shop&#x27;s profile" in body
    client.force_login(advisor.user)
    response = client.post(f"/en/support/portfolio/{permission.artisan_id}/assist/start/")
    shop = Shop.objects.get(register_entry__claimed_by=permission.artisan)
    assert response["Location"] == f"/en/shops/manage/{shop.pk}/"
    assert "Écrit avec mon conseiller" in shop.story_fr
