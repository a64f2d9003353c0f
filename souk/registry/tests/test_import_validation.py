"""The pure parts of the import: header matching, row validation, content hash, phones."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from souk.accounts.phones import normalize_phone
from souk.registry.importing import (
    ReferenceCodes,
    SourceRefused,
    ValidRow,
    phone_to_e164,
    resolve_header,
    validate_row,
)
from souk.registry.importing.report import spreadsheet_safe
from souk.registry.tests.register_files import artisan, company

REFERENCE = ReferenceCodes(
    trade_codes=frozenset({"S01-T02", "S06-T01", "S07-T01"}),
    region_codes=frozenset(f"{code:02d}" for code in range(1, 13)),
    today=date(2026, 1, 15),
)


def errors_of(values: dict[str, str]) -> list[tuple[str, str]]:
    result = validate_row(values, reference=REFERENCE)
    assert isinstance(result, list)
    with translation.override("en"):
        return [(error.field_name, error.reason()) for error in result]


def test_a_valid_row_comes_back_normalised():
    # when
    result = validate_row(
        artisan(
            " RNA/2023-0007 ",
            category="MAITRE-ARTISAN",
            cin=" jb 4567 ",
            first_name_fr="  Fatima   Zahra ",
            phone="00212-6-12-34-56-78",
            trade_code="s01-t02",
            region_code="9",
            birth_date="1/2/1980",
            status="Actif",
        ),
        reference=REFERENCE,
    )

    # then
    assert result == ValidRow(
        register_number="RNA/2023-0007",
        category="maitre_artisan",
        qualification="diplome",
        cin="JB4567",
        last_name_fr="BENNANI",
        first_name_fr="Fatima Zahra",
        last_name_ar="بناني",
        first_name_ar="أمينة",
        legal_name_fr="",
        legal_name_ar="",
        ice="",
        birth_date=date(1980, 2, 1),
        phone="+212612345678",
        trade_code="S01-T02",
        region_code="09",
        province="Safi",
        commune="Safi",
        registered_at=date(2023, 3, 1),
        status="active",
    )


def test_every_broken_rule_of_a_row_is_listed_in_column_order():
    assert errors_of(
        artisan(
            "RN",
            cin="",
            birth_date="",
            trade_code="S99-T99",
            registered_at="2026-01-16",
            status="?",
        )
    ) == [
        (
            "register_number",
            "A register number has 4 to 32 characters: letters, digits, “-” or “/”.",
        ),
        ("cin", "Required for an artisan or a master artisan."),
        ("registered_at", "The registration date 2026-01-16 is in the future."),
        ("birth_date", "Required for an artisan or a master artisan."),
        ("trade_code", "Unknown trade code “S99-T99”."),
        (
            "status",
            "Unknown status “?”: use active, suspended or struck_off (actif, suspendu, radié).",
        ),
    ]


def test_required_columns_left_empty_are_reported_as_required():
    assert errors_of(
        {"register_number": "", "category": "", "trade_code": "", "region_code": ""}
    ) == [
        ("register_number", "This field is required."),
        ("category", "This field is required."),
        ("registered_at", "This field is required."),
        ("trade_code", "This field is required."),
        ("region_code", "This field is required."),
    ]


@pytest.mark.parametrize(
    ("birth_date", "is_valid"),
    [
        ("2008-03-01", True),  # 15 on the registration day
        ("2008-03-02", False),  # 15 the day after
        ("1923-03-01", True),  # 100
        ("1922-03-01", False),  # 101
    ],
)
def test_age_on_the_registration_date_is_between_15_and_100(birth_date, is_valid):
    result = validate_row(artisan(birth_date=birth_date), reference=REFERENCE)
    assert isinstance(result, ValidRow) is is_valid


def test_a_person_with_only_the_arabic_names_is_valid():
    result = validate_row(artisan(first_name_fr="", last_name_fr=""), reference=REFERENCE)
    assert isinstance(result, ValidRow)


def test_a_company_needs_no_person_fields_but_an_ice():
    assert isinstance(validate_row(company(), reference=REFERENCE), ValidRow)
    assert errors_of(company(ice="0015611910000A6")) == [("ice", "An ICE is 15 digits.")]


def test_content_hash_is_32_hex_digits_and_changes_with_any_value():
    # given
    row = validate_row(artisan(), reference=REFERENCE)
    same = validate_row(artisan(phone="+212612345678"), reference=REFERENCE)
    other = validate_row(artisan(commune="Safi-Ville"), reference=REFERENCE)
    assert isinstance(row, ValidRow)
    assert isinstance(same, ValidRow)
    assert isinstance(other, ValidRow)

    # then: the same values written differently hash the same; any change shows
    assert len(row.content_hash()) == 32
    assert int(row.content_hash(), 16) >= 0
    assert row.content_hash() == same.content_hash()
    assert row.content_hash() != other.content_hash()


@pytest.mark.parametrize(
    "writing",
    [
        "06 12 34 56 78",
        "0612345678",
        "+212612345678",
        "+212 6 12 34 56 78",
        "00212612345678",
        "06-12-34-56-78",
        "06.12.34.56.78",
        "05 22 01 23 45",
        "0722334455",
        "+212 (0)6 12 34 56 78",
        "212612345678",
        "0812345678",
        "06 12 34 56",
        "0612345678901",
        "+33 6 12 34 56 78",
        "phone",
    ],
)
def test_the_fast_phone_reading_agrees_with_normalize_phone(writing):
    try:
        expected: str | None = normalize_phone(writing)
    except ValidationError:
        expected = None
    try:
        actual: str | None = phone_to_e164(writing)
    except ValidationError:
        actual = None
    assert actual == expected


def test_header_names_match_in_any_case_with_or_without_accents_in_french_or_english():
    header = resolve_header(
        ["Numéro Registre", "CATEGORY", "code-métier", "Code_Region", "date_inscription", "Notes"]
    )
    assert header.positions == {
        "register_number": 0,
        "category": 1,
        "trade_code": 2,
        "region_code": 3,
        "registered_at": 4,
    }
    assert header.column_name("trade_code") == "code-métier"


def test_a_header_naming_one_column_twice_is_refused():
    with pytest.raises(SourceRefused) as raised:
        resolve_header(
            [
                "register_number",
                "numero_registre",
                "category",
                "trade_code",
                "region_code",
                "registered_at",
            ]
        )
    with translation.override("en"):
        text = raised.value.text()
    assert text == (
        "The columns “register_number” and “numero_registre” are the same column; keep one."
    )


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("+212 6 12 34 56 78", "+212 6 12 34 56 78"),
        ("-12", "-12"),
        ("Fès", "Fès"),
    ],
)
def test_report_cells_that_a_spreadsheet_would_run_are_quoted(value, safe):
    assert spreadsheet_safe(value) == safe
