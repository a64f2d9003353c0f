"""Quotes: pack a sub-order's pieces into parcels a carrier accepts, and price them.

Packing, per carrier: every piece must fit that carrier's limits on its own (weight, longest
side, length + girth), else the carrier cannot take the sub-order. Pieces are then placed
heaviest first into the first parcel where they still fit (first-fit decreasing). A parcel's
box is taken as the longest and widest of its pieces, with their heights stacked; its chargeable
weight is the larger of its real weight and its volumetric weight (cm³ / the carrier's divisor,
in kg). Each parcel is priced by the rate bracket of its chargeable weight for the zone.

Weights are gross, as the carrier weighs the box: the pieces' net weight plus packaging
(packaging_grams), the rule the shipment's boxes and papers use (souk/fulfilment), so the price
quoted at checkout is the price of the box that leaves.

A listing without weight or dimensions counts as DEFAULT_WEIGHT_GRAMS and DEFAULT_SIDE_MM
(said on the listing form): shipping is never quoted as free by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from souk.core.addresses import EU_COUNTRIES
from souk.core.errors import DomainError
from souk.core.money import Money, sum_money
from souk.core.prepared import PreparedQuery
from souk.shipping.models import Carrier, CarrierRate, FreeShippingThreshold, ShippingZone

CURRENCY = "MAD"
DEFAULT_WEIGHT_GRAMS = 1000
DEFAULT_SIDE_MM = 200
# Packaging added to the pieces' net weight for a box's gross weight (packaging_grams).
PACKAGING_BASE_GRAMS = 250
PACKAGING_SHARE_DIVISOR = 10


def packaging_grams(net_grams: int) -> int:
    """The box and padding around `net_grams` of pieces: 250 g, plus a tenth of the pieces'
    weight (heavy pottery travels in more padding), rounded up to the gram."""
    return PACKAGING_BASE_GRAMS + -(-net_grams // PACKAGING_SHARE_DIVISOR)


class NoCarrier(DomainError):
    code = "no_carrier"
    http_status = 409
    message = _(
        "No carrier can take this parcel to this country: a piece is too heavy or too large."
    )


def zone_for_country(country: str) -> ShippingZone:
    if country == "MA":
        return ShippingZone.MOROCCO
    if country in EU_COUNTRIES:
        return ShippingZone.EUROPEAN_UNION
    if country in ("US", "CA"):
        return ShippingZone.UNITED_STATES
    return ShippingZone.REST_OF_WORLD


@dataclass(frozen=True, slots=True)
class Piece:
    """One unit of a work as it will travel."""

    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int

    @classmethod
    def of(
        cls,
        *,
        weight_grams: int | None,
        length_mm: int | None,
        width_mm: int | None,
        height_mm: int | None,
    ) -> Piece:
        sides = sorted(
            (side or DEFAULT_SIDE_MM for side in (length_mm, width_mm, height_mm)), reverse=True
        )
        return cls(weight_grams or DEFAULT_WEIGHT_GRAMS, sides[0], sides[1], sides[2])

    def fits(self, carrier: Carrier) -> bool:
        """Whether the piece alone, packed, is within the carrier's limits."""
        return (
            self.weight_grams + packaging_grams(self.weight_grams) <= carrier.max_weight_grams
            and self.length_mm <= carrier.max_length_mm
            and _girth(self.length_mm, self.width_mm, self.height_mm) <= carrier.max_girth_mm
        )


def _girth(length: int, width: int, height: int) -> int:
    return length + 2 * width + 2 * height


@dataclass(slots=True)
class PackedParcel:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def weight_grams(self) -> int:
        """The pieces' net weight."""
        return sum(piece.weight_grams for piece in self.pieces)

    @property
    def gross_weight_grams(self) -> int:
        """The box as the carrier weighs it: the pieces and their packaging."""
        net = self.weight_grams
        return net + packaging_grams(net)

    @property
    def box_mm(self) -> tuple[int, int, int]:
        length = max(piece.length_mm for piece in self.pieces)
        width = max(piece.width_mm for piece in self.pieces)
        height = sum(piece.height_mm for piece in self.pieces)
        return tuple(sorted((length, width, height), reverse=True))  # type: ignore[return-value]  # three sides

    def with_piece(self, piece: Piece) -> PackedParcel:
        return PackedParcel([*self.pieces, piece])

    def fits(self, carrier: Carrier) -> bool:
        length, width, height = self.box_mm
        return (
            self.gross_weight_grams <= carrier.max_weight_grams
            and length <= carrier.max_length_mm
            and _girth(length, width, height) <= carrier.max_girth_mm
        )

    def chargeable_grams(self, carrier: Carrier) -> int:
        length, width, height = self.box_mm
        volume_cm3 = length * width * height / 1000
        volumetric_grams = int(volume_cm3 * 1000 / carrier.volumetric_divisor)
        return max(self.gross_weight_grams, volumetric_grams)


