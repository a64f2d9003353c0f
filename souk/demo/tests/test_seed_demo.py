"""The demo data: one login per role, and running it twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from souk.demo.registry import DEMO_ROWS
from souk.registry.models import RegisterEntry, RegisterImport
from souk.reviews.models import Review, ReviewAnswer

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_account_per_role_and_prints_the_logins():
    output = io.StringIO()

    call_command("seed_demo", stdout=output)

    # One account per role; the demo shops add their owners (souk/shops/tests/test_demo.py).
    assert User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).count() == len(Role)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.roles == [account.role]
        assert user.check_password(DEMO_PASSWORD)
        assert account.email in output.getvalue()
    assert DEMO_PASSWORD in output.getvalue()


def test_seed_demo_twice_duplicates_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    before = list(User.objects.order_by("pk").values_list("pk", "email", "password", "is_staff"))
    entries_before = list(
        RegisterEntry.objects.order_by("pk").values_list("pk", "register_number", "updated_at")
    )
    reviews_before = list(Review.objects.order_by("pk").values_list("pk", "stars", "language"))
    assert len(reviews_before) == 5
    assert ReviewAnswer.objects.count() == 1

    call_command("seed_demo", stdout=io.StringIO())

    after = list(User.objects.order_by("pk").values_list("pk", "email", "password", "is_staff"))
    assert after == before
    assert Group.objects.count() == len(Role)
    entries_after = list(
        RegisterEntry.objects.order_by("pk").values_list("pk", "register_number", "updated_at")
    )
    assert entries_after == entries_before
    assert RegisterImport.objects.count() == 1
    assert list(Review.objects.order_by("pk").values_list("pk", "stars", "language")) == (
        reviews_before
    )
    assert ReviewAnswer.objects.count() == 1


def test_seed_demo_imports_a_synthetic_register_across_every_region():
    call_command("seed_demo", stdout=io.StringIO())

    synthetic = RegisterEntry.objects.filter(register_number__startswith="RNA-")
    assert synthetic.count() == DEMO_ROWS
    assert set(synthetic.values_list("region_id", flat=True)) == {
        f"{number:02d}" for number in range(1, 13)
    }
    assert synthetic.exclude(last_name_ar="").exists()
    assert synthetic.exclude(last_name_fr="").exists()


def test_demo_artisan_logs_in_with_the_phone_number(client):
    call_command("seed_demo", stdout=io.StringIO())

    response = client.post(
        "/ar/account/login/", {"username": "0612345678", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/ar/account/").context["account"].email == "artisan@souk.example"
