"""Exchange rates: import the central bank's reference rates, convert MAD prices for display.

Prices are set in MAD. A price shown in EUR or USD is an indicative conversion at the latest
reference rate on or before the day, rounded half-up to the cent; the rate and its date are
returned with the amount so pages can say which rate was used and orders can snapshot it.
File format: ../shared/reference/formats.md (`date,currency,rate`).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from babel.numbers import get_currency_precision
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError
from souk.core.models import ExchangeRate
from souk.core.money import Money

BASE_CURRENCY = "MAD"


class RateUnavailable(DomainError):
    code = "rate_unavailable"
    http_status = 503
    message = _("No exchange rate is known for this currency yet.")


class RateFileRefused(DomainError):
    code = "rate_file_refused"
    message = _("This is not an exchange-rate file: it needs the columns date, currency, rate.")


@dataclass(frozen=True, slots=True)
class Conversion:
    amount: Money
    mad_per_unit: Decimal
    rate_date: datetime.date


@dataclass(frozen=True, slots=True)
class RejectedRate:
    line: int
    reason: str | Promise


@dataclass(frozen=True, slots=True)
class RateImport:
    imported: int
    dates: list[datetime.date]
    rejected: list[RejectedRate]


def get_rate(*, currency: str, on: datetime.date | None = None) -> ExchangeRate:
    """The latest rate of `currency` on or before `on` (today by default)."""
    day = on or timezone.localdate()
    rate = ExchangeRate.objects.filter(currency=currency, date__lte=day).order_by("-date").first()
    if rate is None:
        raise RateUnavailable(detail={"currency": currency, "on": day.isoformat()})
    return rate


def convert_from_mad(price: Money, *, currency: str, on: datetime.date | None = None) -> Conversion:
    """`price` (MAD) in `currency` at the reference rate, rounded half-up to its minor unit."""
    if price.currency != BASE_CURRENCY:
        raise ValueError("Prices are converted from MAD only.")
    if currency == BASE_CURRENCY:
        return Conversion(
            amount=price, mad_per_unit=Decimal(1), rate_date=on or timezone.localdate()
        )
    return convert_at_rate(price, rate=get_rate(currency=currency, on=on))


def convert_at_rate(price: Money, *, rate: ExchangeRate) -> Conversion:
    """`price` (MAD) at a rate already read (a page converting many prices reads it once),
    rounded half-up to the currency's minor unit."""
    if price.currency != BASE_CURRENCY:
        raise ValueError("Prices are converted from MAD only.")
    currency = rate.currency
    exponent = get_currency_precision(currency)
    value = price.to_decimal() / rate.mad_per_unit
    minor = (value * (10**exponent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Conversion(
        amount=Money(int(minor), currency), mad_per_unit=rate.mad_per_unit, rate_date=rate.date
    )


def _parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007  # a date, no time
        except ValueError:
            continue
    raise ValueError(text)


def _parse_rate(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", "."))


def import_rates(*, path: Path, source: str = "") -> RateImport:
    """Read a rates CSV; each date in the file replaces that date's rates, in one transaction.

    A row with a bad date, a currency that is not a 3-letter ISO code, or a rate that is not a
    positive number is rejected (line and reason) and the other rows go in. A file without the
    three columns is refused before anything is written."""
    raw = path.read_bytes().decode("utf-8-sig")
    dialect_delimiter = (
        ";" if raw.splitlines()[0].count(";") > raw.splitlines()[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(raw), delimiter=dialect_delimiter)
    headers = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"date", "currency", "rate"} <= headers:
        raise RateFileRefused(detail={"columns": sorted(headers)})
    rows: dict[tuple[datetime.date, str], Decimal] = {}
    rejected: list[RejectedRate] = []
    for line, row in enumerate(reader, start=2):
        values = {key.strip().lower(): (value or "") for key, value in row.items() if key}
        currency = values["currency"].strip().upper()
        try:
            day = _parse_date(values["date"])
        except ValueError:
            rejected.append(RejectedRate(line, _("The date is not a real date.")))
            continue
        if len(currency) != 3 or not currency.isalpha() or currency == BASE_CURRENCY:
            rejected.append(RejectedRate(line, _("The currency is not an ISO 4217 code.")))
            continue
        try:
            rate = _parse_rate(values["rate"])
        except InvalidOperation:
            rate = Decimal(0)
        if not rate.is_finite() or rate <= 0:
            rejected.append(RejectedRate(line, _("The rate must be a number above zero.")))
            continue
        rows[(day, currency)] = rate
    dates = sorted({day for day, _currency in rows})
    with transaction.atomic():
        ExchangeRate.objects.filter(date__in=dates).delete()
        ExchangeRate.objects.bulk_create(
            ExchangeRate(date=day, currency=currency, mad_per_unit=rate, source=source)
            for (day, currency), rate in sorted(rows.items())
        )
    return RateImport(imported=len(rows), dates=dates, rejected=rejected)
