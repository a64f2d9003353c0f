"""Who may review a piece, when, and what the review does to the pages and their averages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from souk.accounts.tests.factories import make_user
from souk.catalog.models import Product
from souk.core.models import AuditEntry
from souk.notifications.models import Notification
from souk.orders import services as orders
from souk.reviews import errors, services
from souk.reviews.models import Review, ReviewInvitation, ReviewPhoto
from souk.reviews.tests.factories import (
    buyer_of,
    delivered_parcel,
    parcel_in_transit,
    reviewed,
    url,
)
from souk.shops.models import Shop
from souk.shops.tests.factories import jpeg_bytes, png_declaring

pytestmark = pytest.mark.django_db


def write_url(parcel) -> str:
    return url("reviews:write", line_id=parcel.lines.get().pk)


def product_url(product: Product, language: str = "en") -> str:
    return url("catalog:detail", language=language, product_id=product.pk, slug=product.slug)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "reviews"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_someone_who_did_not_buy_the_piece_cannot_review_it(client) -> None:
    # given: a delivered parcel and another signed-in person
    parcel = delivered_parcel()
    stranger = make_user(email="stranger@example.com")
    client.force_login(stranger)
    # when
    page = client.get(write_url(parcel))
    response = client.post(write_url(parcel), {"stars": "1", "body": "Bad", "language": "en"})
    # then: as if the line did not exist, and nothing written
    assert page.status_code == 404
    assert response.status_code == 404
    assert Review.objects.count() == 0
    with pytest.raises(errors.NotTheBuyer):
        services.write_review(
            order_line_id=parcel.lines.get().pk,
            buyer=stranger,
            stars=1,
            body="",
            language="en",
        )


def test_the_buyer_cannot_review_a_parcel_still_on_its_way(client) -> None:
    # given: a parcel in transit
    parcel = parcel_in_transit()
    client.force_login(buyer_of(parcel))
    # when
    order_page = client.get(url("orders:detail", reference=parcel.order.reference))
    response = client.post(write_url(parcel), {"stars": "5", "body": "Lovely", "language": "en"})
    # then
    assert "Review this piece" not in order_page.content.decode()
    assert response.status_code == 409
    assert "once it has been delivered to you" in response.content.decode()
    assert Review.objects.count() == 0
    assert Product.objects.get(pk=parcel.lines.get().product_id).rating_count == 0


def test_after_delivery_the_buyer_is_invited_and_the_review_is_shown_and_counted(
    client, django_capture_on_commit_callbacks
) -> None:
    # given: the carrier delivered the parcel (what is done once it commits, done)
    with django_capture_on_commit_callbacks(execute=True):
        parcel = delivered_parcel()
    line = parcel.lines.get()
    buyer = buyer_of(parcel)
    client.force_login(buyer)
    # then: one invitation in the notifications, "Review this piece" on the order page
    assert ReviewInvitation.objects.filter(sub_order=parcel).count() == 1
    invitation = Notification.objects.get(recipient=buyer, kind="review_invited")
    assert parcel.reference in invitation.body
    order_page = client.get(url("orders:detail", reference=parcel.order.reference))
    assert "Review this piece" in order_page.content.decode()
    # when
    response = client.post(
        write_url(parcel),
        {"stars": "4", "body": "Belle pièce, bien emballée.", "language": "fr"},
    )
    # then: published, counted on the product and the shop, shown on the product page
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.stars, review.language, review.buyer_id) == (4, "fr", buyer.pk)
    product = Product.objects.get(pk=line.product_id)
    shop = Shop.objects.get(pk=parcel.shop_id)
    assert (product.rating_count, product.rating_stars) == (1, 4)
    assert (shop.rating_count, shop.rating_stars) == (1, 4)
    page = client.get(product_url(product)).content.decode()
    assert "Belle pièce, bien emballée." in page
    assert "4.0 out of 5 · 1 review" in page
    assert "Verified purchase" in page
    shop_page = client.get(url("shops:detail", slug=shop.slug)).content.decode()
    assert "4.0 out of 5 · 1 review" in shop_page
    assert AuditEntry.objects.filter(action="review.written", target_id=str(review.pk)).exists()


def test_confirming_receipt_after_delivery_invites_only_once(
    django_capture_on_commit_callbacks,
) -> None:
    # given: delivered, invited
    with django_capture_on_commit_callbacks(execute=True):
        parcel = delivered_parcel()
    # when: the buyer then confirms receipt (completed)
    with django_capture_on_commit_callbacks(execute=True):
        orders.confirm_receipt(sub_order=parcel, buyer=buyer_of(parcel))
    # then
    assert Notification.objects.filter(kind="review_invited").count() == 1


def test_one_review_per_order_line_and_edits_move_the_average(client) -> None:
    # given
    parcel = delivered_parcel()
    review = reviewed(parcel, stars=2)
    # when: writing again is refused; editing changes the stars
    with pytest.raises(errors.AlreadyReviewed):
        reviewed(parcel, stars=5)
    services.edit_review(
        review_id=review.pk, buyer=buyer_of(parcel), stars=5, body="Better", language="en"
    )
    # then
    product = Product.objects.get(pk=review.product_id)
    assert Review.objects.count() == 1
    assert (product.rating_count, product.rating_stars) == (1, 5)


def test_a_review_cannot_be_edited_after_the_window(settings) -> None:
    parcel = delivered_parcel()
    review = reviewed(parcel, stars=3)
    settings.SOUK_REVIEW_EDIT_DAYS = 0
    Review.objects.filter(pk=review.pk).update(created_at=review.created_at.replace(year=2020))
    with pytest.raises(errors.EditWindowClosed):
        services.edit_review(
            review_id=review.pk, buyer=buyer_of(parcel), stars=5, body="", language="en"
        )
    assert Review.objects.get().stars == 3


def test_a_50_megapixel_photo_is_refused_in_place_and_nothing_is_saved(client) -> None:
    # given
    parcel = delivered_parcel()
    client.force_login(buyer_of(parcel))
    huge = png_declaring(8660, 5774)  # 50 megapixels
    # when
    response = client.post(
        write_url(parcel),
        {
            "stars": "5",
            "body": "Superbe",
            "language": "fr",
            "photos": [
                SimpleUploadedFile("fine.jpg", jpeg_bytes(), "image/jpeg"),
                SimpleUploadedFile("huge.png", huge, "image/png"),
            ],
        },
    )
    # then: the form again, the words kept, the reason said; no review, photo or file
    page = response.content.decode()
    assert response.status_code == 400
    assert "This image has too many pixels (more than 40 megapixels). Resize it and retry." in page
    assert "Superbe" in page
    assert Review.objects.count() == 0
    assert ReviewPhoto.objects.count() == 0
    assert media_files() == []
    assert Product.objects.get(pk=parcel.lines.get().product_id).rating_count == 0


def test_a_review_with_a_photo_shows_it(client) -> None:
    parcel = delivered_parcel()
    client.force_login(buyer_of(parcel))
    client.post(
        write_url(parcel),
        {
            "stars": "5",
            "body": "",
            "language": "en",
            "photos": [SimpleUploadedFile("fine.jpg", jpeg_bytes(), "image/jpeg")],
        },
    )
    photo = ReviewPhoto.objects.get()
    product = Product.objects.get(pk=parcel.lines.get().product_id)
    page = client.get(product_url(product)).content.decode()
    assert photo.image.url in page
    assert len(media_files()) == 1


def test_the_stars_are_a_radio_group_with_words(client) -> None:
    parcel = delivered_parcel()
    client.force_login(buyer_of(parcel))
    page = client.get(write_url(parcel)).content.decode()
    assert page.count('type="radio" name="stars"') == 5
    assert "<legend>Your rating</legend>" in page
    assert "5 stars: excellent" in page
    arabic = client.get(url("reviews:write", language="ar", line_id=parcel.lines.get().pk))
    assert 'dir="rtl"' in arabic.content.decode()
