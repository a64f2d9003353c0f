"""Quotes: carriers by zone, volumetric weight, packing into parcels, limits, free shipping."""

from __future__ import annotations

import pytest

from souk.core.money import Money
from souk.shipping import quotes
from souk.shipping.models import Carrier, FreeShippingThreshold, ShippingZone
from souk.shipping.quotes import Piece
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db

TAGINE = Piece.of(weight_grams=1800, length_mm=300, width_mm=300, height_mm=250)


def offers(pieces: list[Piece], country: str, *, value: int = 100_000, shop_id: int = 0):
    return quotes.quote(
        pieces=pieces, country=country, shop_id=shop_id, works_value=Money(value, "MAD")
    )


def test_zones_of_the_destinations() -> None:
    assert quotes.zone_for_country("MA") == ShippingZone.MOROCCO
    assert quotes.zone_for_country("FR") == ShippingZone.EUROPEAN_UNION
    assert quotes.zone_for_country("ES") == ShippingZone.EUROPEAN_UNION
    assert quotes.zone_for_country("US") == ShippingZone.UNITED_STATES
    assert quotes.zone_for_country("CA") == ShippingZone.UNITED_STATES
    assert quotes.zone_for_country("JP") == ShippingZone.REST_OF_WORLD


def test_a_domestic_parcel_goes_by_amana_at_its_volumetric_weight() -> None:
    [option] = offers([TAGINE], "MA")

    assert option.carrier.code == "amana"
    # 30 x 30 x 25 cm = 22,500 cm3 / 3000 = 7.5 kg, more than its 1.8 kg: the 10 kg bracket.
    assert option.chargeable_weight_grams == 7500
    assert option.price == Money(9_000, "MAD")
    assert (option.days_min, option.days_max) == (1, 3)


def test_abroad_the_options_come_cheapest_first() -> None:
    options = offers([TAGINE], "US")

    assert [option.carrier.code for option in options] == ["amana-international", "ems"]
    # 22,500 cm3 / 5000 = 4.5 kg: the 5 kg bracket of each.
    assert [option.price.amount for option in options] == [82_000, 131_000]


def test_pieces_are_packed_until_the_box_would_be_too_large_around() -> None:
    carrier = Carrier.objects.get(code="amana-international")  # length + girth at most 2 m

    parcels = quotes.pack([TAGINE] * 12, carrier)

    # Three stacked tagines make a 75 x 30 x 30 cm box (1.95 m with its girth); a fourth
    # would make it 2.2 m: twelve travel as four boxes of three.
    assert parcels is not None
    assert [len(parcel.pieces) for parcel in parcels] == [3, 3, 3, 3]
    assert parcels[0].box_mm == (750, 300, 300)
    # 67,500 cm3 / 5000 = 13.5 kg chargeable for 5.4 kg of clay.
    assert parcels[0].chargeable_grams(carrier) == 13500


def test_pieces_are_packed_until_the_box_would_be_too_heavy() -> None:
    carrier = Carrier.objects.get(code="amana-international")  # 30 kg at most
    plate = Piece.of(weight_grams=5000, length_mm=300, width_mm=300, height_mm=20)

    parcels = quotes.pack([plate] * 10, carrier)

    assert parcels is not None
    # Six plates are 30 kg net, 33.25 kg packed: five to a box (25 kg, 27.75 kg packed).
    assert [parcel.weight_grams for parcel in parcels] == [25000, 25000]
    assert [parcel.gross_weight_grams for parcel in parcels] == [27750, 27750]
    [option] = [o for o in offers([plate] * 10, "ES") if o.carrier == carrier]
    # Two parcels priced separately, each in the 30 kg bracket to the EU.
    assert option.price == Money(215_000 + 215_000, "MAD")


def test_a_piece_too_long_for_every_international_carrier_cannot_go_abroad() -> None:
    beam = Piece.of(weight_grams=5000, length_mm=1600, width_mm=100, height_mm=100)

    assert offers([beam], "FR") == []
    assert offers([beam], "MA") == []  # Amana takes 1.5 m at most too
    shorter = Piece.of(weight_grams=5000, length_mm=1400, width_mm=100, height_mm=100)
    assert [option.carrier.code for option in offers([shorter], "MA")] == ["amana"]
    assert [option.carrier.code for option in offers([shorter], "FR")] == ["ems"]


def test_a_piece_over_every_weight_limit_is_refused() -> None:
    anvil = Piece.of(weight_grams=31000, length_mm=300, width_mm=300, height_mm=300)
    assert offers([anvil], "MA") == []
    assert offers([anvil], "US") == []


def test_a_country_a_carrier_excludes_gets_only_the_others() -> None:
    Carrier.objects.filter(code="ems").update(excluded_countries=["US"])
    assert [option.carrier.code for option in offers([TAGINE], "US")] == ["amana-international"]


def test_free_shipping_from_the_shops_threshold_in_that_zone() -> None:
    shop = make_approved_shop()
    FreeShippingThreshold.objects.create(shop=shop, zone="EU", threshold_amount=200_000)

    below = offers([TAGINE], "FR", value=199_999, shop_id=shop.pk)[0]
    above = offers([TAGINE], "FR", value=200_000, shop_id=shop.pk)[0]
    elsewhere = offers([TAGINE], "US", value=500_000, shop_id=shop.pk)[0]

    assert below.price == Money(58_000, "MAD")
    assert above.price == Money(0, "MAD")
    assert above.is_free
    assert above.cost == Money(58_000, "MAD")
    assert not elsewhere.is_free


def test_missing_dimensions_count_as_a_20_cm_kilo_box() -> None:
    piece = Piece.of(weight_grams=None, length_mm=None, width_mm=None, height_mm=None)
    assert piece == Piece(1000, 200, 200, 200)
