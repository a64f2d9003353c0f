"""RIB to IBAN and the IBAN check (ISO 13616, ISO 7064 MOD 97-10)."""

from __future__ import annotations

import pytest
from django.conf import settings

from souk.ledger.payouts.iban import is_valid_iban, rib_to_iban
from souk.shops.tests.factories import VALID_RIB


def test_rib_to_iban_matches_the_hand_computed_example():
    # given: the RIB 011519000001205000534921 (its key checks: the number is a multiple of 97)
    # By hand: BBAN + "MA" as digits (M=22, A=10) + "00" = 011519000001205000534921 221000.
    # The RIB is 0 mod 97, and 10^6 = 1 mod 97 times 0 stays 0, so the remainder is that of
    # 221000: 221000 = 97 * 2278 + 34. Check digits = 98 - 34 = 64.
    # when
    iban = rib_to_iban(VALID_RIB)
    # then
    assert iban == "MA64011519000001205000534921"
    assert is_valid_iban(iban)


def test_every_valid_moroccan_rib_gets_check_digits_64():
    # The RIB key makes the BBAN a multiple of 97, so only "MA00" decides the check digits.
    assert rib_to_iban("011780000000012345678933")[:4] == "MA64"


@pytest.mark.parametrize("rib", ["", "1234", "01151900000120500053492A", "0" * 25, "\u0660" * 24])
def test_rib_to_iban_refuses_what_is_not_24_ascii_digits(rib):
    with pytest.raises(ValueError, match="24 digits"):
        rib_to_iban(rib)


@pytest.mark.parametrize(
    "iban",
    [
        "MA65011519000001205000534921",  # check digits off by one
        "MA64011519000001205000534922",  # a digit changed
        "MA6401151900000120500053492",  # one digit short
        "ma64011519000001205000534921",  # lower case
    ],
)
def test_is_valid_iban_refuses_wrong_numbers(iban):
    assert not is_valid_iban(iban)


def test_known_foreign_iban_is_valid():
    # The example IBAN of the ISO 13616 registry for Germany.
    assert is_valid_iban("DE89370400440532013000")


def test_default_debtor_iban_is_a_valid_moroccan_iban():
    assert is_valid_iban(settings.SOUK_PAYOUT_DEBTOR_IBAN)
    assert settings.SOUK_PAYOUT_DEBTOR_IBAN.startswith("MA")
    assert len(settings.SOUK_PAYOUT_DEBTOR_IBAN) == 28
