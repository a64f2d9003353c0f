"""Every currency Souk takes has its ISO 4217 numeric code, the one processors write."""

from __future__ import annotations

from souk.core.money import NUMERIC_CODES, SUPPORTED_CURRENCIES


def test_every_supported_currency_has_its_iso_numeric_code():
    assert set(NUMERIC_CODES) == set(SUPPORTED_CURRENCIES)
    assert NUMERIC_CODES == {"MAD": "504", "EUR": "978", "USD": "840"}
