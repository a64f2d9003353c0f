"""Addresses of other countries, the country menu, phone numbers and refitting the form."""

from __future__ import annotations

import pytest
from django.utils import translation

from souk.core.addresses import (
    COUNTRY_CODES,
    COUNTRY_RULES,
    EU_COUNTRIES,
    country_choices,
    normalize_phone_for_country,
)
from souk.core.addresses.forms import AddressForm
from souk.core.tests.addresses_samples import (
    FRANCE,
    JAPAN,
    MOROCCO,
    USA,
    bound,
    errors_in_english,
)


def test_japanese_address_with_a_japanese_phone_is_accepted_and_written_generically():
    form = bound(JAPAN)

    with translation.override("en"):
        assert form.is_valid(), form.errors
        address = form.to_address()
        lines = address.lines()

    assert address.phone == "+819012345678"
    assert address.region == ""
    assert lines == ["Yuki Tanaka", "1-1 Chiyoda", "100-0001 Tokyo", "Japan"]


def test_generic_country_has_no_region_and_an_optional_postal_code():
    form = AddressForm(initial={"country": "DE"})

    assert "region" not in form.fields
    assert not form.fields["postal_code"].required


def test_generic_postal_code_is_upper_cased_and_its_spaces_collapsed():
    form = bound(
        JAPAN, country="GB", city="London", postal_code=" sw1a   1aa ", phone="020 7946 0000"
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["postal_code"] == "SW1A 1AA"


def test_generic_postal_code_refuses_other_characters():
    form = bound(JAPAN, postal_code="100/0001")

    assert not form.is_valid()
    assert list(form.errors) == ["postal_code"]


def test_german_address_refuses_a_japanese_phone_number():
    form = bound(JAPAN, country="DE", city="Berlin", postal_code="10115")

    assert not form.is_valid()
    assert errors_in_english(form) == {"phone": ["This phone number is not valid for Germany."]}


def test_unknown_country_is_refused_without_checking_the_phone():
    form = bound(FRANCE, country="XX")

    assert not form.is_valid()
    assert list(form.errors) == ["country"]


def test_to_address_needs_a_valid_form():
    form = bound(FRANCE, city="")

    with pytest.raises(ValueError, match="valid form"):
        form.to_address()


# Languages


@pytest.mark.django_db
def test_errors_in_french_are_given_for_the_right_fields():
    # given
    form = bound(USA, region="", postal_code="123", phone="+33 6 12 34 56 78")

    # when
    with translation.override("fr"):
        is_valid = form.is_valid()
        errors = form.errors.as_data()
        params = errors["phone"][0].params
        assert params is not None
        country_in_message = str(params["country"])

    # then
    assert not is_valid
    assert sorted(errors) == ["phone", "postal_code", "region"]
    assert [error.code for error in errors["phone"]] == ["invalid_phone_for_country"]
    assert [error.code for error in errors["postal_code"]] == ["invalid_postal_code"]
    assert [error.code for error in errors["region"]] == ["required"]
    # The country is named in the language the form was checked in.
    assert country_in_message == "États-Unis"


def test_country_choices_put_the_four_main_destinations_first_then_sort_by_name():
    with translation.override("fr"):
        choices = country_choices()

    codes = [code for code, _name in choices]
    names = [name for _code, name in choices]
    assert choices[:4] == [
        ("MA", "Maroc"),
        ("FR", "France"),
        ("ES", "Espagne"),
        ("US", "États-Unis"),
    ]
    assert len(codes) == len(set(codes)) == len(COUNTRY_CODES)
    # Accented names sort with their letter, not after Z.
    assert names.index("Allemagne") < names.index("Égypte") < names.index("Finlande")


def test_country_choices_are_only_countries():
    codes = {code for code, _name in country_choices()}

    assert {"DE", "JP", "GB", "SN", "CA"} <= codes
    assert not codes & {"001", "150", "EU", "EZ", "UN", "ZZ", "QO", "EH"}
    assert all(len(code) == 2 and code.isalpha() for code in codes)


def test_country_choices_follow_the_active_language():
    with translation.override("ar"):
        arabic = dict(country_choices())
    with translation.override("es"):
        spanish = dict(country_choices())

    assert arabic["MA"] == "المغرب"
    assert spanish["DE"] == "Alemania"


# Data


def test_eu_countries_are_the_twenty_seven_member_states():
    assert len(EU_COUNTRIES) == 27
    assert {"FR", "ES", "DE", "GR", "HR", "CY"} <= EU_COUNTRIES
    assert not EU_COUNTRIES & {"GB", "MA", "CH", "NO", "EL"}
    assert EU_COUNTRIES <= COUNTRY_CODES


def test_country_rules_cover_the_main_destinations():
    assert {"MA", "FR", "ES", "US"} <= set(COUNTRY_RULES)


def test_phone_is_normalised_to_e164_for_its_country():
    assert normalize_phone_for_country("06 12 34 56 78", country="FR") == "+33612345678"
    assert normalize_phone_for_country("0612345678", country="MA") == "+212612345678"


# Form fitting and template


@pytest.mark.django_db
def test_form_fits_the_country_it_is_given_in_initial_or_data():
    assert AddressForm().selected_country == "MA"
    assert AddressForm(initial={"country": "US"}).selected_country == "US"
    assert AddressForm(data={"country": "es"}).selected_country == "ES"
    assert AddressForm(data={"addr-country": "FR"}, prefix="addr").selected_country == "FR"


def test_refitted_form_keeps_the_typed_values_but_not_the_region_of_the_previous_country():
    # given: the buyer typed a Moroccan address in Casablanca-Settat (06), then chose Spain,
    # where 06 is Badajoz
    data = {**MOROCCO, "country": "ES"}

    # when
    form = AddressForm.refitted(data)

    # then
    assert not form.is_bound
    assert form.selected_country == "ES"
    assert form.initial["full_name"] == "Amina El Idrissi"
    assert "region" not in form.initial
    assert form.fields["region"].required
