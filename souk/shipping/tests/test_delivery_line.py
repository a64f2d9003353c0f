"""The delivery line of a product page: cost and dates to the visitor's country, the country
guessed and changed, the cases without a quote, the returns line (docs/shipping.md)."""

from __future__ import annotations

import datetime
import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.addresses import country_name
from souk.core.models import ExchangeRate
from souk.core.money import Money, format_money_for_language
from souk.orders.models import SavedAddress
from souk.orders.tests.factories import make_buyer
from souk.shipping.models import CarrierRate, FreeShippingThreshold

pytestmark = pytest.mark.django_db

# The factory's tagine: 1.8 kg, 30 x 30 x 25 cm, 450 MAD. Abroad its volume (4.5 kg) is
# charged, the 5 kg bracket; in Morocco Amana's divisor makes it 7.5 kg, the 10 kg bracket.
# The artisan has 72 hours (3 days) to accept: earliest = today + 1 + days_min, latest =
# today + 3 + days_max.
CHEAPEST = {
    "US": (82_000, 8, 15),  # Amana International, USA and Canada
    "FR": (58_000, 6, 12),  # Amana International, European Union
    "ES": (58_000, 6, 12),
    "MA": (9_000, 1, 3),  # Amana
}


def page(product: Product, language: str) -> str:
    with translation.override(language):
        return reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html_lib.unescape(body).split())


def expected_line(country: str, language: str) -> tuple[str, str, str, str]:
    price, days_min, days_max = CHEAPEST[country]
    today = timezone.localdate()
    with translation.override(language):
        earliest = dateformat.format(today + datetime.timedelta(days=1 + days_min), "j F")
        latest = dateformat.format(today + datetime.timedelta(days=3 + days_max), "j F")
        name = country_name(country, language=language)
    # text_of reads no-break spaces as spaces, as the visitor does.
    cost = " ".join(format_money_for_language(Money(price, "MAD"), language).split())
    return name, cost, earliest, latest


@pytest.mark.parametrize(
    ("language", "country", "sentence"),
    [
        ("en", "US", "Delivery to {}: {}, arrives between {} and {}."),
        ("fr", "FR", "Livraison vers {} : {}, arrivée entre le {} et le {}."),
        ("es", "ES", "Envío a {}: {}, llega entre el {} y el {}."),
        ("ar", "MA", "التوصيل إلى {}: {}، يصل بين {} و{}."),
    ],
)
def test_the_page_quotes_delivery_to_the_country_its_language_suggests(
    client: Client, language: str, country: str, sentence: str
) -> None:
    product = make_active_product()

    text = text_of(client.get(page(product, language)))

    assert sentence.format(*expected_line(country, language)) in text


def test_the_browsers_region_wins_over_the_language(client: Client) -> None:
    product = make_active_product()

    text = text_of(client.get(page(product, "fr"), HTTP_ACCEPT_LANGUAGE="fr-MA,fr;q=0.9"))

    assert (
        "Livraison vers {} : {}, arrivée entre le {} et le {}.".format(*expected_line("MA", "fr"))
        in text
    )


def test_a_signed_in_buyer_is_quoted_to_their_saved_address(client: Client) -> None:
    product = make_active_product()
    buyer = make_buyer()
    SavedAddress.objects.create(
        user=buyer,
        full_name="Ana",
        line1="Calle Mayor 1",
        city="Madrid",
        country="ES",
        phone="+34600000000",
    )
    client.force_login(buyer)

    text = text_of(client.get(page(product, "en")))

    assert (
        "Delivery to {}: {}, arrives between {} and {}.".format(*expected_line("ES", "en")) in text
    )


def test_changing_the_country_changes_the_quote_and_a_wrong_one_changes_nothing(
    client: Client,
) -> None:
    product = make_active_product()
    url = page(product, "en")
    with translation.override("en"):
        choose = reverse("shipping:delivery_country")

    chosen = client.post(choose, {"country": "FR", "next": url + "#delivery"})
    after = text_of(client.get(url))
    refused = client.post(choose, {"country": "XX", "next": url + "#delivery"}, follow=True)

    assert chosen.status_code == 302
    assert chosen["Location"] == url + "#delivery"
    assert (
        "Delivery to {}: {}, arrives between {} and {}.".format(*expected_line("FR", "en")) in after
    )
    assert "Choose a country from the list." in text_of(refused)
    assert "Delivery to France: MAD580.00" in text_of(refused)
    assert '<option value="FR" selected>France</option>' in client.get(url).content.decode()


def test_an_outside_address_to_go_back_to_is_not_followed(client: Client) -> None:
    with translation.override("en"):
        choose = reverse("shipping:delivery_country")

    response = client.post(choose, {"country": "FR", "next": "https://evil.example/"})

    assert response["Location"] == "/en/"


def test_a_destination_without_a_rate_says_so(client: Client) -> None:
    product = make_active_product()
    CarrierRate.objects.filter(zone="WORLD").delete()
    session = client.session
    session["delivery_country"] = "JP"
    session.save()

    text = text_of(client.get(page(product, "en")))

    assert "Not shipped to Japan: no carrier takes this piece there." in text
    assert "arrives between" not in text


def test_a_piece_without_weight_says_the_cost_comes_at_checkout(client: Client) -> None:
    product = make_active_product(weight_grams=None)

    text = text_of(client.get(page(product, "en")))

    assert (
        "Delivery to United States: priced at checkout, the artisan has not weighed this piece yet."
        in text
    )


def test_free_shipping_and_the_visitors_currency_lead(client: Client) -> None:
    product = make_active_product()
    ExchangeRate.objects.create(date=datetime.date(2026, 11, 27), currency="USD", mad_per_unit="10")
    session = client.session
    session["currency"] = "USD"
    session.save()

    text = text_of(client.get(page(product, "en")))
    FreeShippingThreshold.objects.create(shop=product.shop, zone="MA", threshold_amount=40_000)
    session = client.session
    session["delivery_country"] = "MA"
    session.save()
    free = text_of(client.get(page(product, "en")))

    assert (
        "Delivery to United States: ≈ $82.00 MAD820.00 charged, rate of 27 Nov 2026, arrives"
        in text
    )
    assert "Delivery to Morocco: free, arrives between" in free


def test_the_returns_line_links_the_returns_page(client: Client) -> None:
    product = make_active_product()

    response = client.get(page(product, "en"))

    assert "Returns within 14 days of delivery: the piece and its shipping refunded." in text_of(
        response
    )
    assert '<a href="/en/help/returns/">Returns and refunds</a>' in response.content.decode()
