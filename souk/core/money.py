r"""The one money value type of Souk, and how it is formatted for people.

Rules, and why each one holds:

- **Integer minor units.** ``Money.amount`` is an ``int`` counting the currency's minor unit
  (centimes for MAD and EUR, cents for USD), exactly as it is stored in ``<what>_amount``
  ``BigIntegerField`` columns. Sums of integers are exact; sums of binary floats are not.
- **No floats, anywhere.** A ``float`` (or a ``bool``, or a ``Decimal``) passed as an amount is a
  ``TypeError``; decimal input goes through :meth:`Money.from_decimal`, which takes a ``Decimal``
  or a string such as ``"1234.50"``.
- **Precision from the ISO 4217 table.** The number of minor-unit digits comes from
  ``babel.numbers.get_currency_precision`` and is never written into this module, so adding a
  currency with another exponent only means adding its code to ``SUPPORTED_CURRENCIES``.
- **One currency per operation.** ``+``, ``-`` and ``<``/``<=``/``>``/``>=`` between different
  currencies raise :class:`CurrencyMismatch`; converting is an explicit, separate step.
- **Explicit rounding.** Nothing rounds silently. :meth:`Money.from_decimal` refuses a value
  that is not a whole number of minor units; :meth:`Money.from_decimal_rounded` and
  :meth:`Money.multiply` (rates: FX, commission, tax) round, and take the rounding mode as an
  argument defaulting to ``ROUND_HALF_UP`` (ties away from zero, the rule buyers expect).
- **Largest remainder for splits.** There is no division operator. :meth:`Money.allocate`
  splits an amount in proportion to ratios so that the parts always add up exactly to the
  whole: each part gets the floor of its share, and the minor units left over go one each to
  the parts with the largest fractional remainders (ties to the earliest part).

Formatting uses babel's CLDR data. :func:`format_money` takes a locale; with the locales mapped
from Django language codes by :data:`LANGUAGE_LOCALES`, ``Money(123450, "MAD")`` reads:

- ``fr`` (``fr_MA``): ``"1\u202f234,50\xa0MAD"``, grouped with a narrow no-break space U+202F,
  a decimal comma and a no-break space U+00A0 before the code;
- ``en`` (``en_US``): ``"MAD1,234.50"``;
- ``es`` (``es_ES``): ``"1.234,50\xa0MAD"``;
- ``ar`` (``ar_MA``): ``"\u200f1.234,50\xa0د.م.\u200f"``. The digits are whatever numbering
  system the locale's own data names as its default; for ``ar_MA`` that is Latin digits, as
  used in Morocco, wrapped in right-to-left marks U+200F and followed by the dirham sign.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import Final

from babel.numbers import format_currency, get_currency_precision

__all__ = [
    "DEFAULT_LOCALE",
    "LANGUAGE_LOCALES",
    "NUMERIC_CODES",
    "SUPPORTED_CURRENCIES",
    "CurrencyError",
    "CurrencyMismatch",
    "Money",
    "format_money",
    "format_money_for_language",
    "minor_unit_exponent",
    "sum_money",
]

SUPPORTED_CURRENCIES: Final[tuple[str, ...]] = ("MAD", "EUR", "USD")
# ISO 4217 numeric codes, as card processors, wallets and settlement files write currencies.
NUMERIC_CODES: Final[dict[str, str]] = {"MAD": "504", "EUR": "978", "USD": "840"}

# Django language code (primary subtag) -> babel locale used to format amounts for it.
LANGUAGE_LOCALES: Final[dict[str, str]] = {
    "ar": "ar_MA",
    "fr": "fr_MA",
    "en": "en_US",
    "es": "es_ES",
}

DEFAULT_LOCALE: Final[str] = "en_US"

# Decimal input with more integer digits than this is refused. It is far beyond any real amount
# (a BigIntegerField holds 19 digits of minor units) and it bounds the work done on untrusted
# strings such as "1E999999999".
_MAX_INTEGER_DIGITS: Final[int] = 30

# Read once from babel's ISO 4217 data so that no exponent is written by hand.
_EXPONENTS: Final[dict[str, int]] = {
    code: get_currency_precision(code) for code in SUPPORTED_CURRENCIES
}

_ROUNDING_MODES: Final[frozenset[str]] = frozenset(
    {
        ROUND_05UP,
        ROUND_CEILING,
        ROUND_DOWN,
        ROUND_FLOOR,
        ROUND_HALF_DOWN,
        ROUND_HALF_EVEN,
        ROUND_HALF_UP,
        ROUND_UP,
    }
)


class CurrencyError(ValueError):
    """A currency code that is not one of ``SUPPORTED_CURRENCIES``."""


class CurrencyMismatch(ValueError):
    """An operation combined two amounts in different currencies."""


def minor_unit_exponent(currency: str) -> int:
    """Return how many minor-unit digits ``currency`` has (2 for MAD: 1 dirham = 100 centimes)."""
    _check_currency(currency)
    return _EXPONENTS[currency]


def _check_currency(currency: object) -> None:
    if not isinstance(currency, str):
        raise TypeError(f"currency must be a str, got {type(currency).__name__}")
    if currency not in _EXPONENTS:
        supported = ", ".join(SUPPORTED_CURRENCIES)
        raise CurrencyError(
            f"unsupported currency {currency!r}: expected an upper-case ISO 4217 code, "
            f"one of {supported}"
        )


def _check_rounding(rounding: str) -> None:
    if rounding not in _ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {rounding!r}: use a decimal.ROUND_* constant")


def _check_finite_decimal(value: Decimal, name: str) -> None:
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value}")


def _parse_decimal(value: Decimal | str) -> Decimal:
    if isinstance(value, Decimal):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"not a decimal number: {value!r}") from None
    else:
        raise TypeError(
            f"expected a Decimal or a str, got {type(value).__name__}; "
            "use Money(amount, currency) for an integer number of minor units"
        )
    _check_finite_decimal(parsed, "value")
    if parsed and parsed.adjusted() >= _MAX_INTEGER_DIGITS:
        raise ValueError(f"{value} is too large for an amount")
    return parsed


def _minor_units_to_decimal(minor_units: int, exponent: int) -> Decimal:
    # Built from a string so that it is exact however many digits the amount has.
    return Decimal(f"{minor_units}e-{exponent}")


def _round_to_integer(value: Decimal, rounding: str, *, shift: int = 0) -> int:
    """Round ``value * 10**shift`` to an integer with ``rounding``, exactly, whatever its size."""
    # Both steps are bound by the context precision: scaleb would round a long coefficient,
    # and quantize signals InvalidOperation when the result has more digits than the
    # precision. Raising the precision to fit the value keeps the single rounding below.
    with localcontext() as context:
        context.prec = max(context.prec, len(value.as_tuple().digits), value.adjusted() + shift + 2)
        return int(value.scaleb(shift).quantize(Decimal(1), rounding=rounding))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of one currency: ``Money(123450, "MAD")`` is 1,234.50 MAD.

    Invariants: ``amount`` is an ``int`` (never ``bool``, ``float`` or ``Decimal``) and
    ``currency`` is one of ``SUPPORTED_CURRENCIES``. Instances are immutable and hashable;
    ``==`` compares amount and currency, so amounts in different currencies are never equal.
    """

    amount: int
    currency: str

    def __post_init__(self) -> None:
        # The exact types first (an `int`, a `str`): the common case costs two checks.
        if type(self.amount) is int and type(self.currency) is str and self.currency in _EXPONENTS:
            return
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(
                f"Money amount must be an int of minor units, got {type(self.amount).__name__}; "
                "use Money.from_decimal() for decimal values"
            )
        _check_currency(self.currency)

    # Constructors

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return nothing in ``currency``."""
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | str, currency: str) -> Money:
        """Build from major units (``"1234.50"``), refusing any value finer than a minor unit.

        ``"12.345"`` MAD raises ``ValueError``: a price with a fraction of a centime is a bug
        upstream, and rounding it here would hide it. Trailing zeros are fine (``"12.500"``).
        """
        parsed = _parse_decimal(value)
        exponent = minor_unit_exponent(currency)
        minor_units = _round_to_integer(parsed, ROUND_DOWN, shift=exponent)
        # Decimal comparison is exact: any digit below the minor unit makes them differ.
        if _minor_units_to_decimal(minor_units, exponent) != parsed:
            raise ValueError(
                f"{value} has more decimal places than {currency} allows ({exponent}); "
                "use Money.from_decimal_rounded() if rounding is intended"
            )
        return cls(minor_units, currency)

    @classmethod
    def from_decimal_rounded(
        cls, value: Decimal | str, currency: str, *, rounding: str = ROUND_HALF_UP
    ) -> Money:
        """Build from major units, rounding to the nearest minor unit (half up by default).

        This is for values that legitimately carry more digits than the currency, such as an
        amount converted at an FX rate (``Decimal("12.3456")``): the rounding is then a
        decision made at the call site, not an accident of storage.
        """
        _check_rounding(rounding)
        parsed = _parse_decimal(value)
        exponent = minor_unit_exponent(currency)
        return cls(_round_to_integer(parsed, rounding, shift=exponent), currency)

    # Conversions

    def to_decimal(self) -> Decimal:
        """Return the amount in major units with the currency's exponent: ``Decimal("1234.50")``."""
        return _minor_units_to_decimal(self.amount, _EXPONENTS[self.currency])

    def __str__(self) -> str:
        return f"{self.to_decimal()} {self.currency}"

    # Predicates

    def is_zero(self) -> bool:
        """Return whether the amount is zero."""
        return self.amount == 0

    def is_positive(self) -> bool:
        """Return whether the amount is strictly greater than zero."""
        return self.amount > 0

    def is_negative(self) -> bool:
        """Return whether the amount is strictly less than zero."""
        return self.amount < 0

    def __bool__(self) -> bool:
        return self.amount != 0

    # Arithmetic

    def _same_currency_amount(self, other: object, operation: str) -> int:
        if not isinstance(other, Money):
            raise TypeError(
                f"cannot {operation} Money and {type(other).__name__}; both operands must be Money"
            )
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot {operation} {self.currency} and {other.currency} amounts"
            )
        return other.amount

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same_currency_amount(other, "add"), self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same_currency_amount(other, "subtract"), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError(
                f"Money can only be multiplied by an int, got {type(factor).__name__}; "
                "use Money.multiply(rate) for a Decimal rate with explicit rounding"
            )
        return Money(self.amount * factor, self.currency)

    def __rmul__(self, factor: int) -> Money:
        return self.__mul__(factor)

    def multiply(self, rate: Decimal, *, rounding: str = ROUND_HALF_UP) -> Money:
        """Apply a ``Decimal`` rate (FX, commission, tax) and round to a whole minor unit.

        The product is computed exactly and rounded once, with ``rounding`` (a ``decimal.ROUND_*``
        constant, ``ROUND_HALF_UP`` by default: ties away from zero). Store the rate beside the
        result so that it can be recomputed.
        """
        if not isinstance(rate, Decimal):
            raise TypeError(f"rate must be a Decimal, got {type(rate).__name__}")
        _check_finite_decimal(rate, "rate")
        _check_rounding(rounding)
        # Exact product: the coefficient of a product never has more digits than the sum of
        # the operands' digit counts.
        with localcontext() as context:
            context.prec = max(
                context.prec, len(str(abs(self.amount))) + len(rate.as_tuple().digits) + 1
            )
            product = Decimal(self.amount) * rate
        return Money(_round_to_integer(product, rounding), self.currency)

    # Ordering: only between amounts of the same currency.

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency_amount(other, "compare")

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency_amount(other, "compare")

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency_amount(other, "compare")

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency_amount(other, "compare")

    # Splitting

    def allocate(self, ratios: Sequence[int | Decimal]) -> list[Money]:
        """Split in proportion to ``ratios`` so that the parts add up exactly to ``self``.

        Largest-remainder method: each part first gets the floor of its exact share, then the
        minor units left over go one each to the parts with the largest fractional remainder,
        ties going to the earliest part. Every part is therefore within one minor unit of its
        exact share, and a part with ratio 0 gets exactly zero. A negative amount is split as
        its absolute value and negated, so ``(-m).allocate(r) == [-p for p in m.allocate(r)]``.

        ``Money(100, "MAD").allocate([1, 1, 1])`` gives 34, 33 and 33 centimes.

        Raises ``ValueError`` if ``ratios`` is empty, has a negative ratio or only zeros, and
        ``TypeError`` for a ratio that is not an ``int`` or a ``Decimal``.
        """
        weights = _integer_weights(ratios)
        total_weight = sum(weights)
        magnitude = abs(self.amount)
        shares = [divmod(magnitude * weight, total_weight) for weight in weights]
        parts = [floor for floor, _ in shares]
        leftover = magnitude - sum(parts)
        by_remainder = sorted(range(len(shares)), key=lambda index: (-shares[index][1], index))
        for index in by_remainder[:leftover]:
            parts[index] += 1
        sign = -1 if self.amount < 0 else 1
        return [Money(sign * part, self.currency) for part in parts]

    def split(self, count: int) -> list[Money]:
        """Split into ``count`` parts as equal as possible, the larger parts first."""
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError(f"count must be an int, got {type(count).__name__}")
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        return self.allocate([1] * count)


