"""Eligibility: the rules a bank wrote on its offer, read against a shop's figures.

`evaluate` is pure: it returns what is missing as `Missing(rule, values)` (an empty list: the
shop qualifies); `describe` turns one into a sentence in the active language ("3 more months
of sales", "12,000.00 MAD more in sales over the last 12 months"). The same `Missing` values
are kept in `Eligibility.missing` by the nightly batch and shown later in any language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

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


def evaluate(offer: Offer, profile: RuleFigures, facts: ShopFacts) -> list[Missing]:
    """What the shop lacks for the offer, rule by rule in the order the form shows them."""
    missing: list[Missing] = []
    if offer.min_months_selling and profile.months_with_sales < offer.min_months_selling:
        missing.append(
            Missing("months", {"more": offer.min_months_selling - profile.months_with_sales})
        )
    if offer.min_sales_12m_amount and profile.sales_12m_amount < offer.min_sales_12m_amount:
        missing.append(
            Missing("sales", {"more": offer.min_sales_12m_amount - profile.sales_12m_amount})
        )
    if offer.min_orders_12m and profile.orders_12m < offer.min_orders_12m:
        missing.append(Missing("orders", {"more": offer.min_orders_12m - profile.orders_12m}))
    limit = offer.max_refund_rate_percent
    if limit is not None and profile.refund_rate_12m_percent > limit:
        missing.append(
            Missing(
                "refund_rate",
                {"limit": str(limit), "rate": str(profile.refund_rate_12m_percent)},
            )
        )
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
