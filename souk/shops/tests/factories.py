"""Shops for tests, built through the real use cases (claim, profile, payout, documents)."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import TEST_PASSWORD, make_user
from souk.registry import services as registry
from souk.registry.tests.factories import make_register_entry
from souk.shops import services, workshop
from souk.shops.models import KycKind, PayoutMethod, Shop

VALID_RIB = "011519000001205000534921"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_artisan(**fields: Any) -> User:
    return accounts.grant_role(user=make_user(**fields), role=Role.ARTISAN)


def make_moderator(**fields: Any) -> User:
    return accounts.grant_role(user=make_user(**fields), role=Role.MODERATOR)


def make_claimed_shop(*, owner: User | None = None, **entry_fields: Any) -> Shop:
    """The draft shop opened by claiming a new register entry (an artisan's by default)."""
    entry = make_register_entry(**entry_fields)
    registry.claim_register_entry(
        user=owner or make_artisan(),
        register_number=entry.register_number,
        cin=entry.cin,
        ip_address="192.0.2.1",
    )
    return Shop.objects.get(register_entry=entry)


def owner_of(shop: Shop) -> User:
    claimed_by = shop.register_entry.claimed_by
    assert claimed_by is not None
    return claimed_by


def complete_shop(shop: Shop, *, story_fr: str = "Un atelier de poterie à Safi.") -> Shop:
    """Fill in everything the review needs: story, payout destination, both documents."""
    owner = owner_of(shop)
    services.update_shop_profile(
        shop=shop,
        actor=owner,
        display_name=shop.display_name,
        story_ar="",
        story_fr=story_fr,
        story_en="",
        story_es="",
        workshop_city="Safi",
        region=shop.region,
        languages_spoken=["ar", "fr"],
        trades=[],
    )
    services.set_payout_destination(shop=shop, actor=owner, method=PayoutMethod.RIB, rib=VALID_RIB)
    # Where parcels leave from, needed before the first shipment.
    workshop.set_workshop_address(
        shop=shop,
        actor=owner,
        street="12 derb Sidi Bouzid",
        postal_code="46000",
        phone="0524 46 12 34",
    )
    for kind in KycKind.values:
        services.upload_kyc_document(shop=shop, actor=owner, kind=kind, upload=pdf_upload())
    return Shop.objects.get(pk=shop.pk)


def make_approved_shop(*, moderator: User | None = None, **entry_fields: Any) -> Shop:
    shop = complete_shop(make_claimed_shop(**entry_fields))
    services.submit_shop_for_review(shop=shop, actor=owner_of(shop))
    return services.approve_shop(shop=shop, moderator=moderator or make_moderator())


def pdf_upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def jpeg_bytes(width: int = 800, height: int = 600, *, with_gps: bool = False) -> bytes:
    """A real JPEG; with_gps writes a GPS position (Marrakech) and a camera model in its EXIF."""
    image = Image.new("RGB", (width, height), (180, 90, 40))
    exif = Image.Exif()
    if with_gps:
        exif[ExifTags.Base.Model] = "Test phone"
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = (31.0, 37.0, 48.0)
        gps[ExifTags.GPS.GPSLongitudeRef] = "W"
        gps[ExifTags.GPS.GPSLongitude] = (8.0, 0.0, 36.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=85)
    return buffer.getvalue()


def heic_bytes(width: int = 800, height: int = 600) -> bytes:
    """A real HEIC, as iPhones save them, with a GPS position, a camera model and an EXIF
    orientation of "rotate 90° clockwise" (so it shows `height` x `width` once upright)."""
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (width, height), (180, 90, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Test phone"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 37.0, 48.0)
    buffer = io.BytesIO()
    image.save(buffer, format="HEIF", exif=exif.tobytes(), quality=80)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` x `height` 1-bit pixels, with no pixel data: the
    cheap way to build a decompression bomb's calling card (a few dozen bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def confirm_password(client: Any) -> None:
    """ "Confirm it's you" with the password, as the payout page asks (docs/security.md)."""
    response = client.post("/en/account/security/confirm/", {"password": TEST_PASSWORD})
    assert response.status_code == 302, response.content


def add_member(shop: Shop, user: User, *, role: str = "member", public_name: str = "") -> Any:
    """`user` invited into `shop` by its owner, and accepting (souk/shops/members.py)."""
    from souk.shops import members

    invitation = members.invite_shop_member(
        shop=shop,
        actor=owner_of(shop),
        login=user.email or user.phone or "",
        role=role,
        public_name=public_name,
    )
    return members.accept_shop_invitation(invitation_id=invitation.pk, invitee=user)