def _integer_weights(ratios: Sequence[int | Decimal]) -> list[int]:
    """Scale ratios to integers with the same proportions, so the split is exact arithmetic."""
    if not ratios:
        raise ValueError("ratios must not be empty")
    fractions: list[tuple[int, int]] = []
    for ratio in ratios:
        if isinstance(ratio, Decimal):
            _check_finite_decimal(ratio, "ratio")
            fractions.append(ratio.as_integer_ratio())
        elif isinstance(ratio, int) and not isinstance(ratio, bool):
            fractions.append((ratio, 1))
        else:
            raise TypeError(f"ratios must be int or Decimal, got {type(ratio).__name__}")
        if ratio < 0:
            raise ValueError(f"ratios must not be negative, got {ratio}")
    common_denominator = math.lcm(*(denominator for _, denominator in fractions))
    weights = [
        numerator * (common_denominator // denominator) for numerator, denominator in fractions
    ]
    if not any(weights):
        raise ValueError("at least one ratio must be greater than zero")
    return weights


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """Add up ``items``, all in ``currency``; an empty iterable gives zero in ``currency``.

    The currency is a parameter so that an empty sum still has one, and a stray amount in
    another currency raises ``CurrencyMismatch`` instead of changing the result's currency.
    """
    total = Money.zero(currency)
    for item in items:
        total += item
    return total


def format_money(money: Money, locale: str) -> str:
    """Format for people with babel's CLDR data for ``locale`` (``"fr_MA"`` -> ``1 234,50 MAD``).

    Digits follow the numbering system that the locale's data names as its default.
    """
    return _formatted(money, locale)


# Babel's formatting is some 0.1 ms a price, and a listing page shows 24 of them: the text of
# an amount in a locale never changes, so the recent ones are kept.
@functools.lru_cache(maxsize=4096)
def _formatted(money: Money, locale: str) -> str:
    return format_currency(
        money.to_decimal(), money.currency, locale=locale, numbering_system="default"
    )


def format_money_for_language(money: Money, language_code: str) -> str:
    """Format for a Django language code (``"fr"``, ``"fr-fr"``, ``"ar"``); others use en_US."""
    primary = language_code.replace("_", "-").split("-", 1)[0].lower()
    return format_money(money, LANGUAGE_LOCALES.get(primary, DEFAULT_LOCALE))
