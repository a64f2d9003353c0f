"""The artisan's one answer, reports by signed-in users, and moderators hiding and restoring."""

from __future__ import annotations

import pytest

from souk.accounts.tests.factories import make_user
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.models import AuditEntry
from souk.reviews import errors, services
from souk.reviews.models import ReviewAnswer, ReviewReport, ReviewStatus
from souk.reviews.tests.factories import buyer_of, delivered_parcel, reviewed, url
from souk.shops.models import Shop
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db


def product_url(product: Product, language: str = "en") -> str:
    return url("catalog:detail", language=language, product_id=product.pk, slug=product.slug)


def test_the_artisan_answers_once_and_the_answer_is_shown(
    client, django_capture_on_commit_callbacks
) -> None:
    # given: a review of the artisan's piece, its product page seen (and kept) once
    parcel = delivered_parcel()
    with django_capture_on_commit_callbacks(execute=True):
        review = reviewed(parcel, stars=5, body="Magnifique")
    assert "Magnifique" in client.get(product_url(review.product)).content.decode()
    artisan = owner_of(parcel.shop)
    client.force_login(artisan)
    sales_page = client.get(url("orders:artisan_detail", reference=parcel.reference))
    assert "Magnifique" in sales_page.content.decode()
    assert "Answer" in sales_page.content.decode()
    # when: answered, then answered again
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            url("reviews:answer", review_id=review.pk), {"body": "Merci beaucoup !"}
        )
    second = client.post(url("reviews:answer", review_id=review.pk), {"body": "Encore merci"})
    # then
    assert first.status_code == 302
    assert second.status_code == 409
    assert "The shop has already answered this review." in second.content.decode()
    assert list(ReviewAnswer.objects.values_list("body", flat=True)) == ["Merci beaucoup !"]
    page = client.get(product_url(review.product)).content.decode()
    assert "Merci beaucoup !" in page
    assert "Encore merci" not in page


def test_another_artisan_cannot_answer(client) -> None:
    # given: a review, and the owner of another shop
    parcel = delivered_parcel()
    review = reviewed(parcel)
    other = owner_of(make_active_product().shop)
    client.force_login(other)
    # when
    response = client.post(url("reviews:answer", review_id=review.pk), {"body": "Ha"})
    # then
    assert response.status_code == 403
    assert ReviewAnswer.objects.count() == 0
    with pytest.raises(errors.NotTheShop):
        services.answer_review(review_id=review.pk, user=buyer_of(parcel), body="Me")


def test_a_hidden_review_is_neither_shown_nor_counted_until_restored(
    client, django_capture_on_commit_callbacks
) -> None:
    # given: two reviews of one piece (two buyers), 5 and 1 stars
    product = make_active_product(stock_quantity=3)
    first = delivered_parcel(products=[(product, 1)])
    second = delivered_parcel(
        products=[(product, 1)], buyer=make_user(email="b2@example.com", full_name="Omar Idrissi")
    )
    reviewed(first, stars=5, body="Parfait")
    low = reviewed(second, stars=1, body="Insultes")
    product.refresh_from_db()
    assert (product.rating_count, product.rating_stars) == (2, 6)
    assert "Insultes" in client.get(product_url(product)).content.decode()
    moderator = make_moderator()
    client.force_login(moderator)
    # when: hidden without a reason, then with one
    refused = client.post(url("reviews:moderate", review_id=low.pk), {"action": "hide"})
    with django_capture_on_commit_callbacks(execute=True):
        hidden = client.post(
            url("reviews:moderate", review_id=low.pk), {"action": "hide", "reason": "Insults"}
        )
    # then: not shown, not counted; the shop's figure too; audited with the reason
    assert refused.status_code == 400
    assert hidden.status_code == 302
    low.refresh_from_db()
    assert low.status == ReviewStatus.HIDDEN
    product.refresh_from_db()
    assert (product.rating_count, product.rating_stars) == (1, 5)
    shop = Shop.objects.get(pk=product.shop_id)
    assert (shop.rating_count, shop.rating_stars) == (1, 5)
    page = client.get(product_url(product)).content.decode()
    assert "Insultes" not in page
    assert "5.0 out of 5 · 1 review" in page
    entry = AuditEntry.objects.get(action="review.hidden", target_id=str(low.pk))
    assert (entry.actor_id, entry.reason) == (moderator.pk, "Insults")
    # when: restored
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("reviews:moderate", review_id=low.pk), {"action": "restore", "reason": "Appeal"}
        )
    # then
    product.refresh_from_db()
    assert (product.rating_count, product.rating_stars) == (2, 6)
    assert "3.0 out of 5 · 2 reviews" in client.get(product_url(product)).content.decode()
    assert AuditEntry.objects.filter(action="review.restored", reason="Appeal").count() == 1


def test_only_moderators_hide(client) -> None:
    parcel = delivered_parcel()
    review = reviewed(parcel)
    client.force_login(owner_of(parcel.shop))
    response = client.post(
        url("reviews:moderate", review_id=review.pk), {"action": "hide", "reason": "I dislike it"}
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.VISIBLE


def test_a_user_reports_a_review_once_and_it_reaches_the_queue(client) -> None:
    # given
    parcel = delivered_parcel()
    review = reviewed(parcel, body="Appelez-moi au 0612345678")
    reader = make_user(email="reader@example.com")
    client.force_login(reader)
    # when: reported twice
    first = client.post(url("reviews:report", review_id=review.pk), {"reason": "personal"})
    second = client.post(url("reviews:report", review_id=review.pk), {"reason": "spam"})
    # then: one report; the second said so
    assert first.status_code == 302
    assert second.status_code == 409
    assert "You have already reported this review." in second.content.decode()
    assert list(ReviewReport.objects.values_list("reason", flat=True)) == ["personal"]
    # and the moderators see it, and keeping it closes the report
    client.force_login(make_moderator())
    queue = client.get(url("reviews:moderation_queue")).content.decode()
    assert "Appelez-moi" in queue
    assert "1 open report" in queue
    client.post(url("reviews:moderate", review_id=review.pk), {"action": "keep", "reason": "ok"})
    assert "Appelez-moi" not in client.get(url("reviews:moderation_queue")).content.decode()


def test_the_writer_cannot_report_their_own_review_and_guests_are_sent_to_log_in(client) -> None:
    parcel = delivered_parcel()
    review = reviewed(parcel)
    guest = client.post(url("reviews:report", review_id=review.pk), {"reason": "spam"})
    assert guest.status_code == 302
    assert "login" in guest["Location"]
    with pytest.raises(errors.OwnReview):
        services.report_review(review_id=review.pk, reporter=buyer_of(parcel), reason="spam")
    assert ReviewReport.objects.count() == 0
