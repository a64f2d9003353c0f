"""The banking demo: two partner banks with approved offers of several kinds, the demo bank
officer working for the first; running the seed twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from souk.accounts.models import User
from souk.banking import advances
from souk.banking.models import (
    Advance,
    AdvanceStatus,
    BankOfficer,
    Offer,
    OfferStatus,
    PartnerBank,
)
from souk.ledger.selectors import check_ledger

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_banks_with_approved_offers_and_is_idempotent(client: Client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    before = list(Offer.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    logos = sorted(PartnerBank.objects.values_list("logo", flat=True))

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
    # Each bank has a logo of its initials drawn by the seed, once; the officer's header shows it.
    assert sorted(PartnerBank.objects.values_list("logo", flat=True)) == logos
    assert all(name.startswith("banks/demo-bank-") for name in logos)
    assert f'src="{officer.bank.logo.url}" alt="Attijariwafa bank"' in html


def test_the_demo_artisan_is_repaying_an_advance(client: Client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    advance = Advance.objects.get(shop__members__user__email="artisan@souk.example")
    progress = advances.list_progress(shop_id=advance.shop_id)[0]
    assert advance.bank.bank_code == "007"
    assert advance.status == AdvanceStatus.REPAYING
    assert 0 < progress.withheld < advance.total_amount
    assert progress.remaining == advance.total_amount - progress.withheld
    assert check_ledger() == []
    client.force_login(User.objects.get(email="artisan@souk.example"))
    html = client.get(f"/fr/banking/?shop={advance.shop_id}").content.decode()
    assert advance.reference in html
