"""Reviews in the reader's language first; the average on cards without a query per card."""

from __future__ import annotations

import pytest

from souk.accounts.tests.factories import make_user
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.reviews.tests.factories import delivered_parcel, reviewed, url

pytestmark = pytest.mark.django_db


def product_url(product: Product, language: str) -> str:
    return url("catalog:detail", language=language, product_id=product.pk, slug=product.slug)


def test_reviews_in_the_readers_language_come_first_the_others_named(client) -> None:
    # given: an English review written first, then a French one
    product = make_active_product(stock_quantity=3)
    english = delivered_parcel(products=[(product, 1)])
    french = delivered_parcel(
        products=[(product, 1)], buyer=make_user(email="fr@example.com", full_name="Léa Martin")
    )
    reviewed(english, stars=4, body="Beautiful glaze", language="en")
    reviewed(french, stars=5, body="Très bel émail", language="fr")
    # when
    in_english = client.get(product_url(product, "en")).content.decode()
    in_french = client.get(product_url(product, "fr")).content.decode()
    # then: each reader's own first; the other one under its language's name
    assert in_english.index("Beautiful glaze") < in_english.index("Très bel émail")
    assert "Written in French" in in_english
    assert in_french.index("Très bel émail") < in_french.index("Beautiful glaze")
    assert "Écrit en anglais" in in_french
    assert 'lang="fr"' in in_english


def test_cards_show_the_average_with_no_query_per_card(
    client, django_assert_max_num_queries
) -> None:
    # given: the home page's new works, one reviewed
    parcel = delivered_parcel()
    reviewed(parcel, stars=4)
    for _ in range(3):
        make_active_product(shop=parcel.shop)
    client.get(url("web:home"))
    # when
    with django_assert_max_num_queries(40) as one_rated:
        page = client.get(url("web:home")).content.decode()
    # then
    assert "4.0 out of 5 · 1 review" in page
    # and: more rated cards cost no more queries
    for _ in range(3):
        make_active_product(shop=parcel.shop)
    Product.objects.update(rating_count=2, rating_stars=9)
    with django_assert_max_num_queries(len(one_rated.captured_queries)):
        page = client.get(url("web:home")).content.decode()
    assert page.count("4.5 out of 5 · 2 reviews") >= 4
