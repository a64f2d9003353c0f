"""Eligibility: the rules a bank wrote on its offer, read against a shop's figures.

`evaluate` is pure: it returns what is missing as `Missing(rule, values)` (an empty list: the
shop qualifies); `describe` turns one into a sentence in the active language ("3 more months
of sales", "12,000.00 MAD more in sales over the last 12 months"). The same `Missing` values
are kept in `Eligibility.missing` by the nightly batch and shown later in any language.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from django.utils.translation import get_language, gettext, ngettext

from souk.banking.models import LegalForm, Offer
from souk.core.money import Money, format_money_for_language
from souk.core.translation import pick_translation
from souk.registry.models import EntryStatus, Region, Sector
from souk.shops.models import Shop


class RuleFigures(Protocol):
    """What the rules read of a shop's money: `selectors.MoneyProfile` for one shop, the
    nightly batch's own figures for many."""

    @property
    def months_with_sales(self) -> int: ...
    @property
    def sales_12m_amount(self) -> int: ...
    @property
    def orders_12m(self) -> int: ...
    @property
    def refund_rate_12m_percent(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class ShopFacts:
    """What the rules read of a shop besides its money."""

    sector_codes: frozenset[str]
    region_code: str
    is_cooperative: bool
    is_register_entry_active: bool
    has_settled_payout_destination: bool


def get_shop_facts(shop: Shop, *, trade_sectors: set[str] | None = None) -> ShopFacts:
    """The shop's facts; `trade_sectors` (the sectors of its trades) when already read."""
    entry = shop.register_entry
    if trade_sectors is None:
        trade_sectors = set(shop.trades.values_list("sector_id", flat=True))
    return ShopFacts(
        sector_codes=frozenset({entry.trade.sector_id} | trade_sectors),
        region_code=shop.region_id,
        is_cooperative=not entry.is_person,
        is_register_entry_active=entry.status == EntryStatus.ACTIVE,
        has_settled_payout_destination=shop.has_payout_destination
        and shop.payouts_resume_at() is None,
    )


@dataclass(frozen=True, slots=True)
class Missing:
    rule: str
    values: dict[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {"rule": self.rule, **self.values}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Missing:
        values = dict(data)
        return cls(rule=values.pop("rule"), values=values)


class MoneyRules(NamedTuple):
    """An offer's rules on money, read once: the nightly batch checks them for every shop."""

    min_months: int | None
    min_sales: int | None
    min_orders: int | None
    max_refund_rate: Decimal | None


def money_rules(offer: Offer) -> MoneyRules:
    return MoneyRules(
        offer.min_months_selling,
        offer.min_sales_12m_amount,
        offer.min_orders_12m,
        offer.max_refund_rate_percent,
    )


def money_missing_data(
    rules: MoneyRules, months: int, sales: int, orders: int, refund_rate: Decimal
) -> list[dict[str, Any]]:
    """What the figures lack for the money rules, as kept data (`Missing.as_data`)."""
    missing: list[dict[str, Any]] = []
    if rules.min_months and months < rules.min_months:
        missing.append({"rule": "months", "more": rules.min_months - months})
    if rules.min_sales and sales < rules.min_sales:
        missing.append({"rule": "sales", "more": rules.min_sales - sales})
    if rules.min_orders and orders < rules.min_orders:
        missing.append({"rule": "orders", "more": rules.min_orders - orders})
    if rules.max_refund_rate is not None and refund_rate > rules.max_refund_rate:
        missing.append(
            {"rule": "refund_rate", "limit": str(rules.max_refund_rate), "rate": str(refund_rate)}
        )
    return missing


def facts_missing(offer: Offer, facts: ShopFacts) -> list[Missing]:
    """What the shop lacks for the offer's rules on who it is (sector, region, form...)."""
    missing: list[Missing] = []
    if offer.sector_codes and not facts.sector_codes & set(offer.sector_codes):
        missing.append(Missing("sectors", {"codes": list(offer.sector_codes)}))
    if offer.region_codes and facts.region_code not in offer.region_codes:
        missing.append(Missing("regions", {"codes": list(offer.region_codes)}))
    if offer.legal_form == LegalForm.INDIVIDUAL and facts.is_cooperative:
        missing.append(Missing("individual"))
    if offer.legal_form == LegalForm.COOPERATIVE and not facts.is_cooperative:
        missing.append(Missing("cooperative"))
    if offer.requires_active_register_entry and not facts.is_register_entry_active:
        missing.append(Missing("register"))
    if offer.requires_payout_destination and not facts.has_settled_payout_destination:
        missing.append(Missing("payout"))
    return missing


@dataclass(frozen=True, slots=True)
class Verdict:
    """One offer for one shop: what is missing, as kept data (empty: the shop qualifies)."""

    offer_id: int
    missing: list[dict[str, Any]]

    @property
    def is_eligible(self) -> bool:
        return not self.missing


def digest(verdicts: dict[str, list[dict[str, Any]]]) -> tuple[str, str]:
    """The verdicts of one shop as JSON text and its digest (what the batch compares)."""
    text = json.dumps(verdicts, separators=(",", ":"))
    return text, hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def evaluate(offer: Offer, profile: RuleFigures, facts: ShopFacts) -> list[Missing]:
    """What the shop lacks for the offer, rule by rule in the order the form shows them: the
    money rules, then the rules on who the shop is."""
    money = money_missing_data(
        money_rules(offer),
        profile.months_with_sales,
        profile.sales_12m_amount,
        profile.orders_12m,
        profile.refund_rate_12m_percent,
    )
    return [Missing.from_data(item) for item in money] + facts_missing(offer, facts)


def _names(model: type[Sector] | type[Region], codes: list[str]) -> str:
    rows = {row.code: row for row in model.objects.filter(code__in=codes)}
    return ", ".join(pick_translation(rows[c], "name")[0] for c in codes if c in rows)


def _percent(value: str) -> str:
    number = Decimal(value).normalize()
    text = f"{number:f}"
    return text.replace(".", ",") if (get_language() or "fr")[:2] in {"fr", "es"} else text


def describe(missing: Missing) -> str:
    """One missing condition as a sentence in the active language."""
    values = missing.values
    if missing.rule == "months":
        return ngettext(
            "%(count)d more month with sales (of the last 24)",
            "%(count)d more months with sales (of the last 24)",
            values["more"],
        ) % {"count": values["more"]}
    if missing.rule == "sales":
        amount = format_money_for_language(Money(values["more"], "MAD"), get_language() or "fr")
        return gettext("%(amount)s more in sales over the last 12 months") % {"amount": amount}
    if missing.rule == "orders":
        return ngettext(
            "%(count)d more order over the last 12 months",
            "%(count)d more orders over the last 12 months",
            values["more"],
        ) % {"count": values["more"]}
    if missing.rule == "refund_rate":
        return gettext(
            "A refund rate of at most %(limit)s%% over the last 12 months (yours: %(rate)s%%)"
        ) % {"limit": _percent(values["limit"]), "rate": _percent(values["rate"])}
    if missing.rule == "sectors":
        return gettext("Only for these sectors: %(names)s") % {
            "names": _names(Sector, values["codes"])
        }
    if missing.rule == "regions":
        return gettext("Only for these regions: %(names)s") % {
            "names": _names(Region, values["codes"])
        }
    if missing.rule == "individual":
        return gettext("Only for individual artisans")
    if missing.rule == "cooperative":
        return gettext("Only for cooperatives and companies")
    if missing.rule == "register":
        return gettext("An active entry in the national artisan register")
    if missing.rule == "payout":
        return gettext("A payout account (RIB or wallet), set and no longer on hold")
    return missing.rule
