"""Use cases of shipping rates: load a carrier's rate card, set a shop's free shipping."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.core.errors import DomainError
from souk.core.money import Money
from souk.shipping.models import Carrier, CarrierRate, FreeShippingThreshold
from souk.shops import selectors as shops
from souk.shops.models import Shop

CURRENCY = "MAD"


class ShippingError(DomainError):
    code = "shipping_error"


class RateCardRefused(ShippingError):
    code = "rate_card_refused"
    message = _(
        "This is not a rate card: it needs the columns carrier, zone, max_weight_grams, "
        "price, days_min, days_max."
    )


RATE_CARD_COLUMNS = ("carrier", "zone", "max_weight_grams", "price", "days_min", "days_max")


def import_rate_card(*, path: Path) -> int:
    """Replace the rates of each (carrier, zone) present in the file, all or nothing.

    Columns: carrier (code of an existing carrier), zone (MA, EU, US, WORLD), max_weight_grams,
    price (MAD, decimal point), days_min, days_max. Raises RateCardRefused naming the first bad
    line; nothing is written then."""
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
    if not set(RATE_CARD_COLUMNS) <= set(reader.fieldnames or []):
        raise RateCardRefused()
    carriers = {carrier.code: carrier for carrier in Carrier.objects.all()}
    rates: list[CarrierRate] = []
    for number, row in enumerate(reader, start=2):
        try:
            carrier = carriers[row["carrier"].strip()]
            zone = row["zone"].strip().upper()
            if zone not in dict(CarrierRate._meta.get_field("zone").choices or []):
                raise ValueError(zone)
            price = Money.from_decimal(Decimal(row["price"].strip()), CURRENCY)
            rate = CarrierRate(
                carrier=carrier,
                zone=zone,
                max_weight_grams=int(row["max_weight_grams"]),
                price_amount=price.amount,
                days_min=int(row["days_min"]),
                days_max=int(row["days_max"]),
            )
        except (KeyError, ValueError, InvalidOperation) as error:
            raise RateCardRefused(
                _("Line %(line)d of the rate card is not valid.") % {"line": number},
                detail={"line": number},
            ) from error
        if rate.max_weight_grams <= 0 or rate.price_amount < 0 or rate.days_max < rate.days_min:
            raise RateCardRefused(
                _("Line %(line)d of the rate card is not valid.") % {"line": number},
                detail={"line": number},
            )
        rates.append(rate)
    with transaction.atomic():
        for carrier_id, zone in {(rate.carrier_id, rate.zone) for rate in rates}:
            CarrierRate.objects.filter(carrier_id=carrier_id, zone=zone).delete()
        CarrierRate.objects.bulk_create(rates)
    return len(rates)


def set_free_shipping(*, shop: Shop, actor: User, thresholds: Mapping[str, Money | None]) -> None:
    """The shop's free-shipping threshold per zone (None removes it); managers only."""
    if not shops.is_manager(shop=shop, user=actor):
        raise NotShopManager()
    with transaction.atomic():
        for zone, threshold in thresholds.items():
            if threshold is None or not threshold.is_positive():
                FreeShippingThreshold.objects.filter(shop=shop, zone=zone).delete()
                continue
            FreeShippingThreshold.objects.update_or_create(
                shop=shop, zone=zone, defaults={"threshold_amount": threshold.amount}
            )


class NotShopManager(ShippingError):
    code = "not_shop_manager"
    http_status = 403
    message = _("Only the shop's managers can change its shipping.")
