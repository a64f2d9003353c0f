"""A partner bank's logo (issue #18): uploaded in the back office, checked as an image with
the gallery's machinery, shown on the artisan's and the officer's pages; and the portfolio CSV
says each status in the officer's language beside its code."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from souk.banking import applications
from souk.banking.models import PartnerBank
from souk.banking.tests.factories import make_administrator, make_bank, make_offer, make_officer
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db


def png(width: int = 240, height: int = 80) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f6f5c").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def upload(client: Client, bank: PartnerBank, content: io.BytesIO, name: str) -> Any:
    content.name = name
    data = {
        "name": bank.name,
        "bank_code": bank.bank_code,
        "settlement_rib": "",
        "contact_email": "",
        "contact_phone": "",
        "logo": content,
        "is_active": "on",
        "created_at_0": "2026-01-01",
        "created_at_1": "10:00:00",
        "officers-TOTAL_FORMS": "0",
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "0",
        "officers-MAX_NUM_FORMS": "1000",
    }
    return client.post(f"/fr/admin/banking/partnerbank/{bank.pk}/change/", data)


def test_an_uploaded_logo_is_shown_on_the_offers_page_with_the_bank_name(client: Client) -> None:
    bank = make_bank("Banque Atlas")
    make_offer(bank, title_en="Workshop account")
    client.force_login(make_administrator())

    response = upload(client, bank, png(640, 200), "atlas.png")

    assert response.status_code == 302
    logo = PartnerBank.objects.get(pk=bank.pk).logo
    assert logo.name.startswith("banks/")
    with Image.open(logo.path) as stored:  # re-encoded by us, shrunk for a small box
        assert (stored.format, stored.size) == ("WEBP", (320, 100))
    client.force_login(owner_of(make_approved_shop()))
    html = client.get("/en/banking/offers/").content.decode()
    assert f'src="{logo.url}" alt="Banque Atlas" width="96" height="32"' in html


def test_a_bank_without_logo_shows_its_name(client: Client) -> None:
    make_offer(make_bank("Banque Atlas"), title_en="Workshop account")
    client.force_login(owner_of(make_approved_shop()))

    html = client.get("/en/banking/offers/").content.decode()

    assert "<bdi>Banque Atlas</bdi>" in html
    assert "bank-logo" not in html


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            "logo.svg",
            "Téléversez une image valide.",
        ),
        (io.BytesIO(png().getvalue() + b"\0" * 1024 * 1024), "big.png", "1 Mo"),
        (png(2400, 100), "wide.png", "2000 pixels"),
    ],
    ids=["svg", "over-1-MB", "over-2000-px"],
)
def test_a_bad_logo_is_refused_in_french_and_nothing_changes(
    client: Client, content: io.BytesIO, name: str, message: str
) -> None:
    bank = make_bank("Banque Atlas")
    client.force_login(make_administrator())

    response = upload(client, bank, content, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert PartnerBank.objects.get(pk=bank.pk).logo.name == ""


def test_the_officer_sees_the_logo_and_the_csv_says_each_status_in_words(client: Client) -> None:
    bank = make_bank("Banque Atlas")
    client.force_login(make_administrator())
    upload(client, bank, png(), "atlas.png")
    officer = make_officer(bank)
    offer = make_offer(bank, title_en="Workshop account")
    shop = make_approved_shop()
    application = applications.apply(
        shop=shop, user=owner_of(shop), offer=offer, lines=["figures"], days=90, amount=500_000
    )
    applications.move_application(application=application, action="review", actor=officer)
    client.force_login(officer)

    page = client.get("/fr/banking/bank/portfolio/").content.decode()
    french = client.get("/fr/banking/bank/portfolio.csv").content.decode()
    english = client.get("/en/banking/bank/portfolio.csv").content.decode()

    assert 'alt="Banque Atlas"' in page
    (row,) = csv.DictReader(io.StringIO(french))
    assert (row["status"], row["status_label"]) == ("under_review", "En cours d'examen")
    (row,) = csv.DictReader(io.StringIO(english))
    assert (row["status"], row["status_label"]) == ("under_review", "Under review")
