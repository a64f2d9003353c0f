"""Tests for souk.core.money: allocation, sums, formatting and the properties that hold for all."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from souk.core.money import (
    LANGUAGE_LOCALES,
    SUPPORTED_CURRENCIES,
    CurrencyError,
    CurrencyMismatch,
    Money,
    format_money,
    format_money_for_language,
    sum_money,
)

# Strategies

LARGE = 10**15
amounts = st.integers(min_value=-LARGE, max_value=LARGE)
currencies = st.sampled_from(SUPPORTED_CURRENCIES)
int_ratios = st.integers(min_value=0, max_value=10**6)
decimal_ratios = st.decimals(
    min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False
)
ratio_lists = st.lists(st.one_of(int_ratios, decimal_ratios), min_size=1, max_size=12).filter(
    lambda ratios: any(ratio > 0 for ratio in ratios)
)
mad = st.builds(Money, amounts, st.just("MAD"))


# Allocation


@pytest.mark.parametrize(
    ("amount", "ratios", "expected_amounts"),
    [
        # 33.33 each; the one centime left goes to the first part (equal remainders).
        (100, [1, 1, 1], [34, 33, 33]),
        # 1.5 and 3.5: equal remainders, so the first part takes the centime.
        (5, [3, 7], [2, 3]),
        # 33.33 and 66.67: the larger remainder (2/3) wins.
        (100, [1, 2], [33, 67]),
        # 1.75 each: three centimes left over, to the first three parts.
        (7, [1, 1, 1, 1], [2, 2, 2, 1]),
        # Remainders 2/10, 3/10, 5/10: the last part has the largest.
        (1001, [Decimal("0.2"), Decimal("0.3"), Decimal("0.5")], [200, 300, 501]),
        (1000, [Decimal("0.5"), Decimal("0.25"), Decimal("0.25")], [500, 250, 250]),
        # Decimal and int ratios mix: weights 3, 2, 5.
        (99, [Decimal("1.5"), 1, Decimal("2.5")], [30, 20, 49]),
        # A zero ratio gets exactly zero, even when centimes are left over.
        (1, [0, 1, 1], [0, 1, 0]),
        (10, [0, 1, 1], [0, 5, 5]),
        (0, [1, 2, 3], [0, 0, 0]),
        (100, [5], [100]),
        # Negative amounts mirror positive ones.
        (-100, [1, 1, 1], [-34, -33, -33]),
        (-5, [3, 7], [-2, -3]),
    ],
)
def test_allocate_splits_by_largest_remainder(
    amount: int, ratios: list[int | Decimal], expected_amounts: list[int]
) -> None:
    # when
    parts = Money(amount, "MAD").allocate(ratios)

    # then
    assert parts == [Money(part, "MAD") for part in expected_amounts]


def test_allocate_keeps_the_currency() -> None:
    assert Money(100, "EUR").allocate([1, 1]) == [Money(50, "EUR"), Money(50, "EUR")]


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        ([], "must not be empty"),
        ([0, 0], "at least one ratio must be greater than zero"),
        ([Decimal("0"), 0], "at least one ratio must be greater than zero"),
        ([1, -1, 2], "must not be negative"),
        ([Decimal("-0.5"), 1], "must not be negative"),
        ([Decimal("NaN"), 1], "must be a finite number"),
    ],
)
def test_allocate_refuses_invalid_ratios(ratios: list[int | Decimal], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Money(100, "MAD").allocate(ratios)


@pytest.mark.parametrize("ratio", [0.5, True, "1", None])
def test_allocate_refuses_ratios_that_are_not_int_or_decimal(ratio: object) -> None:
    with pytest.raises(TypeError, match="ratios must be int or Decimal"):
        Money(100, "MAD").allocate([1, ratio])  # type: ignore[list-item]  # the point of the test


def test_split_divides_into_near_equal_parts_larger_first() -> None:
    assert Money(1000, "MAD").split(3) == [Money(334, "MAD"), Money(333, "MAD"), Money(333, "MAD")]
    assert Money(-1000, "MAD").split(3) == [
        Money(-334, "MAD"),
        Money(-333, "MAD"),
        Money(-333, "MAD"),
    ]
    assert Money(2, "MAD").split(4) == [
        Money(1, "MAD"),
        Money(1, "MAD"),
        Money(0, "MAD"),
        Money(0, "MAD"),
    ]
    assert Money(999, "MAD").split(1) == [Money(999, "MAD")]


@pytest.mark.parametrize("count", [0, -2])
def test_split_refuses_fewer_than_one_part(count: int) -> None:
    with pytest.raises(ValueError, match="count must be at least 1"):
        Money(100, "MAD").split(count)


@pytest.mark.parametrize("count", [2.0, True])
def test_split_refuses_a_count_that_is_not_an_int(count: object) -> None:
    with pytest.raises(TypeError, match="count must be an int"):
        Money(100, "MAD").split(count)  # type: ignore[arg-type]  # the wrong type is the point


# sum_money


def test_sum_money_adds_amounts_of_one_currency() -> None:
    items = [Money(1000, "MAD"), Money(250, "MAD"), Money(-50, "MAD")]
    assert sum_money(items, "MAD") == Money(1200, "MAD")


def test_sum_money_of_nothing_is_zero_in_the_currency() -> None:
    assert sum_money([], "EUR") == Money(0, "EUR")


def test_sum_money_accepts_any_iterable() -> None:
    assert sum_money((Money(n, "USD") for n in range(5)), "USD") == Money(10, "USD")


def test_sum_money_refuses_a_stray_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        sum_money([Money(1000, "MAD"), Money(1000, "EUR")], "MAD")
    with pytest.raises(CurrencyMismatch):
        sum_money([Money(1000, "EUR")], "MAD")


def test_sum_money_refuses_unknown_currency() -> None:
    with pytest.raises(CurrencyError):
        sum_money([], "GBP")


# Formatting


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("fr_MA", "MAD", "1\u202f234,50\xa0MAD"),
        ("fr_MA", "EUR", "1\u202f234,50\xa0€"),
        ("fr_MA", "USD", "1\u202f234,50\xa0$US"),
        ("en_US", "MAD", "MAD1,234.50"),
        ("en_US", "EUR", "€1,234.50"),
        ("en_US", "USD", "$1,234.50"),
        ("ar_MA", "MAD", "\u200f1.234,50\xa0د.م.\u200f"),
        ("ar_MA", "EUR", "\u200f1.234,50\xa0€"),
        ("ar_MA", "USD", "\u200f1.234,50\xa0US$"),
        ("es_ES", "MAD", "1.234,50\xa0MAD"),
        ("es_ES", "EUR", "1.234,50\xa0€"),
        ("es_ES", "USD", "1.234,50\xa0US$"),
    ],
)
def test_format_money_uses_the_locale_conventions(
    locale: str, currency: str, expected: str
) -> None:
    assert format_money(Money(123450, currency), locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr_MA", "-0,05\xa0MAD"),
        ("en_US", "-MAD0.05"),
        ("ar_MA", "\u200f-0,05\xa0د.م.\u200f"),
        ("es_ES", "-0,05\xa0MAD"),
    ],
)
def test_format_money_shows_negative_amounts_with_a_minus_sign(locale: str, expected: str) -> None:
    assert format_money(Money(-5, "MAD"), locale) == expected


def test_format_money_groups_millions() -> None:
    money = Money(123456789, "USD")
    assert format_money(money, "fr_MA") == "1\u202f234\u202f567,89\xa0$US"
    assert format_money(money, "en_US") == "$1,234,567.89"
    assert format_money(money, "ar_MA") == "\u200f1.234.567,89\xa0US$"
    assert format_money(money, "es_ES") == "1.234.567,89\xa0US$"


def test_format_money_for_arabic_uses_the_locale_default_numbering_system() -> None:
    # ar_MA names Latin digits as its default; ar_EG names Arabic-Indic digits.
    money = Money(123450, "MAD")
    assert format_money(money, "ar_MA") == "\u200f1.234,50\xa0د.م.\u200f"
    # U+066C and U+066B are the Arabic thousands and decimal separators.
    assert format_money(money, "ar_EG") == "\u200f1\u066c234\u066b50\xa0د.م.\u200f"


def test_language_locales_cover_the_site_languages() -> None:
    assert LANGUAGE_LOCALES == {"ar": "ar_MA", "fr": "fr_MA", "en": "en_US", "es": "es_ES"}


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        ("fr", "1\u202f234,50\xa0MAD"),
        ("en", "MAD1,234.50"),
        ("ar", "\u200f1.234,50\xa0د.م.\u200f"),
        ("es", "1.234,50\xa0MAD"),
    ],
)
def test_format_money_for_language_maps_django_languages(language_code: str, expected: str) -> None:
    assert format_money_for_language(Money(123450, "MAD"), language_code) == expected


@pytest.mark.parametrize(
    ("language_code", "same_as"),
    [
        ("fr-fr", "fr"),
        ("fr-MA", "fr"),
        ("FR", "fr"),
        ("fr_FR", "fr"),
        ("ar-ma", "ar"),
        ("en-gb", "en"),
        ("es-419", "es"),
        ("de", "en"),
        ("zh-hans", "en"),
        ("", "en"),
    ],
)
def test_format_money_for_language_uses_the_primary_subtag_and_falls_back_to_english(
    language_code: str, same_as: str
) -> None:
    money = Money(123450, "EUR")
    assert format_money_for_language(money, language_code) == format_money_for_language(
        money, same_as
    )


# Properties


def _exact_shares(amount: int, ratios: list[int | Decimal]) -> list[Fraction]:
    fractions = [Fraction(ratio) for ratio in ratios]
    total = sum(fractions, Fraction(0))
    return [amount * fraction / total for fraction in fractions]


@given(amount=amounts, ratios=ratio_lists)
def test_allocate_parts_sum_to_the_whole_and_stay_within_one_unit_of_the_exact_share(
    amount: int, ratios: list[int | Decimal]
) -> None:
    # when
    parts = Money(amount, "MAD").allocate(ratios)

    # then
    assert len(parts) == len(ratios)
    assert all(part.currency == "MAD" for part in parts)
    assert sum(part.amount for part in parts) == amount
    for part, share in zip(parts, _exact_shares(amount, ratios), strict=True):
        assert abs(part.amount - share) < 1


@given(amount=amounts, ratios=ratio_lists)
def test_allocate_gives_zero_ratio_parts_nothing(amount: int, ratios: list[int | Decimal]) -> None:
    parts = Money(amount, "MAD").allocate(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        if ratio == 0:
            assert part.amount == 0


@given(amount=amounts, ratios=ratio_lists)
def test_allocate_is_symmetric_under_negation(amount: int, ratios: list[int | Decimal]) -> None:
    money = Money(amount, "MAD")
    assert (-money).allocate(ratios) == [-part for part in money.allocate(ratios)]


@given(amount=amounts, count=st.integers(min_value=1, max_value=50))
def test_split_parts_differ_by_at_most_one_unit(amount: int, count: int) -> None:
    parts = Money(amount, "MAD").split(count)
    assert sum(part.amount for part in parts) == amount
    assert max(part.amount for part in parts) - min(part.amount for part in parts) <= 1


@given(a=mad, b=mad, c=mad)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@given(a=mad, b=mad)
def test_addition_is_commutative(a: Money, b: Money) -> None:
    assert a + b == b + a


@given(a=mad, b=mad)
def test_subtracting_then_adding_back_gives_the_original(a: Money, b: Money) -> None:
    assert a - b + b == a


@given(money=mad, factor=st.integers(min_value=0, max_value=40))
def test_multiplying_by_an_int_equals_repeated_addition(money: Money, factor: int) -> None:
    # given
    repeated = Money.zero("MAD")
    for _ in range(factor):
        repeated += money

    # then
    assert money * factor == repeated
    assert factor * money == repeated
    assert money.multiply(Decimal(factor)) == repeated


@given(items=st.lists(mad, max_size=30))
def test_sum_money_equals_the_sum_of_amounts(items: list[Money]) -> None:
    assert sum_money(items, "MAD") == Money(sum(item.amount for item in items), "MAD")


@given(amount=amounts, currency=currencies)
def test_decimal_round_trip_is_exact(amount: int, currency: str) -> None:
    money = Money(amount, currency)
    assert Money.from_decimal(money.to_decimal(), currency) == money
    assert Money.from_decimal(str(money.to_decimal()), currency) == money
    assert Money.from_decimal_rounded(money.to_decimal(), currency) == money
