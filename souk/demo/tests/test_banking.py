"""The banking demo: two partner banks with approved offers of several kinds, the demo bank
officer working for the first; running the seed twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from souk.banking.models import BankOfficer, Offer, OfferStatus, PartnerBank

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_banks_with_approved_offers_and_is_idempotent(client: Client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    before = list(Offer.objects.order_by("pk").values_list("pk", "status", "updated_at"))

    call_command("seed_demo", stdout=io.StringIO())

    assert list(Offer.objects.order_by("pk").values_list("pk", "status", "updated_at")) == before
    assert sorted(PartnerBank.objects.values_list("bank_code", flat=True)) == ["007", "011"]
    assert len(set(Offer.objects.values_list("kind", flat=True))) == 6
    assert not Offer.objects.exclude(status=OfferStatus.APPROVED).exists()
    officer = BankOfficer.objects.get(user__email="bank@souk.example")
    assert officer.bank.bank_code == "007"
    client.force_login(officer.user)
    html = client.get("/fr/banking/bank/offers/").content.decode()
    assert "Crédit Atelier" in html
    assert "Carte Pro" not in html
