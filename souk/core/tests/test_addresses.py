"""Addresses of the four main destinations: Morocco, France, Spain and the USA."""

from __future__ import annotations

import pytest
from django.utils import translation

from souk.core.addresses import (
    SPANISH_PROVINCES,
    US_STATES,
    PostalAddress,
)
from souk.core.addresses.forms import AddressForm
from souk.core.tests.addresses_samples import (
    FRANCE,
    MOROCCO,
    SPAIN,
    USA,
    bound,
    errors_in_english,
    region_choices,
)

# Morocco


@pytest.mark.django_db
def test_moroccan_address_is_cleaned_and_written_city_then_postal_code():
    # given
    form = bound(MOROCCO, full_name="  Amina   El  Idrissi ")

    # when
    with translation.override("en"):
        assert form.is_valid(), form.errors
        address = form.to_address()
        lines = address.lines()

    # then
    assert address == PostalAddress(
        full_name="Amina El Idrissi",
        line1="12 rue Ibn Batouta",
        line2="",
        city="Casablanca",
        region="06",
        postal_code="20250",
        country="MA",
        phone="+212612345678",
    )
    assert lines == ["Amina El Idrissi", "12 rue Ibn Batouta", "Casablanca 20250", "Morocco"]


@pytest.mark.django_db
def test_moroccan_region_and_postal_code_are_optional():
    form = bound(MOROCCO, region="", postal_code="")

    assert form.is_valid(), form.errors
    address = form.to_address()
    assert (address.region, address.postal_code) == ("", "")
    with translation.override("en"):
        assert address.lines()[-2:] == ["Casablanca", "Morocco"]


@pytest.mark.django_db
def test_moroccan_regions_come_from_the_register_in_the_active_language():
    with translation.override("fr"):
        form = AddressForm(initial={"country": "MA"})

    region = form.fields["region"]
    with translation.override("en"):
        assert str(region.label) == "Region"
    assert not region.required
    with translation.override("fr"):
        choices = region_choices(form)
    assert [code for code, _name in choices][1:] == [f"{n:02d}" for n in range(1, 13)]
    assert ("06", "Casablanca-Settat") in choices
    assert ("01", "Tanger-Tétouan-Al Hoceïma") in choices


@pytest.mark.django_db
def test_moroccan_postal_code_must_have_five_digits():
    form = bound(MOROCCO, postal_code="2025")

    assert not form.is_valid()
    assert errors_in_english(form) == {"postal_code": ["Enter a 5-digit postal code, e.g. 20250."]}


@pytest.mark.django_db
def test_moroccan_address_refuses_a_french_phone_number():
    form = bound(MOROCCO, phone="+33 6 12 34 56 78")

    assert not form.is_valid()
    assert errors_in_english(form) == {"phone": ["This phone number is not valid for Morocco."]}


@pytest.mark.django_db
def test_moroccan_phone_accepts_the_international_prefix_00():
    form = bound(MOROCCO, phone="00212 6 12 34 56 78")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+212612345678"


@pytest.mark.django_db
def test_unknown_region_code_is_refused():
    form = bound(MOROCCO, region="13")

    assert not form.is_valid()
    assert list(form.errors) == ["region"]


# France


def test_french_address_with_a_french_mobile_is_written_postal_code_then_city():
    form = bound(FRANCE, postal_code="75 011")

    with translation.override("fr"):
        assert form.is_valid(), form.errors
        address = form.to_address()
        lines = address.lines()

    assert address.phone == "+33612345678"
    assert address.postal_code == "75011"
    assert address.region == ""
    assert lines == [
        "Claire Martin",
        "8 rue de la Roquette",
        "Bâtiment B",
        "75011 Paris",
        "France",
    ]


def test_french_form_has_no_region_field():
    form = AddressForm(initial={"country": "FR"})

    assert "region" not in form.fields
    assert form.fields["postal_code"].required


def test_french_address_refuses_a_us_phone_number():
    form = bound(FRANCE, phone="+1 202 456 1111")

    assert not form.is_valid()
    assert errors_in_english(form) == {"phone": ["This phone number is not valid for France."]}


@pytest.mark.parametrize("postal_code", ["7501", "750111", "75O11", "ABCDE"])
def test_french_postal_code_must_have_five_digits(postal_code):
    form = bound(FRANCE, postal_code=postal_code)

    assert not form.is_valid()
    assert errors_in_english(form) == {"postal_code": ["Enter a 5-digit postal code, e.g. 75011."]}


