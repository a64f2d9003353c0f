"""What a shipment's papers are filled from (the parcel, its sender, recipient and customs
lines, read once) and how they write weights, amounts, phones and countries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import phonenumbers
from django.utils import timezone, translation

from souk.core.addresses import PostalAddress, country_name
from souk.core.money import Money
from souk.fulfilment.models import Shipment
from souk.orders.models import Order, OrderLine, SubOrder
from souk.registry.models import RegisterEntry

# Country names (destination, origin) are printed in English, understood at every border.
COUNTRY_NAME_LANGUAGE: Final = "en"
ORIGIN_COUNTRY: Final = "MA"
# What the forms ask for where nothing is known: a line to fill in by hand.
BLANK: Final = "______________________"
SHORT_BLANK: Final = "________"


# --- What the documents are filled from ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sender:
    """The artisan, cooperative or company that ships: its shop and its register entry."""

    shop_name: str
    # As registered, in French (Latin script) and in Arabic; either may be empty.
    legal_name_fr: str
    legal_name_ar: str
    register_number: str
    ice: str
    # The workshop's street and postal code (empty for shops that never shipped).
    street: str
    postal_code: str
    city: str
    region: str
    phone: str

    @property
    def legal_names(self) -> str:
        return " — ".join(name for name in (self.legal_name_fr, self.legal_name_ar) if name)

    @property
    def signatory(self) -> str:
        return self.legal_name_fr or self.legal_name_ar or self.shop_name

    def place_lines(self) -> list[str]:
        morocco = country_name(ORIGIN_COUNTRY, language=COUNTRY_NAME_LANGUAGE)
        town = f"{self.postal_code} {self.city}".strip()
        return [line for line in (self.street, town, self.region, morocco) if line]


@dataclass(frozen=True, slots=True)
class _CustomsLine:
    description: str
    hs_code: str
    quantity: int
    # None when the listing has no weight: the line's box is left for the artisan to fill.
    net_weight_grams: int | None
    unit_price_amount: int
    amount: int


@dataclass(frozen=True, slots=True)
class _Parcel:
    shipment: Shipment
    sub_order: SubOrder
    order: Order
    sender: _Sender
    recipient: PostalAddress
    lines: tuple[_CustomsLine, ...]

    @property
    def currency(self) -> str:
        return self.order.currency

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.shipment.created_at)

    @property
    def total_net_weight_grams(self) -> int | None:
        """None when a line's weight is unknown: a partial sum would understate it."""
        weights = [line.net_weight_grams for line in self.lines]
        if any(weight is None for weight in weights):
            return None
        return sum(weight for weight in weights if weight is not None)

    @property
    def total_value_amount(self) -> int:
        return sum(line.amount for line in self.lines)

    def recipient_lines(self) -> list[str]:
        # PostalAddress names the country in the active language.
        with translation.override(COUNTRY_NAME_LANGUAGE):
            return self.recipient.lines()


def customs_description(line: OrderLine) -> str:
    """What customs read for a line: the English title, else the French one, else the title the
    order copied, with the listing's materials when they are known and not already named.

    Customs hold parcels described generically ("handicraft", "gift"); the material is what
    most often decides the HS subheading and the checks (wool carpet, earthenware for food)."""
    product = line.product
    title = product.title_en or product.title_fr or line.title
    # Named in English, the language of the title customs read first.
    materials = ", ".join(product.material_names("en")).strip()
    if materials and materials.casefold() not in title.casefold():
        return f"{title} ({materials})"
    return title


def _legal_names(entry: RegisterEntry) -> tuple[str, str]:
    if entry.is_person:
        french = f"{entry.first_name_fr} {entry.last_name_fr}".strip()
        arabic = f"{entry.first_name_ar} {entry.last_name_ar}".strip()
        return french, arabic
    return entry.legal_name_fr, entry.legal_name_ar


def _load(shipment: Shipment) -> _Parcel:
    sub_order = SubOrder.objects.select_related(
        "order", "shop__register_entry", "shop__region"
    ).get(pk=shipment.sub_order_id)
    order = sub_order.order
    shop = sub_order.shop
    entry = shop.register_entry
    legal_name_fr, legal_name_ar = _legal_names(entry)
    sender = _Sender(
        shop_name=shop.display_name,
        legal_name_fr=legal_name_fr,
        legal_name_ar=legal_name_ar,
        register_number=entry.register_number,
        ice=entry.ice,
        street=shop.workshop_address,
        postal_code=shop.workshop_postal_code,
        city=shop.workshop_city or entry.commune or entry.province,
        # Moroccan regions are written in French on Latin-script addresses.
        region=shop.region.name_fr,
        # The workshop's number first: the one the artisan gave for parcels.
        phone=shop.workshop_phone or entry.phone,
    )
    recipient = PostalAddress(
        full_name=order.ship_to_name,
        line1=order.ship_to_line1,
        line2=order.ship_to_line2,
        city=order.ship_to_city,
        region=order.ship_to_region,
        postal_code=order.ship_to_postal_code,
        country=order.ship_to_country,
        phone=order.ship_to_phone,
    )
    lines = tuple(
        _CustomsLine(
            description=customs_description(line),
            hs_code=line.hs_code,
            quantity=line.quantity,
            net_weight_grams=(
                None if line.weight_grams is None else line.weight_grams * line.quantity
            ),
            unit_price_amount=line.unit_price_amount,
            amount=line.line_amount,
        )
        for line in sub_order.lines.select_related("product").order_by("id")
    )
    return _Parcel(shipment, sub_order, order, sender, recipient, lines)


# --- Formatting -------------------------------------------------------------------------------


def _kilograms(grams: int) -> str:
    """1805 -> "1.81" (kilograms, two decimals, half up)."""
    return str((Decimal(grams) / 1000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _weight(grams: int | None, *, unit: str = " kg") -> str:
    """Kilograms with their unit, or a short line to fill in by hand when unknown."""
    return SHORT_BLANK if grams is None else f"{_kilograms(grams)}{unit}"


def _decimal_amount(amount: int, currency: str) -> str:
    """Minor units as a plain decimal: 45000 MAD centimes -> "450.00"."""
    return str(Money(amount, currency).to_decimal())


def _money(amount: int, currency: str) -> str:
    return f"{_decimal_amount(amount, currency)} {currency}"


def _phone(e164: str) -> str:
    """+16145550123 -> "+1 614-555-0123"; anything unparsable as stored."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _country_name(country: str) -> str:
    return country_name(country, language=COUNTRY_NAME_LANGUAGE)
