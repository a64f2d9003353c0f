"""Tests for souk.core.money: construction, arithmetic and rounding (allocation and formatting
are in test_money_allocation.py)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import strategies as st

from souk.core.money import (
    SUPPORTED_CURRENCIES,
    CurrencyError,
    CurrencyMismatch,
    Money,
    minor_unit_exponent,
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


# Construction


def test_money_holds_integer_minor_units_and_currency() -> None:
    # when
    money = Money(123450, "MAD")

    # then
    assert money.amount == 123450
    assert money.currency == "MAD"


def test_supported_currencies_have_two_minor_unit_digits_from_babel() -> None:
    assert [minor_unit_exponent(code) for code in SUPPORTED_CURRENCIES] == [2, 2, 2]


def test_minor_unit_exponent_refuses_unknown_currency() -> None:
    with pytest.raises(CurrencyError):
        minor_unit_exponent("GBP")


@pytest.mark.parametrize("amount", [12.5, 12.0, Decimal("12"), True, False, "100", None])
def test_amount_that_is_not_an_int_is_refused(amount: object) -> None:
    with pytest.raises(TypeError, match="must be an int of minor units"):
        Money(amount, "MAD")  # type: ignore[arg-type]  # the wrong type is the point of the test


@pytest.mark.parametrize("currency", ["GBP", "mad", "Mad", "", "DH", "MAD "])
def test_unsupported_or_lower_case_currency_is_refused(currency: str) -> None:
    with pytest.raises(CurrencyError, match="unsupported currency"):
        Money(100, currency)


def test_currency_that_is_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="currency must be a str"):
        Money(100, None)  # type: ignore[arg-type]  # the wrong type is the point of the test


def test_currency_errors_are_value_errors() -> None:
    assert issubclass(CurrencyError, ValueError)
    assert issubclass(CurrencyMismatch, ValueError)


def test_money_is_immutable() -> None:
    # given
    money = Money(100, "MAD")

    # when / then
    with pytest.raises(AttributeError):
        money.amount = 200  # type: ignore[misc]  # assigning to a frozen field is the point


def test_money_is_hashable_and_equal_by_amount_and_currency() -> None:
    assert Money(100, "MAD") == Money(100, "MAD")
    assert Money(100, "MAD") != Money(100, "EUR")
    assert Money(0, "MAD") != Money(0, "EUR")
    plain_number: object = 100
    assert Money(100, "MAD") != plain_number
    assert len({Money(100, "MAD"), Money(100, "MAD"), Money(100, "EUR")}) == 2


def test_zero_is_nothing_in_the_currency() -> None:
    assert Money.zero("EUR") == Money(0, "EUR")


def test_zero_refuses_unknown_currency() -> None:
    with pytest.raises(CurrencyError):
        Money.zero("GBP")


# From and to Decimal


@pytest.mark.parametrize(
    ("value", "expected_amount"),
    [
        ("1234.50", 123450),
        ("1234.5", 123450),
        (Decimal("0.01"), 1),
        (Decimal("-0.01"), -1),
        ("12", 1200),
        ("12.500", 1250),
        (Decimal("0"), 0),
        ("-0", 0),
        ("0E+999999999", 0),
        ("12345678901234567890123456789.99", 1234567890123456789012345678999),
    ],
)
def test_from_decimal_converts_exact_major_units(
    value: Decimal | str, expected_amount: int
) -> None:
    assert Money.from_decimal(value, "MAD") == Money(expected_amount, "MAD")


@pytest.mark.parametrize("value", ["12.345", Decimal("0.001"), "-0.005", "1E-3", "1E-999999999"])
def test_from_decimal_refuses_more_decimals_than_the_currency_allows(
    value: Decimal | str,
) -> None:
    with pytest.raises(ValueError, match="more decimal places than MAD allows"):
        Money.from_decimal(value, "MAD")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "not a decimal number"),
        ("", "not a decimal number"),
        ("1,50", "not a decimal number"),
        ("NaN", "must be a finite number"),
        ("Infinity", "must be a finite number"),
        (Decimal("-Infinity"), "must be a finite number"),
        ("1E999999999", "too large for an amount"),
        ("-1000000000000000000000000000000", "too large for an amount"),
    ],
)
def test_from_decimal_refuses_values_that_are_not_finite_numbers(
    value: Decimal | str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Money.from_decimal(value, "MAD")


@pytest.mark.parametrize("value", [12.5, 12, None])
def test_from_decimal_refuses_floats_and_ints(value: object) -> None:
    with pytest.raises(TypeError, match="expected a Decimal or a str"):
        Money.from_decimal(value, "MAD")  # type: ignore[arg-type]  # the wrong type is the point


def test_from_decimal_refuses_unknown_currency() -> None:
    with pytest.raises(CurrencyError):
        Money.from_decimal("1.00", "GBP")


@pytest.mark.parametrize(
    ("value", "expected_amount"),
    [
        ("12.345", 1235),
        ("12.344", 1234),
        ("12.3449999", 1234),
        ("-12.345", -1235),
        ("0.005", 1),
        ("-0.005", -1),
        ("0.004", 0),
        ("1E-999999999", 0),
        ("12.34", 1234),
        (Decimal("133.616075"), 13362),
    ],
)
def test_from_decimal_rounded_rounds_half_up_away_from_zero(
    value: Decimal | str, expected_amount: int
) -> None:
    assert Money.from_decimal_rounded(value, "EUR") == Money(expected_amount, "EUR")


def test_from_decimal_rounded_takes_an_explicit_rounding_mode() -> None:
    assert Money.from_decimal_rounded("12.345", "EUR", rounding=ROUND_HALF_EVEN) == Money(
        1234, "EUR"
    )
    assert Money.from_decimal_rounded("12.355", "EUR", rounding=ROUND_HALF_EVEN) == Money(
        1236, "EUR"
    )
    assert Money.from_decimal_rounded("12.349", "EUR", rounding=ROUND_DOWN) == Money(1234, "EUR")


def test_from_decimal_rounded_is_exact_for_values_longer_than_the_decimal_context() -> None:
    # given: 31 significant digits, more than the default context precision of 28
    value = "1234567890123456789012345678.905"

    # when
    money = Money.from_decimal_rounded(value, "MAD")

    # then
    assert money == Money(123456789012345678901234567891, "MAD")


def test_from_decimal_rounded_refuses_unknown_rounding_mode() -> None:
    with pytest.raises(ValueError, match="unknown rounding mode"):
        Money.from_decimal_rounded("1.005", "MAD", rounding="HALF_UP")


@pytest.mark.parametrize(
    ("money", "expected"),
    [
        (Money(123450, "MAD"), "1234.50"),
        (Money(-5, "EUR"), "-0.05"),
        (Money(0, "USD"), "0.00"),
        (Money(10**30, "MAD"), "10000000000000000000000000000.00"),
    ],
)
def test_to_decimal_has_the_currency_exponent(money: Money, expected: str) -> None:
    # when
    value = money.to_decimal()

    # then: compared as strings, so the exponent is checked, not only the value
    assert str(value) == expected


def test_str_shows_major_units_and_code() -> None:
    assert str(Money(123450, "MAD")) == "1234.50 MAD"


# Arithmetic


def test_adding_and_subtracting_same_currency() -> None:
    # given
    price = Money(15000, "MAD")
    shipping = Money(3550, "MAD")

    # when / then
    assert price + shipping == Money(18550, "MAD")
    assert price - shipping == Money(11450, "MAD")
    assert shipping - price == Money(-11450, "MAD")


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
    ids=["add", "subtract", "lt", "le", "gt", "ge"],
)
def test_mixing_currencies_raises_currency_mismatch(
    operation: Callable[[Money, Money], object],
) -> None:
    # given
    dirhams = Money(1000, "MAD")
    euros = Money(1000, "EUR")

    # when / then
    with pytest.raises(CurrencyMismatch, match="MAD and EUR"):
        operation(dirhams, euros)


@pytest.mark.parametrize("other", [1, 1.5, Decimal("1"), None])
def test_adding_or_subtracting_a_plain_number_is_a_type_error(other: object) -> None:
    money = Money(100, "MAD")
    with pytest.raises(TypeError):
        money + other  # type: ignore[operator]  # the wrong type is the point of the test
    with pytest.raises(TypeError):
        other + money  # type: ignore[operator]  # the wrong type is the point of the test
    with pytest.raises(TypeError):
        money - other  # type: ignore[operator]  # the wrong type is the point of the test


def test_builtin_sum_without_start_is_a_type_error() -> None:
    # sum() starts from the int 0, which must not be silently accepted as money.
    with pytest.raises(TypeError):
        sum([Money(1, "MAD"), Money(2, "MAD")])  # type: ignore[list-item]  # the point of the test


def test_negation_and_absolute_value() -> None:
    assert -Money(250, "MAD") == Money(-250, "MAD")
    assert -Money(-250, "MAD") == Money(250, "MAD")
    assert +Money(-250, "MAD") == Money(-250, "MAD")
    assert abs(Money(-250, "MAD")) == Money(250, "MAD")
    assert abs(Money(250, "MAD")) == Money(250, "MAD")


def test_comparisons_within_one_currency() -> None:
    # given
    small = Money(100, "EUR")
    large = Money(250, "EUR")

    # then
    assert small < large
    assert small <= large
    assert small <= Money(100, "EUR")
    assert large > small
    assert large >= small
    assert large >= Money(250, "EUR")
    assert not large < small
    assert sorted([large, small, Money(-1, "EUR")]) == [Money(-1, "EUR"), small, large]
    assert max(small, large) == large


def test_comparing_with_a_plain_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        operator.lt(Money(100, "MAD"), 100)


def test_truthiness_and_sign_predicates() -> None:
    zero = Money(0, "MAD")
    positive = Money(1, "MAD")
    negative = Money(-1, "MAD")

    assert not zero
    assert positive
    assert negative
    assert (zero.is_zero(), zero.is_positive(), zero.is_negative()) == (True, False, False)
    assert (positive.is_zero(), positive.is_positive(), positive.is_negative()) == (
        False,
        True,
        False,
    )
    assert (negative.is_zero(), negative.is_positive(), negative.is_negative()) == (
        False,
        False,
        True,
    )


def test_multiplying_by_an_int_on_either_side() -> None:
    assert Money(1250, "MAD") * 3 == Money(3750, "MAD")
    assert 3 * Money(1250, "MAD") == Money(3750, "MAD")
    assert Money(1250, "MAD") * -2 == Money(-2500, "MAD")
    assert Money(1250, "MAD") * 0 == Money(0, "MAD")


@pytest.mark.parametrize("factor", [1.5, Decimal("1.5"), True, Money(2, "MAD")])
def test_multiplying_by_anything_but_an_int_is_a_type_error(factor: object) -> None:
    money = Money(1250, "MAD")
    with pytest.raises(TypeError):
        money * factor  # type: ignore[operator]  # the wrong type is the point of the test
    with pytest.raises(TypeError):
        factor * money  # type: ignore[operator]  # the wrong type is the point of the test


def test_there_is_no_division_operator() -> None:
    money = Money(1000, "MAD")
    with pytest.raises(TypeError):
        money / 2  # type: ignore[operator]  # the missing operator is the point of the test
    with pytest.raises(TypeError):
        money // 2  # type: ignore[operator]  # the missing operator is the point of the test


# Multiplying by a Decimal rate


@pytest.mark.parametrize(
    ("amount", "rate", "expected_amount"),
    [
        # 10% commission on 199.99 MAD: 19.999 MAD rounds to 20.00.
        (19999, Decimal("0.10"), 2000),
        # 15% on 19.99: 299.85 centimes rounds up.
        (1999, Decimal("0.15"), 300),
        # FX 123.45 EUR at 10.8235 MAD/EUR = 1336.161075 MAD.
        (12345, Decimal("10.8235"), 133616),
        # Ties go away from zero.
        (25, Decimal("0.5"), 13),
        (-25, Decimal("0.5"), -13),
        (1000, Decimal("1"), 1000),
        (1000, Decimal("0"), 0),
        (1000, Decimal("-0.2"), -200),
    ],
)
def test_multiply_applies_a_decimal_rate_rounding_half_up(
    amount: int, rate: Decimal, expected_amount: int
) -> None:
    assert Money(amount, "MAD").multiply(rate) == Money(expected_amount, "MAD")


def test_multiply_takes_an_explicit_rounding_mode() -> None:
    assert Money(25, "MAD").multiply(Decimal("0.5"), rounding=ROUND_HALF_EVEN) == Money(12, "MAD")
    assert Money(35, "MAD").multiply(Decimal("0.5"), rounding=ROUND_HALF_EVEN) == Money(18, "MAD")
    assert Money(1999, "MAD").multiply(Decimal("0.15"), rounding=ROUND_DOWN) == Money(299, "MAD")


def test_multiply_is_exact_beyond_the_decimal_context_precision() -> None:
    # given: a product with 31 significant digits, whose last digit decides the rounding
    money = Money(10**30 + 1, "MAD")

    # when
    result = money.multiply(Decimal("0.5"))

    # then: 500000000000000000000000000000.5 rounds half up
    assert result == Money(5 * 10**29 + 1, "MAD")


@pytest.mark.parametrize("rate", [0.1, 2, "0.1", None])
def test_multiply_refuses_a_rate_that_is_not_a_decimal(rate: object) -> None:
    with pytest.raises(TypeError, match="rate must be a Decimal"):
        Money(1000, "MAD").multiply(rate)  # type: ignore[arg-type]  # the wrong type is the point


@pytest.mark.parametrize("rate", [Decimal("NaN"), Decimal("Infinity")])
def test_multiply_refuses_a_rate_that_is_not_finite(rate: Decimal) -> None:
    with pytest.raises(ValueError, match="rate must be a finite number"):
        Money(1000, "MAD").multiply(rate)


def test_multiply_refuses_unknown_rounding_mode() -> None:
    with pytest.raises(ValueError, match="unknown rounding mode"):
        Money(1000, "MAD").multiply(Decimal("0.1"), rounding="up")
