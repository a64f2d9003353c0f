"""The sales attestation: downloaded by the artisan as a signed PDF, verified by code, by file
on the public page and by the command; one changed byte and it says ALTERED."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from souk.accounts.tests.factories import make_user
from souk.banking import attestation, selectors
from souk.banking.models import SalesAttestation
from souk.banking.tests.factories import deliver_and_complete, sell
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db


def download(client: Client, language: str = "fr") -> tuple[SalesAttestation, bytes]:
    months = selectors.last_months(12)
    response = client.post(
        f"/{language}/banking/attestation/",
        {"first_month": f"{months[0]:%Y-%m}", "last_month": f"{months[-1]:%Y-%m}"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return SalesAttestation.objects.latest("pk"), response.content


@pytest.fixture
def seller(client: Client) -> Client:
    shop = make_approved_shop()
    order = sell(shop, country="FR")
    deliver_and_complete(order.sub_orders.get(), order.buyer)
    client.force_login(owner_of(shop))
    return client


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_the_artisan_downloads_a_signed_attestation_of_the_ledgers_figures(
    seller: Client, language: str
) -> None:
    issued, pdf = download(seller, language)

    assert pdf.startswith(b"%PDF")
    result = attestation.verify_file(pdf)
    assert result.verdict is attestation.Verdict.GENUINE
    assert result.attestation == issued
    profile = selectors.get_money_profile(shop_id=issued.shop_id)
    assert issued.figures["sales_amount"] == profile.sales_12m_amount > 0
    assert issued.figures["abroad_sales_amount"] == profile.sales_12m_amount
    assert issued.language == language


def test_one_changed_byte_is_reported_as_altered_everywhere(seller: Client, tmp_path: Path) -> None:
    issued, pdf = download(seller)
    position = pdf.index(b"/Title")
    altered = pdf[:position] + b"/Titlf" + pdf[position + 6 :]

    assert attestation.verify_file(altered).verdict is attestation.Verdict.ALTERED
    unsigned = pdf[: pdf.rindex(b"\n%SOUK-SIGNATURE")]
    assert attestation.verify_file(unsigned).verdict is attestation.Verdict.UNSIGNED

    public = Client()
    page = public.post(
        "/en/banking/verify/", {"file": SimpleUploadedFile("a.pdf", altered, "application/pdf")}
    )
    assert "ALTERED" in page.content.decode()
    assert issued.code not in page.content.decode()
    genuine = public.post(
        "/en/banking/verify/", {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf")}
    )
    assert "Genuine" in genuine.content.decode()
    assert issued.code in genuine.content.decode()

    path = tmp_path / "altered.pdf"
    path.write_bytes(altered)
    with pytest.raises(CommandError, match="ALTERED"):
        call_command("verify_attestation", str(path))
    path.write_bytes(pdf)
    output = io.StringIO()
    call_command("verify_attestation", str(path), stdout=output)
    assert output.getvalue().startswith("GENUINE")
    assert issued.code in output.getvalue()


def test_the_code_page_shows_the_attested_figures_to_anyone(seller: Client) -> None:
    issued, _pdf = download(seller)

    page = Client().get(f"/fr/banking/verify/{issued.code}/").content.decode()

    assert "Authentique" in page
    assert issued.identity["register_number"] in page
    unknown = Client().get("/fr/banking/verify/ZZZZZZZZZZZZ/").content.decode()
    assert issued.identity["register_number"] not in unknown


def test_the_public_key_verifies_a_file_offline(seller: Client) -> None:

    _issued, pdf = download(seller)
    key = load_pem_public_key(Client().get("/en/banking/verify/key.pem").content)
    assert isinstance(key, Ed25519PublicKey)
    body, _marker, signature = pdf.rstrip(b"\n").rpartition(b"\n%SOUK-SIGNATURE ")

    key.verify(base64.b64decode(signature), body)


def test_a_bad_period_issues_nothing_and_someone_without_a_shop_gets_404(
    seller: Client,
) -> None:
    response = seller.post(
        "/en/banking/attestation/", {"first_month": "2026-06", "last_month": "2026-01"}
    )
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert not SalesAttestation.objects.exists()

    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get("/en/banking/attestation/").status_code == 404


def test_an_attestation_in_arabic_has_its_french_copy(seller: Client) -> None:
    _issued, arabic = download(seller, "ar")
    _issued, french = download(seller, "fr")

    assert arabic.count(b"/Type /Page\n") == 2
    assert french.count(b"/Type /Page\n") == 1
