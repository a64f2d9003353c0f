"""Certificates of origin (issue #20): every piece that ships gets one signed with Ed25519; its
QR on the packing slip opens a public page saying whether it is genuine; the page and
`verify_certificate` check a file offline with the published key; tampered data fails."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from souk.catalog.tests.factories import make_active_product
from souk.core import signing
from souk.fulfilment import services as fulfilment
from souk.fulfilment.models import Certificate
from souk.orders import services as orders
from souk.orders.models import SubOrder
from souk.orders.tests.factories import make_paid_order
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db

TITLE_EN = "Safi tagine with blue glaze"
TITLE_FR = "Tajine de Safi émaillé bleu"


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def shipped(quantity: int = 1, country: str = "US") -> SubOrder:
    """A paid parcel of `quantity` tagines by Fatima Bennani (pottery, Marrakech-Safi), which
    the artisan has just shipped through the real use case."""
    tagine = make_active_product(title_en=TITLE_EN, title_fr=TITLE_FR, stock_quantity=5)
    parcel = make_paid_order(country=country, products=[(tagine, quantity)]).sub_orders.get()
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    return SubOrder.objects.get(pk=parcel.pk)


def file_of(client, certificate: Certificate) -> bytes:
    response = client.get(url("fulfilment:certificate_file", code=certificate.code))
    assert response.status_code == 200
    return bytes(response.content)


def test_shipping_signs_one_certificate_per_piece_with_the_registered_artisan():
    # when
    parcel = shipped(quantity=2)

    # then
    first, second = Certificate.objects.filter(shipment__sub_order=parcel)
    entry = parcel.shop.register_entry
    assert (first.payload["piece"]["unit"], second.payload["piece"]["unit"]) == (1, 2)
    assert first.code != second.code
    payload = first.payload
    assert payload["code"] == first.code
    assert payload["piece"]["titles"]["en"] == TITLE_EN
    assert payload["piece"]["titles"]["fr"] == TITLE_FR
    assert payload["artisan"]["name"] == "Fatima Bennani"
    assert payload["artisan"]["name_ar"] == "فاطمة بناني"
    assert payload["artisan"]["register_number"] == entry.register_number
    assert payload["artisan"]["trade"]["code"] == "S01-T01"
    assert payload["artisan"]["region"]["code"] == "07"
    assert payload["artisan"]["region"]["fr"] == "Marrakech-Safi"
    assert payload["shipped_on"] == timezone.localdate().isoformat()
    [photo] = payload["piece"]["photos"]
    assert len(photo["sha256"]) == 64
    # and the signature holds with the key anyone can download
    published = signing.load_public_key(Client().get(url("fulfilment:certificate_key")).content)
    assert signing.verify_with(
        published, signing.canonical(payload), signing.decode_signature(first.signature)
    )


def test_the_qr_address_opens_the_page_in_the_readers_language_saying_genuine(client):
    # given
    certificate = Certificate.objects.get(shipment__sub_order=shipped())

    # when: a phone reading French scans the QR
    scanned = client.get(f"/c/{certificate.code}", headers={"accept-language": "fr"})
    page = client.get(scanned["Location"])

    # then
    assert scanned.status_code == 302
    assert scanned["Location"] == f"/fr/certificates/{certificate.code}/"
    text = page.content.decode()
    assert "Authentique : Souk a signé ce certificat" in text
    assert "Fatima Bennani" in text
    assert TITLE_FR in text
    assert "Marrakech-Safi" in text


def test_a_certificate_changed_in_the_database_is_not_shown_as_genuine(client):
    # given: someone edits the kept certificate to name another artisan
    certificate = Certificate.objects.get(shipment__sub_order=shipped())
    payload = certificate.payload
    payload["artisan"]["name"] = "Someone Else"
    Certificate.objects.filter(pk=certificate.pk).update(payload=payload)

    # when
    page = client.get(url("fulfilment:certificate", "fr", code=certificate.code))

    # then: a clear translated refusal, and nothing of what the row says
    text = page.content.decode()
    assert "PAS AUTHENTIQUE" in text
    assert "Someone Else" not in text
    assert client.get(url("fulfilment:certificate_file", code=certificate.code)).status_code == 404


def test_an_unknown_code_says_so(client):
    page = client.get(url("fulfilment:certificate", "en", code="ABCDEFGHJKMN"))

    assert page.status_code == 404
    assert "No certificate has this code." in page.content.decode()


def test_the_verify_page_checks_an_uploaded_file_and_refuses_a_tampered_one(client):
    # given
    certificate = Certificate.objects.get(shipment__sub_order=shipped())
    genuine = file_of(client, certificate)
    document = json.loads(genuine)
    document["certificate"]["piece"]["titles"]["en"] = "Antique tagine, 18th century"
    tampered = json.dumps(document).encode()

    def check(content: bytes, language: str) -> str:
        upload = SimpleUploadedFile("certificate.json", content, "application/json")
        response = client.post(url("fulfilment:certificate_check", language), {"file": upload})
        assert response.status_code == 200
        return str(response.content.decode())

    # when / then
    assert "Genuine: Souk signed this certificate" in check(genuine, "en")
    refused = check(tampered, "es")
    assert "NO ES AUTÉNTICO" in refused
    assert "Antique tagine" not in refused
    assert "no es un archivo de certificado de Souk" in check(b"%PDF-1.4 nonsense", "es")


def test_the_verify_page_checks_a_typed_code(client):
    certificate = Certificate.objects.get(shipment__sub_order=shipped())

    page = client.post(
        url("fulfilment:certificate_check", "en"), {"code": certificate.code.lower()}
    )

    assert "Genuine: Souk signed this certificate" in page.content.decode()


def test_the_command_verifies_a_file_offline_with_the_published_key(client, tmp_path):
    # given: the file and the key as a buyer downloads them
    certificate = Certificate.objects.get(shipment__sub_order=shipped())
    path = tmp_path / "certificate.json"
    path.write_bytes(file_of(client, certificate))
    key = tmp_path / "key.pem"
    key.write_bytes(client.get(url("fulfilment:certificate_key")).content)
    out = io.StringIO()

    # when
    call_command("verify_certificate", str(path), "--key", str(key), stdout=out)

    # then
    assert "GENUINE" in out.getvalue()
    assert f"Register number: {certificate.payload['artisan']['register_number']}" in (
        out.getvalue()
    )
    # a changed byte fails
    path.write_bytes(path.read_bytes().replace(b"Fatima", b"Fatime"))
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_certificate", str(path), "--key", str(key))
    # and so does another key than Souk's
    other = tmp_path / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    path.write_bytes(file_of(client, certificate))
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_certificate", str(path), "--key", str(other))


def test_the_packing_slip_carries_each_pieces_certificate_code_and_address(client):
    # given
    parcel = shipped(quantity=2)
    client.force_login(owner_of(parcel.shop))

    # when
    slip = client.get(url("orders:packing_slip", "fr", reference=parcel.reference))

    # then
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages)
    for certificate in Certificate.objects.filter(shipment__sub_order=parcel):
        assert certificate.code in text
        assert f"/c/{certificate.code}" in text
