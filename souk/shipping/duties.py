"""Estimates of the import duty and taxes a buyer abroad will be asked for.

From DutyRate rows staff maintain per destination and HS chapter (a blank chapter is the
destination's default): duty = rate times customs value (works); tax = rate times (customs value +
shipping + duty), the usual base for import VAT. Shown as an estimate, payable by the recipient
to the carrier (DAP) unless the destination is configured DDP. For the EU the page also states
the IOSS rule of the reference (docs/shipping.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from souk.core.addresses import EU_COUNTRIES
from souk.core.money import Money, sum_money
from souk.shipping.models import DeliveryTerms, DutyRate

CURRENCY = "MAD"


@dataclass(frozen=True, slots=True)
class DutyEstimate:
    country: str
    duty: Money
    tax: Money
    terms: str
    note: str
    is_european_union: bool
    # False when no rate is known for the destination: the page says so instead of a figure.
    is_known: bool

    @property
    def total(self) -> Money:
        return self.duty + self.tax

    @property
    def is_paid_at_checkout(self) -> bool:
        return self.terms == DeliveryTerms.DDP


def _rate_for(rates: dict[str, DutyRate], hs_code: str) -> DutyRate | None:
    return rates.get(hs_code[:2]) or rates.get("")


def estimate(
    *, country: str, lines: Sequence[tuple[str, Money]], shipping: Money
) -> DutyEstimate | None:
    """The estimate for works (HS code, value) sent to `country`; None for Morocco."""
    if country == "MA":
        return None
    rates = {rate.hs_chapter: rate for rate in DutyRate.objects.filter(country=country)}
    default = rates.get("")
    if not rates:
        zero = Money.zero(CURRENCY)
        return DutyEstimate(
            country, zero, zero, DeliveryTerms.DAP, "", country in EU_COUNTRIES, is_known=False
        )
    duty_parts, tax_parts = [], []
    for hs_code, value in lines:
        rate = _rate_for(rates, hs_code) or default
        if rate is None:
            continue
        duty = value.multiply(rate.duty_rate)
        duty_parts.append(duty)
        tax_parts.append((value + duty).multiply(rate.tax_rate))
    # Shipping is part of the taxable value; taxed at the destination's default rate.
    shipping_tax_rate = default.tax_rate if default else Decimal(0)
    tax_parts.append(shipping.multiply(shipping_tax_rate))
    reference = default or next(iter(rates.values()))
    return DutyEstimate(
        country=country,
        duty=sum_money(duty_parts, CURRENCY),
        tax=sum_money(tax_parts, CURRENCY),
        terms=reference.terms,
        note=reference.note,
        is_european_union=country in EU_COUNTRIES,
        is_known=True,
    )
