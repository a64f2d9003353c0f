"""Issue #17: the moderator sees a shop in review and the pieces it sent, and decides on both
from the shop's review page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from souk.catalog import services as catalog
from souk.catalog.models import Product, ProductStatus
from souk.catalog.tests.factories import make_draft_product
from souk.shops import services
from souk.shops.models import Shop, ShopStatus
from souk.shops.tests.factories import make_claimed_shop, make_moderator, owner_of

pytestmark = pytest.mark.django_db


def shop_in_review_with_a_first_piece() -> tuple[Shop, Product]:
    """What the artisan's path leaves: the claimed shop in review and one piece sent."""
    shop = make_claimed_shop()
    owner = owner_of(shop)
    shop = services.send_claimed_shop_for_review(shop=shop, actor=owner)
    product = make_draft_product(shop=shop, title_fr="Tajine de Safi", price_amount=45_000)
    product = catalog.submit_product(product=product, actor=owner)
    return shop, product


def review_url(shop: Shop) -> str:
    return f"/en/shops/moderation/{shop.pk}/"


def decide_url(product: Product) -> str:
    return f"/en/products/moderation/{product.pk}/decide/"


def test_the_shops_review_page_shows_its_waiting_piece_and_approves_it_there(client):
    # given
    shop, product = shop_in_review_with_a_first_piece()
    assert (shop.status, product.status) == (ShopStatus.PENDING_REVIEW, "pending_review")
    client.force_login(make_moderator())

    # when: the moderator opens the shop's review page
    page = client.get(review_url(shop)).content.decode()

    # then: the piece is there, with its price and the listing's decisions
    assert "Pieces waiting for review" in page
    assert "Tajine de Safi" in page
    assert "450" in page
    assert f'action="{decide_url(product)}"' in page
    assert f'name="next" value="{review_url(shop)}"' in page
    assert 'name="action" value="approve"' in page

    # when: the piece is approved from that page
    response = client.post(
        decide_url(product), {"action": "approve", "reason": "", "next": review_url(shop)}
    )

    # then: back on the shop's page, the piece is approved and no longer waits there
    assert response.status_code == 302
    assert response["Location"] == review_url(shop)
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    page = client.get(review_url(shop)).content.decode()
    assert "Pieces waiting for review" not in page

    # when: the shop is approved on the same page
    response = client.post(review_url(shop), {"action": "approve", "reason": ""})

    # then: both are approved, and buyers see the piece
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == ShopStatus.APPROVED
    client.logout()
    public = reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})
    assert client.get(public).status_code == 200


def test_another_shops_pieces_are_not_shown(client):
    # given
    shop, _product = shop_in_review_with_a_first_piece()
    _other_shop, other = shop_in_review_with_a_first_piece()
    Product.objects.filter(pk=other.pk).update(title_fr="Babouches de Fès")
    client.force_login(make_moderator())

    # when
    page = client.get(review_url(shop)).content.decode()

    # then
    assert "Tajine de Safi" in page
    assert "Babouches de Fès" not in page


def test_a_decision_never_sends_the_moderator_to_another_site(client):
    # given
    _shop, product = shop_in_review_with_a_first_piece()
    client.force_login(make_moderator())

    # when
    response = client.post(
        decide_url(product), {"action": "approve", "next": "https://evil.example/"}
    )

    # then: back to the listing queue, the decision recorded
    assert response["Location"] == "/en/products/moderation/?status=pending_review"
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