def test_french_postal_code_is_required():
    form = bound(FRANCE, postal_code="  ")

    assert not form.is_valid()
    assert errors_in_english(form) == {"postal_code": ["Enter the postal code."]}


# Spain


def test_spanish_address_is_written_without_province_line_when_it_is_the_city():
    form = bound(SPAIN)

    with translation.override("es"):
        assert form.is_valid(), form.errors
        address = form.to_address()
        lines = address.lines()

    assert address.phone == "+34612345678"
    assert address.region == "28"
    assert lines == ["Lucía García", "Calle Mayor 5", "28013 Madrid", "España"]


def test_spanish_address_writes_the_province_below_another_city():
    form = bound(SPAIN, city="Sabadell", region="08", postal_code="08201")

    with translation.override("en"):
        assert form.is_valid(), form.errors
        lines = form.to_address().lines()

    assert lines == ["Lucía García", "Calle Mayor 5", "08201 Sabadell", "Barcelona", "Spain"]


def test_spanish_province_is_required():
    form = bound(SPAIN, region="")

    assert not form.is_valid()
    assert errors_in_english(form) == {"region": ["Choose a province."]}


@pytest.mark.parametrize("postal_code", ["53001", "00123", "2801"])
def test_spanish_postal_code_starts_with_a_province_code(postal_code):
    form = bound(SPAIN, postal_code=postal_code)

    assert not form.is_valid()
    assert errors_in_english(form) == {
        "postal_code": ["Enter a 5-digit postal code starting with 01 to 52, e.g. 28013."]
    }


def test_spanish_postal_code_must_be_in_the_chosen_province():
    form = bound(SPAIN, postal_code="08001")

    assert not form.is_valid()
    assert errors_in_english(form) == {
        "postal_code": ["This postal code is not in the province of Madrid."]
    }


def test_spanish_provinces_are_the_fifty_and_ceuta_and_melilla():
    form = AddressForm(initial={"country": "ES"})

    choices = region_choices(form)
    assert len(SPANISH_PROVINCES) == 52
    assert {code for code, _name in choices} == {"", *SPANISH_PROVINCES}
    assert ("51", "Ceuta") in choices
    assert ("52", "Melilla") in choices
    assert form.fields["region"].required


# United States


def test_us_address_is_written_city_state_zip():
    form = bound(USA, postal_code="20500-0003")

    with translation.override("en"):
        assert form.is_valid(), form.errors
        address = form.to_address()
        lines = address.lines()

    assert address.phone == "+12024561111"
    assert lines == [
        "John Smith",
        "1600 Pennsylvania Avenue NW",
        "Washington, DC 20500-0003",
        "United States",
    ]


def test_us_state_is_required():
    form = bound(USA, region="")

    assert not form.is_valid()
    assert errors_in_english(form) == {"region": ["Choose a state."]}


@pytest.mark.parametrize("postal_code", ["2050", "20500-12", "205001234", "ABCDE"])
def test_us_zip_code_is_five_digits_or_zip_plus_four(postal_code):
    form = bound(USA, postal_code=postal_code)

    assert not form.is_valid()
    assert errors_in_english(form) == {
        "postal_code": ["Enter a 5-digit ZIP code or a ZIP+4 code, e.g. 90210."]
    }


def test_us_zip_code_is_required_under_its_own_name():
    form = bound(USA, postal_code="")

    assert not form.is_valid()
    assert errors_in_english(form) == {"postal_code": ["Enter the ZIP code."]}


def test_us_form_is_labelled_state_and_zip_code():
    with translation.override("en"):
        form = AddressForm(initial={"country": "US"})
        labels = {name: str(field.label) for name, field in form.fields.items()}

    assert labels["region"] == "State"
    assert labels["postal_code"] == "ZIP code"
    assert len(US_STATES) == 51
    assert ("DC", "District of Columbia") in region_choices(form)
    assert "inputmode" not in form.fields["postal_code"].widget.attrs


def test_us_address_refuses_a_moroccan_phone_number():
    form = bound(USA, phone="+212 6 12 34 56 78")

    assert not form.is_valid()
    assert errors_in_english(form) == {
        "phone": ["This phone number is not valid for United States."]
    }


# Other countries
