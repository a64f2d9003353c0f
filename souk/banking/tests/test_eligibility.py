"""Each eligibility rule: met, or missing with exactly what is missing, in the artisan's
language; and the verdicts kept for a real shop with real sales."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from souk.banking import eligibility, nightly, selectors, services
from souk.banking.eligibility import Missing, ShopFacts
from souk.banking.models import LegalForm, Offer, ShopEligibility
from souk.banking.selectors import MoneyProfile
from souk.banking.tests.factories import make_bank, make_offer, sell
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db

PROFILE = MoneyProfile(
    shop_id=1,
    months=[],
    sales_amount=900_000,
    net_amount=800_000,
    orders_count=30,
    refunds_amount=45_000,
    refund_rate_percent=Decimal("5.0"),
    abroad_share_percent=Decimal("40.0"),
    countries=[],
    months_with_sales=9,
    sales_12m_amount=800_000,
    orders_12m=25,
    refund_rate_12m_percent=Decimal("5.6"),
    escrow_amount=0,
    payouts_count=0,
    average_payout_amount=None,
)
FACTS = ShopFacts(
    sector_codes=frozenset({"S01"}),
    region_code="07",
    is_cooperative=False,
    is_register_entry_active=True,
    has_settled_payout_destination=True,
)


def offer(**rules: object) -> Offer:
    return Offer(valid_from=datetime.date(2026, 1, 1), **rules)


def missing_text(rules: dict[str, Any], language: str = "en", **changes: Any) -> list[str]:
    facts = replace(FACTS, **changes)
    with translation.override(language):
        return [
            eligibility.describe(m) for m in eligibility.evaluate(offer(**rules), PROFILE, facts)
        ]


def test_an_offer_without_rules_is_for_everyone() -> None:
    assert eligibility.evaluate(offer(), PROFILE, FACTS) == []


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({"min_months_selling": 12}, "3 more months with sales (of the last 24)"),
        ({"min_months_selling": 10}, "1 more month with sales (of the last 24)"),
        ({"min_sales_12m_amount": 2_000_000}, "MAD12,000.00 more in sales over the last 12 months"),
        ({"min_orders_12m": 26}, "1 more order over the last 12 months"),
        ({"min_orders_12m": 40}, "15 more orders over the last 12 months"),
        (
            {"max_refund_rate_percent": Decimal("5.00")},
            "A refund rate of at most 5% over the last 12 months (yours: 5.6%)",
        ),
        ({"sector_codes": ["S02"]}, "Only for these sectors: Stone, marble and plaster"),
        (
            {"region_codes": ["01", "06"]},
            "Only for these regions: Tangier-Tetouan-Al Hoceima, Casablanca-Settat",
        ),
        ({"legal_form": LegalForm.COOPERATIVE}, "Only for cooperatives and companies"),
    ],
)
def test_each_rule_says_what_is_missing(rules: dict[str, object], expected: str) -> None:
    assert missing_text(rules) == [expected]


@pytest.mark.parametrize(
    "rules",
    [
        {"min_months_selling": 9},
        {"min_sales_12m_amount": 800_000},
        {"min_orders_12m": 25},
        {"max_refund_rate_percent": Decimal("5.60")},
        {"sector_codes": ["S01", "S02"]},
        {"region_codes": ["07"]},
        {"legal_form": LegalForm.INDIVIDUAL},
        {"requires_active_register_entry": True},
        {"requires_payout_destination": True},
    ],
)
def test_each_rule_met_at_its_limit_asks_nothing(rules: dict[str, object]) -> None:
    assert missing_text(rules) == []


def test_the_shop_facts_rules_say_what_is_missing() -> None:
    assert missing_text({"legal_form": LegalForm.INDIVIDUAL}, is_cooperative=True) == [
        "Only for individual artisans"
    ]
    assert missing_text(
        {"requires_active_register_entry": True}, is_register_entry_active=False
    ) == ["An active entry in the national artisan register"]
    assert missing_text(
        {"requires_payout_destination": True}, has_settled_payout_destination=False
    ) == ["A payout account (RIB or wallet), set and no longer on hold"]


def test_what_is_missing_reads_in_each_language() -> None:
    rules = {"min_months_selling": 12, "min_sales_12m_amount": 2_000_000}
    french = missing_text(rules, "fr")
    assert french[0] == "3 mois de ventes de plus (sur les 24 derniers)"
    assert "12\u202f000,00\u00a0MAD" in french[1]
    assert missing_text(rules, "es")[0] == "3 meses más con ventas (de los últimos 24)"
    assert missing_text(rules, "ar")[0] == "3 أشهر إضافية بمبيعات (من آخر 24 شهرًا)"


def test_kept_verdicts_follow_a_real_shops_sales() -> None:
    # given a bank with two offers and a shop that sold once this month
    bank = make_bank()
    easy = make_offer(bank, min_months_selling=1)
    hard = make_offer(bank, min_months_selling=3, min_orders_12m=2)
    order = sell(make_approved_shop())
    shop = order.sub_orders.get().shop

    # when the nightly batch runs
    result = nightly.compute_all_eligibility()

    # then each verdict is kept, with what is missing as data
    assert result.failed == 0
    kept = selectors.list_eligibilities(shop_id=shop.pk)
    assert kept[easy.pk].is_eligible is True
    assert kept[hard.pk].is_eligible is False
    assert [Missing.from_data(m) for m in kept[hard.pk].missing] == [
        Missing("months", {"more": 2}),
        Missing("orders", {"more": 1}),
    ]
    assert selectors.get_money_profile(shop_id=shop.pk).orders_12m == 1


def test_the_nightly_chunks_give_the_verdicts_of_the_page() -> None:
    # given three shops (one selling twice, one once, one not at all) and three offers
    bank = make_bank()
    offers = [
        make_offer(bank, min_orders_12m=2),
        make_offer(bank, min_months_selling=1, legal_form=LegalForm.INDIVIDUAL),
        make_offer(bank, sector_codes=["S01"], requires_payout_destination=True),
    ]
    busy, quiet, idle = make_approved_shop(), make_approved_shop(), make_approved_shop()
    sell(busy)
    sell(busy, country="FR")
    sell(quiet)

    # when the batch runs in chunks of two shops
    result = nightly.compute_all_eligibility(chunk_size=2)

    # then each kept verdict is the one the page computes for that shop
    assert (result.done, result.failed) == (2, 0)
    for shop in (busy, quiet, idle):
        kept = {
            offer_id: (v.is_eligible, v.missing)
            for offer_id, v in selectors.list_eligibilities(shop_id=shop.pk).items()
        }
        page = {
            v.offer_id: (v.is_eligible, v.missing)
            for v in services.compute_eligibility(shop=shop, offers=offers)
        }
        assert kept == page
    assert selectors.list_eligibilities(shop_id=busy.pk)[offers[0].pk].is_eligible is True
    assert selectors.list_eligibilities(shop_id=quiet.pk)[offers[0].pk].missing == [
        {"rule": "orders", "more": 1}
    ]


def test_the_nightly_batch_writes_only_the_shops_whose_verdicts_changed() -> None:
    # given two shops evaluated once against an offer for shops with two orders
    offer = make_offer(make_bank(), min_orders_12m=2)
    busy, idle = make_approved_shop(), make_approved_shop()
    sell(busy)
    nightly.compute_all_eligibility()
    before = {row.shop_id: row.changed_at for row in ShopEligibility.objects.all()}

    # when the busy shop sells again and the batch runs again
    sell(busy)
    today = timezone.localdate()
    evaluated, written = nightly.evaluate_chunk(
        first=min(busy.pk, idle.pk), last=max(busy.pk, idle.pk), offers=[offer], today=today
    )

    # then both were evaluated, only the busy shop's row was written, and it now qualifies
    assert (evaluated, written) == (2, 1)
    after = {row.shop_id: row.changed_at for row in ShopEligibility.objects.all()}
    assert after[idle.pk] == before[idle.pk]
    assert after[busy.pk] > before[busy.pk]
    assert selectors.list_eligibilities(shop_id=busy.pk)[offer.pk].is_eligible is True
