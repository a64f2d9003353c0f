"""What buyers and artisans see of shipping: options and duties at checkout, free shipping,
the listing's reach; the rate card staff load."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from souk.catalog.tests.factories import make_active_product
from souk.orders import services as orders
from souk.orders.tests.factories import make_buyer
from souk.shipping.models import Carrier, CarrierRate, FreeShippingThreshold
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db


def checkout_fields(client, country: str, **extra: str) -> str:
    with translation.override("en"):
        url = reverse("orders:address_fields")
    return str(client.post(url, {"country": country, **extra}).content.decode())


def test_checkout_to_france_offers_carriers_and_estimates_duty_and_vat(client) -> None:
    product = make_active_product(price_amount=100_000)
    buyer = make_buyer()
    orders.add_to_cart(
        cart=orders.get_or_create_cart(user=buyer, cart_id=None), product_id=product.pk
    )
    client.force_login(buyer)

    html = checkout_fields(client, "FR")

    assert "Amana International" in html
    assert "EMS Chronopost International" in html
    # No duty on Moroccan goods; 20% VAT on works + shipping: (1000 + 580) x 20% = 316 MAD.
    assert "Estimated import duty and taxes: MAD316.00" in html
    assert "carrier asks the recipient to pay them on delivery (DAP)" in html
    assert "IOSS" in html


def test_choosing_the_express_carrier_changes_the_total(client) -> None:
    product = make_active_product(price_amount=100_000)
    buyer = make_buyer()
    orders.add_to_cart(
        cart=orders.get_or_create_cart(user=buyer, cart_id=None), product_id=product.pk
    )
    client.force_login(buyer)

    html = checkout_fields(client, "US", **{f"carrier_{product.shop_id}": "ems"})

    # 1,000 MAD of works + EMS 5 kg to the USA (1,310 MAD).
    assert "MAD2,310.00" in html


def test_the_us_estimate_applies_the_duty_rate(client) -> None:
    product = make_active_product(price_amount=100_000)
    buyer = make_buyer()
    orders.add_to_cart(
        cart=orders.get_or_create_cart(user=buyer, cart_id=None), product_id=product.pk
    )
    client.force_login(buyer)

    html = checkout_fields(client, "US")

    assert "duty MAD100.00" in html


def test_a_listing_too_large_for_international_carriers_says_so(client) -> None:
    Carrier.objects.filter(code="ems").update(max_length_mm=1000)
    # 1.2 m: Amana takes up to 1.5 m in Morocco; abroad, 1.05 m and (now) 1 m.
    door = make_active_product(length_mm=1200, width_mm=100, height_mm=100, weight_grams=9000)

    html = client.get(f"/en/products/{door.pk}-{door.slug}/").content.decode()

    assert "<dt>Ships to</dt><dd>Morocco</dd>" in html
    assert "European Union · USA and Canada · Rest of the world" in html
    assert "too heavy or too large for the carriers serving it" in html


def test_an_artisan_sets_free_shipping_for_a_zone(client) -> None:
    shop = make_approved_shop()
    client.force_login(owner_of(shop))
    url = f"/en/shipping/shop/{shop.pk}/free-shipping/"

    response = client.post(url, {"EU": "1500.00", "MA": "", "US": "", "WORLD": ""})

    assert response.status_code == 302
    threshold = FreeShippingThreshold.objects.get(shop=shop)
    assert (threshold.zone, threshold.threshold_amount) == ("EU", 150_000)
    client.force_login(owner_of(make_approved_shop()))
    assert client.get(url).status_code == 404


def test_a_rate_card_replaces_the_zones_it_names(tmp_path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(
        "carrier,zone,max_weight_grams,price,days_min,days_max\n"
        "amana,MA,2000,29.50,1,2\n"
        "amana,MA,30000,150.00,2,4\n",
        encoding="utf-8",
    )

    call_command("import_rate_card", str(path))

    rates = CarrierRate.objects.filter(carrier__code="amana", zone="MA").order_by(
        "max_weight_grams"
    )
    assert [(r.max_weight_grams, r.price_amount) for r in rates] == [(2000, 2950), (30000, 15000)]
    assert CarrierRate.objects.filter(carrier__code="ems").exists()  # other carriers untouched


def test_a_bad_rate_card_changes_nothing(tmp_path) -> None:
    before = CarrierRate.objects.count()
    path = tmp_path / "rates.csv"
    path.write_text(
        "carrier,zone,max_weight_grams,price,days_min,days_max\n"
        "amana,MA,2000,29.50,1,2\n"
        "amana,MARS,3000,40,1,2\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="Line 3"):
        call_command("import_rate_card", str(path))

    assert CarrierRate.objects.count() == before


def test_checkout_prices_the_packed_weight_the_carrier_weighs(client) -> None:
    # 1.8 kg of pottery is 2.23 kg packed (250 g + a tenth): the 5 kg bracket, not the 2 kg one,
    # as the box's label will say (docs/shipping.md, "Weights").
    product = make_active_product(
        price_amount=100_000, weight_grams=1800, length_mm=200, width_mm=150, height_mm=100
    )
    buyer = make_buyer()
    orders.add_to_cart(
        cart=orders.get_or_create_cart(user=buyer, cart_id=None), product_id=product.pk
    )
    client.force_login(buyer)

    html = checkout_fields(client, "FR")

    assert "Amana International — MAD580.00" in html
    assert "<dt>Shipping</dt><dd>MAD580.00</dd>" in html
    assert "<dt>Total charged</dt><dd><strong>MAD1,580.00</strong></dd>" in html
