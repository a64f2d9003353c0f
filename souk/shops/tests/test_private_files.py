"""KYC scans are private: stored outside MEDIA_ROOT, read only through a checking view.
Public photos are served under /media/, which cannot reach anything else."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.models import AuditEntry
from souk.shops import services
from souk.shops.errors import FileTooLarge, UnacceptedDocument
from souk.shops.models import KycDocument, KycKind
from souk.shops.tests.factories import (
    PDF_BYTES,
    jpeg_bytes,
    make_artisan,
    make_claimed_shop,
    make_moderator,
    owner_of,
    pdf_upload,
    upload,
)

pytestmark = pytest.mark.django_db


def private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def upload_id_card(shop, content: bytes = PDF_BYTES, name: str = "cin.pdf") -> KycDocument:
    return services.upload_kyc_document(
        shop=shop,
        actor=owner_of(shop),
        kind=KycKind.ID_CARD,
        upload=upload(name, content, "application/pdf"),
    )


def test_a_kyc_scan_is_stored_under_the_private_root_and_has_no_url():
    document = upload_id_card(make_claimed_shop())

    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.read_bytes() == PDF_BYTES
    assert (document.content_type, document.size) == ("application/pdf", len(PDF_BYTES))
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018  # reading the attribute is the test


def test_the_owner_and_a_moderator_can_download_it_no_one_else_can(client):
    # given
    shop = make_claimed_shop()
    document = upload_id_card(shop)
    url = f"/fr/shops/documents/{document.pk}/"
    buyer = accounts.grant_role(user=make_user(), role=Role.BUYER)

    # then: the owner and a moderator get the file, as an attachment nobody caches
    for reader in (owner_of(shop), make_moderator()):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (f'attachment; filename="id_card-{shop.pk}.pdf"')
        assert response["Cache-Control"] == "private, no-store"
    # another artisan and a buyer are told it does not exist
    for stranger in (make_artisan(), buyer):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    # anonymous visitors are asked to log in
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/fr/account/login/?next={url}"


def test_an_unknown_document_is_a_404_even_for_a_moderator(client):
    client.force_login(make_moderator())

    assert client.get("/fr/shops/documents/999999/").status_code == 404


TRAVERSALS = [
    "/media/../private/{name}",
    "/media/%2e%2e/private/{name}",
    "/media/..%2fprivate/{name}",
    "/media/shops/../../private/{name}",
]


@pytest.mark.parametrize("request_path", TRAVERSALS)
def test_media_urls_cannot_climb_to_a_private_image(client, request_path):
    # given: a JPEG scan on disk next to the public media folder (an image suffix, so only
    # the path check stands between it and the URL)
    shop = make_claimed_shop()
    document = services.upload_kyc_document(
        shop=shop,
        actor=owner_of(shop),
        kind=KycKind.ID_CARD,
        upload=upload("cin.jpg", jpeg_bytes(40, 30)),
    )

    # when
    response = client.get(request_path.format(name=document.file.name))

    # then: refused as a suspicious path (400), and the file's bytes are not in the answer
    assert response.status_code == 400
    assert Path(document.file.path).read_bytes() not in response.content


@pytest.mark.parametrize("request_path", TRAVERSALS)
def test_media_urls_cannot_climb_to_a_private_pdf(client, request_path):
    document = upload_id_card(make_claimed_shop())

    response = client.get(request_path.format(name=document.file.name))

    assert response.status_code == 404
    assert PDF_BYTES not in response.content


def test_media_urls_cannot_name_an_absolute_path(client):
    document = upload_id_card(make_claimed_shop())

    response = client.get(f"/media/{document.file.path}")

    assert response.status_code == 404


def test_media_serves_public_photos_with_a_long_cache(client):
    shop = make_claimed_shop()
    photo = services.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload("a.jpg", jpeg_bytes(40, 30))
    )

    response = client.get(photo.image.url)

    assert photo.image.url == f"/media/{photo.image.name}"
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert (
        b"".join(response.streaming_content)
        == (Path(settings.MEDIA_ROOT) / photo.image.name).read_bytes()
    )


def test_media_serves_nothing_but_images(client):
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "notes.html").write_text("<script>alert(1)</script>")

    assert client.get("/media/notes.html").status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"just some text", "scan.pdf"), (b"GIF89a\x01\x00\x01\x00", "scan.png")],
)
def test_a_document_that_is_not_pdf_jpeg_or_png_is_refused_and_nothing_is_written(content, name):
    shop = make_claimed_shop()

    with pytest.raises(UnacceptedDocument) as refusal:
        upload_id_card(shop, content, name)

    assert str(refusal.value.message) == "Send a PDF, JPEG or PNG file."
    assert KycDocument.objects.count() == 0
    assert private_files() == []
    assert not AuditEntry.objects.filter(action="shop.kyc_document_uploaded").exists()


def test_a_document_over_10_mb_is_refused():
    shop = make_claimed_shop()

    with pytest.raises(FileTooLarge):
        upload_id_card(shop, PDF_BYTES + b"\0" * (10 * 1024 * 1024))

    assert KycDocument.objects.count() == 0
    assert private_files() == []


def test_a_jpeg_photo_of_the_card_is_accepted():
    shop = make_claimed_shop()

    document = services.upload_kyc_document(
        shop=shop,
        actor=owner_of(shop),
        kind=KycKind.REGISTER_CARD,
        upload=upload("card.jpg", jpeg_bytes(40, 30)),
    )

    assert (document.kind, document.content_type) == ("register_card", "image/jpeg")
    assert document.file.name.endswith(".jpg")


def test_sending_a_document_again_replaces_it_and_deletes_the_old_file(
    django_capture_on_commit_callbacks,
):
    shop = make_claimed_shop()
    first = upload_id_card(shop)
    old_path = Path(first.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        second = services.upload_kyc_document(
            shop=shop, actor=owner_of(shop), kind=KycKind.ID_CARD, upload=pdf_upload("new.pdf")
        )

    assert second.pk == first.pk
    assert KycDocument.objects.count() == 1
    assert not old_path.exists()
    assert private_files() == [Path(second.file.path)]


def test_documents_page_shows_why_a_document_over_10_mb_is_refused(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))
    too_big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"\0" * (10 * 1024 * 1024))

    response = client.post(
        f"/en/shops/manage/{shop.pk}/documents/", {"kind": "id_card", "file": too_big}
    )

    assert response.status_code == 413
    assert response.context["form"].errors == {"file": ["This file is larger than 10 MB."]}
    assert KycDocument.objects.count() == 0


def test_documents_page_uploads_and_lists_a_document(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))

    response = client.post(
        f"/en/shops/manage/{shop.pk}/documents/", {"kind": "id_card", "file": pdf_upload()}
    )

    assert response.status_code == 302
    document = KycDocument.objects.get()
    page = client.get(f"/en/shops/manage/{shop.pk}/documents/").content.decode()
    assert f'href="/en/shops/documents/{document.pk}/"' in page


def test_private_files_inside_the_media_folder_fail_the_system_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"

    with pytest.raises(SystemCheckError, match=r"shops\.E001"):
        call_command("check")


def test_a_kyc_scan_is_created_0600_in_folders_created_0700(client):
    # given
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))
    # when
    response = client.post(
        f"/en/shops/manage/{shop.pk}/documents/",
        {"kind": KycKind.ID_CARD, "file": pdf_upload()},
    )
    # then
    assert response.status_code == 302
    path = Path(KycDocument.objects.get(shop=shop).file.path)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "kyc").stat().st_mode) == 0o700
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
