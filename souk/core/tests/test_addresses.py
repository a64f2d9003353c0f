from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from souk.core.addresses import (
    COUNTRY_CODES,
    COUNTRY_RULES,
    EU_COUNTRIES,
    SPANISH_PROVINCES,
    US_STATES,
    AddressForm,
    PostalAddress,
    country_choices,
    normalize_phone_for_country,
)

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "orders/templates/orders/_address_fields.html"

MOROCCO = {
    "full_name": "Amina El Idrissi",
    "line1": "12 rue Ibn Batouta",
    "line2": "",
    "city": "Casablanca",
    "region": "06",
    "postal_code": "20250",
    "country": "MA",
    "phone": "06 12 34 56 78",
}
FRANCE = {
    "full_name": "Claire Martin",
    "line1": "8 rue de la Roquette",
    "line2": "Bâtiment B",
    "city": "Paris",
    "postal_code": "75011",
    "country": "FR",
    "phone": "+33 6 12 34 56 78",
}
SPAIN = {
    "full_name": "Lucía García",
    "line1": "Calle Mayor 5",
    "line2": "",
    "city": "Madrid",
    "region": "28",
    "postal_code": "28013",
    "country": "ES",
    "phone": "612 34 56 78",
}
USA = {
    "full_name": "John Smith",
    "line1": "1600 Pennsylvania Avenue NW",
    "line2": "",
    "city": "Washington",
    "region": "DC",
    "postal_code": "20500",
    "country": "US",
    "phone": "(202) 456-1111",
}
JAPAN = {
    "full_name": "Yuki Tanaka",
    "line1": "1-1 Chiyoda",
    "line2": "",
    "city": "Tokyo",
    "postal_code": "100-0001",
    "country": "JP",
    "phone": "090-1234-5678",
}


def bound(base: dict[str, str], **changes: str) -> AddressForm:
    return AddressForm(data={**base, **changes})


def region_choices(form: AddressForm) -> list[tuple[str, str]]:
    field = form.fields["region"]
    assert isinstance(field, forms.ChoiceField)
    choices: Any = field.choices
    return [(str(code), str(name)) for code, name in choices]


def errors_in_english(form: AddressForm) -> dict[str, list[str]]:
    with translation.override("en"):
        return {
            field: [str(message) for message in messages] for field, messages in form.errors.items()
        }


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


def render_fields(form: AddressForm) -> str:
    template = engines["django"].from_string(TEMPLATE_PATH.read_text(encoding="utf-8"))
    return template.render({"form": form, "address_fields_url": "/checkout/address-fields/"})


@pytest.mark.django_db
def test_template_renders_autocomplete_and_htmx_for_the_country():
    html = render_fields(AddressForm(initial={"country": "MA"}))

    assert 'id="address-fields"' in html
    # POST, so what the buyer typed never ends up in a URL or an access log.
    assert 'hx-post="/checkout/address-fields/"' in html
    assert 'hx-target="#address-fields"' in html
    assert 'hx-include="closest form"' in html
    assert 'hx-trigger="change"' in html
    assert '<option value="MA" selected>' in html
    for token in (
        "name",
        "address-line1",
        "address-line2",
        "address-level2",
        "address-level1",
        "postal-code",
        "country",
        "tel",
    ):
        assert f'autocomplete="{token}"' in html
    assert 'type="tel"' in html
    assert 'inputmode="numeric"' in html
    assert "left" not in html
    assert "right" not in html


def test_template_ties_errors_to_their_fields():
    form = bound(FRANCE, postal_code="123", country="FR")
    form.is_valid()

    html = render_fields(form)

    assert 'id="id_postal_code_error"' in html
    assert 'aria-describedby="id_postal_code_helptext id_postal_code_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'autocomplete="address-level1"' not in html