def pack(pieces: Sequence[Piece], carrier: Carrier) -> list[PackedParcel] | None:
    """The pieces in as few parcels as first-fit decreasing finds; None if one cannot travel."""
    if not all(piece.fits(carrier) for piece in pieces):
        return None
    parcels: list[PackedParcel] = []
    for piece in sorted(pieces, key=lambda p: (p.weight_grams, p.length_mm), reverse=True):
        for index, parcel in enumerate(parcels):
            grown = parcel.with_piece(piece)
            if grown.fits(carrier):
                parcels[index] = grown
                break
        else:
            parcels.append(PackedParcel([piece]))
    return parcels


@dataclass(frozen=True, slots=True)
class ShippingOption:
    carrier: Carrier
    zone: ShippingZone
    parcels: list[PackedParcel]
    # What the carrier charges, and what the buyer pays (0 over the shop's free threshold).
    cost: Money
    price: Money
    days_min: int
    days_max: int

    @property
    def is_free(self) -> bool:
        return self.price.is_zero() and self.cost.is_positive()

    @property
    def weight_grams(self) -> int:
        return sum(parcel.weight_grams for parcel in self.parcels)

    @property
    def chargeable_weight_grams(self) -> int:
        return sum(parcel.chargeable_grams(self.carrier) for parcel in self.parcels)


def _price(
    parcels: list[PackedParcel], carrier: Carrier, rates: Sequence[CarrierRate]
) -> tuple[Money, int, int] | None:
    total = []
    days_min = days_max = 0
    for parcel in parcels:
        weight = parcel.chargeable_grams(carrier)
        bracket = next((rate for rate in rates if rate.max_weight_grams >= weight), None)
        if bracket is None:
            return None
        total.append(Money(bracket.price_amount, CURRENCY))
        days_min, days_max = max(days_min, bracket.days_min), max(days_max, bracket.days_max)
    return sum_money(total, CURRENCY), days_min, days_max


# The active carriers of a zone by name, each with its rate brackets by weight.
RateCard = tuple[tuple[Carrier, tuple[CarrierRate, ...]], ...]


def get_rate_card(zone: str) -> RateCard:
    """The zone's rate card as quote reads it (one query)."""
    rates_by_carrier: dict[int, list[CarrierRate]] = {}
    carriers: dict[int, Carrier] = {}
    for rate in (
        CarrierRate.objects.filter(zone=zone, carrier__is_active=True)
        .select_related("carrier")
        .order_by("carrier_id", "max_weight_grams")
    ):
        rates_by_carrier.setdefault(rate.carrier_id, []).append(rate)
        carriers.setdefault(rate.carrier_id, rate.carrier)
    return tuple(
        (carrier, tuple(rates_by_carrier[carrier.pk]))
        for carrier in sorted(carriers.values(), key=lambda carrier: carrier.name)
    )


def _threshold_query(zone: str) -> PreparedQuery[FreeShippingThreshold]:
    return PreparedQuery[FreeShippingThreshold](
        lambda shop_id: FreeShippingThreshold.objects.filter(shop_id=shop_id, zone=zone).only(
            "threshold_amount"
        )
    )


# A shop's free-shipping threshold for a zone (one at most), read with every quote, the product
# page's delivery line included: its query compiled once per process (souk.core.prepared).
_THRESHOLDS = {zone: _threshold_query(zone) for zone in ShippingZone}


def quote(
    *,
    pieces: Sequence[Piece],
    country: str,
    shop_id: int,
    works_value: Money,
    rate_card: RateCard | None = None,
) -> list[ShippingOption]:
    """Every carrier's offer for these pieces to `country`, cheapest first (may be empty).

    `rate_card`: the zone's, when the caller holds one (the product page keeps it a while);
    read afresh otherwise, as checkout does."""
    zone = zone_for_country(country)
    found = _THRESHOLDS[zone].list(shop_id)
    threshold = found[0].threshold_amount if found else None
    is_free = threshold is not None and works_value.amount >= threshold
    options = []
    for carrier, rates in get_rate_card(zone) if rate_card is None else rate_card:
        if country in carrier.excluded_countries:
            continue
        parcels = pack(pieces, carrier)
        if parcels is None:
            continue
        priced = _price(parcels, carrier, rates)
        if priced is None:
            continue
        cost, days_min, days_max = priced
        options.append(
            ShippingOption(
                carrier=carrier,
                zone=zone,
                parcels=parcels,
                cost=cost,
                price=Money.zero(CURRENCY) if is_free else cost,
                days_min=days_min,
                days_max=days_max,
            )
        )
    # Cheapest for the buyer, then for the shop (who pays when shipping is free), then fastest.
    return sorted(
        options, key=lambda option: (option.price.amount, option.cost.amount, option.days_max)
    )
