"""The "ships to" filter: a listing ships to a country when some carrier can take one piece of
it to the country's zone. Runs on the backend of the test database (SQLite, or PostgreSQL when
DATABASE_URL names one)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.search import tasks
from souk.search.backends import get_backend
from souk.search.backends.base import SearchFilters
from souk.search.models import SearchDocument
from souk.shipping.models import Carrier
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def door_and_bowl() -> tuple[Product, Product]:
    """A 1.2 m door, which only Amana takes (1.5 m, Morocco only) once EMS is limited to 1 m
    (Amana International: 1.05 m), and a bowl every carrier takes."""
    Carrier.objects.filter(code="ems").update(max_length_mm=1000)
    shop = make_approved_shop()
    door = make_active_product(
        shop=shop,
        title_fr="Porte sculptée",
        length_mm=1200,
        width_mm=100,
        height_mm=100,
        weight_grams=9000,
    )
    bowl = make_active_product(shop=shop, title_fr="Bol sculpté")
    tasks.index_products.call([door.pk, bowl.pk])
    return door, bowl


def _ids(zone: str) -> set[int]:
    return set(get_backend().search("", SearchFilters(ships_to_zone=zone), 100, None).product_ids)


def test_the_document_says_which_zones_a_listing_ships_to(door_and_bowl):
    door, bowl = door_and_bowl

    zones_of = {
        document.pk: (
            document.ships_to_ma,
            document.ships_to_eu,
            document.ships_to_us,
            document.ships_to_world,
        )
        for document in SearchDocument.objects.all()
    }

    assert zones_of == {door.pk: (True, False, False, False), bowl.pk: (True, True, True, True)}


def test_a_listing_too_long_for_international_carriers_ships_to_morocco_only(door_and_bowl):
    door, bowl = door_and_bowl

    assert _ids("MA") == {door.pk, bowl.pk}
    assert _ids("EU") == {bowl.pk}
    assert _ids("US") == {bowl.pk}
    assert _ids("WORLD") == {bowl.pk}
    assert _ids("") == {door.pk, bowl.pk}


@pytest.mark.parametrize(
    ("country", "finds_the_door"),
    [("MA", True), ("FR", False), ("ES", False), ("US", False), ("JP", False)],
)
def test_the_search_page_filters_by_the_country_shipped_to(
    client, door_and_bowl, country, finds_the_door
):
    # given
    door, bowl = door_and_bowl
    with translation.override("fr"):
        address = reverse("search:search")

    # when
    html = client.get(address, {"q": "sculpte", "ships_to": country}).content.decode()

    # then
    assert (f"/fr/products/{door.pk}-" in html) is finds_the_door
    assert f"/fr/products/{bowl.pk}-" in html
    assert f'<option value="{country}" selected>' in html


def test_the_ships_to_select_offers_the_likely_countries_first(client):
    with translation.override("fr"):
        address = reverse("search:search")

    html = client.get(address).content.decode()

    start = html.index('name="ships_to"')
    options = html[start : html.index("</select>", start)]
    codes = [part.split('"')[0] for part in options.split('<option value="')[1:]]
    assert codes[:5] == ["", "MA", "FR", "ES", "US"]
    assert "JP" in codes
    assert '<label for="id_ships_to">' in html


def test_an_unknown_country_does_not_filter(client, door_and_bowl):
    door, bowl = door_and_bowl
    with translation.override("fr"):
        address = reverse("search:search")

    html = client.get(address, {"q": "sculpte", "ships_to": "XX"}).content.decode()

    assert f"/fr/products/{door.pk}-" in html
    assert f"/fr/products/{bowl.pk}-" in html
