"""The demo artisan's application in review at bank@souk.example's bank, seeded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from souk.banking.application_models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_artisan_has_one_application_in_review_at_the_first_bank(client: Client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    [application] = Application.objects.all()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.applicant.email == "artisan@souk.example"
    assert application.bank.bank_code == "007"
    client.force_login(application.bank.officers.get().user)
    html = client.get(f"/fr/banking/bank/applications/{application.pk}/").content.decode()
    assert "Chiffres de ventes" in html
    assert application.shop.register_entry.register_number in html
