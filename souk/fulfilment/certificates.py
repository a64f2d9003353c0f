"""Certificates of origin: every piece that ships gets one, signed with Ed25519.

When the artisan ships a parcel (services.create_shipment), each unit of each line gets a
Certificate: the piece (titles, materials, HS code, photo references with their SHA-256), the
artisan as the national register has them (name, register number, trade, region), the shop and
its workshop town, and the date it shipped. `payload` is exactly what is signed, in canonical
JSON (souk/core/signing.py), with the certificates' own key (SOUK_CERTIFICATE_KEY).

Its code, printed on the packing slip as a QR of /c/<code>, opens the public page, which
re-verifies the stored payload against its signature every time: a row changed in the database
is reported as not genuine, never shown as Souk's word. The certificate file
(souk-certificate-<code>.json: {"certificate": payload, "signature": base64, "key_id": ...})
verifies offline with only the published key: on the verify page (upload), or with
`manage.py verify_certificate FILE --key key.pem`. See docs/shipping.md.
"""

from __future__ import annotations

import enum
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from souk.catalog.models import Product, ProductPhoto
from souk.core import signing
from souk.fulfilment.models import Certificate, Shipment
from souk.orders.models import OrderLine

FORMAT_VERSION = 1
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LANGUAGES = ("ar", "fr", "en", "es")
# Photo references kept in a certificate: the listing's first ones, enough to recognise it.
PHOTOS_PER_CERTIFICATE = 3


def new_code() -> str:
    """Twelve characters nobody confuses when reading them out (no 0/O, 1/I/L)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(12))


def in_language(named: dict[str, str], language: str) -> str:
    """A certified name or title in `language`, else French, English, or whichever there is."""
    return (
        named.get(language) or named.get("fr") or named.get("en") or next(iter(named.values()), "")
    )


def _named(thing: Any) -> dict[str, str]:
    """A register name in the four languages (NamedInFourLanguages), with its code."""
    return {"code": thing.code} | {
        language: getattr(thing, f"name_{language}") for language in LANGUAGES
    }


def _photo_references(product: Product) -> list[dict[str, str]]:
    references = []
    photos: list[ProductPhoto] = list(product.photos.all()[:PHOTOS_PER_CERTIFICATE])
    for photo in photos:
        try:
            with photo.image.open("rb") as image:
                digest = hashlib.sha256(image.read()).hexdigest()
        except OSError:
            # A photo whose file is gone is not referenced: the hash is what vouches for it.
            continue
        references.append({"name": str(photo.image.name), "sha256": digest})
    return references


def payload_for(*, line: OrderLine, unit: int, code: str, shipped_at: Any) -> dict[str, Any]:
    """What the certificate of unit `unit` of `line` certifies (before signing)."""
    product = line.product
    shop = line.sub_order.shop
    entry = shop.register_entry
    titles = {
        language: title
        for language in LANGUAGES
        if (title := getattr(product, f"title_{language}"))
    }
    return {
        "version": FORMAT_VERSION,
        "issuer": "Souk",
        "code": code,
        "piece": {
            "product": product.pk,
            "titles": titles or {"fr": line.title},
            "variant": line.variant_label,
            "materials": product.material_names("en"),
            "hs_code": line.hs_code,
            "unit": unit,
            "of": line.quantity,
            "photos": _photo_references(product),
        },
        "artisan": {
            "name": entry.name_in("fr"),
            "name_ar": entry.name_in("ar"),
            "register_number": entry.register_number,
            "trade": _named(entry.trade),
            "region": _named(entry.region),
        },
        "shop": {"name": shop.display_name, "workshop_city": shop.workshop_city},
        "shipped_on": timezone.localdate(shipped_at).isoformat(),
    }


def issue_for_shipment(shipment: Shipment) -> list[Certificate]:
    """Sign one certificate per piece of `shipment`; idempotent (a piece keeps its first one).
    Runs inside the transaction that creates the shipment."""
    issued = []
    lines = shipment.sub_order.lines.select_related(
        "product",
        "sub_order__shop__register_entry__trade",
        "sub_order__shop__register_entry__region",
    )
    key_id = signing.CERTIFICATES.key_id()
    for line in lines:
        for unit in range(1, line.quantity + 1):
            if Certificate.objects.filter(order_line=line, unit=unit).exists():
                continue
            code = new_code()
            payload = payload_for(line=line, unit=unit, code=code, shipped_at=shipment.created_at)
            signature = signing.CERTIFICATES.sign(signing.canonical(payload))
            issued.append(
                Certificate.objects.create(
                    code=code,
                    shipment=shipment,
                    order_line=line,
                    unit=unit,
                    payload=payload,
                    signature=signing.encode_signature(signature),
                    key_id=key_id,
                    issued_at=shipment.created_at,
                )
            )
    return issued


def public_url(code: str) -> str:
    """The address the QR holds: short, without a language (the page follows the reader's)."""
    path = reverse("certificate_short", kwargs={"code": code})
    return str(settings.SOUK_SITE_URL).rstrip("/") + path


def certificate_file(certificate: Certificate) -> bytes:
    """The portable certificate: the signed payload, its signature and the key's id."""
    document = {
        "certificate": certificate.payload,
        "signature": certificate.signature,
        "key_id": certificate.key_id,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


class Verdict(enum.Enum):
    GENUINE = "genuine"
    ALTERED = "altered"
    UNREADABLE = "unreadable"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    # The certified content, only when genuine.
    payload: dict[str, Any] | None = None

    @property
    def is_genuine(self) -> bool:
        return self.verdict is Verdict.GENUINE


def verify_payload(
    payload: Any, signature_text: Any, *, public_key: Ed25519PublicKey | None = None
) -> Verification:
    """Whether `payload` is what Souk signed with `signature_text` (base64), checked with
    `public_key` (the published key; Souk's own by default)."""
    if not isinstance(payload, dict) or not isinstance(signature_text, str):
        return Verification(Verdict.UNREADABLE)
    try:
        signature = signing.decode_signature(signature_text)
    except ValueError:
        return Verification(Verdict.ALTERED)
    key = public_key or signing.CERTIFICATES.public_key()
    if not signing.verify_with(key, signing.canonical(payload), signature):
        return Verification(Verdict.ALTERED)
    return Verification(Verdict.GENUINE, payload)


def verify_file(content: bytes, *, public_key: Ed25519PublicKey | None = None) -> Verification:
    """Verify a certificate file offline: nothing but the file and the public key is read."""
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Verification(Verdict.UNREADABLE)
    if not isinstance(document, dict) or "certificate" not in document:
        return Verification(Verdict.UNREADABLE)
    return verify_payload(document["certificate"], document.get("signature"), public_key=public_key)


def find_by_code(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code.strip().upper()).first()


def verify_stored(certificate: Certificate) -> Verification:
    """Re-verify a kept certificate: its payload must be the one signed, for its own code."""
    result = verify_payload(certificate.payload, certificate.signature)
    if result.is_genuine and certificate.payload.get("code") != certificate.code:
        return Verification(Verdict.ALTERED)
    return result


def verify_code(code: str) -> tuple[Verification, Certificate | None]:
    certificate = find_by_code(code)
    if certificate is None:
        return Verification(Verdict.UNKNOWN), None
    return verify_stored(certificate), certificate


def list_for_sub_order(sub_order_id: int) -> list[Certificate]:
    return list(
        Certificate.objects.filter(shipment__sub_order_id=sub_order_id).select_related("order_line")
    )
