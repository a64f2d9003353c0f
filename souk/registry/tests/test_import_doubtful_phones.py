"""Issue #17: a phone outside the allocated ranges never keeps an artisan out of the register.

Only identity fields (register number, CIN, names, trade, region, dates) reject a row; a phone
that phonenumbers does not know as allocated (Moroccan mobiles 0683…, 0686…) is left out of
the entry and listed in the report as a warning.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from souk.accounts.tests.factories import make_user
from souk.registry import services
from souk.registry.models import RegisterEntry, RegisterImport
from souk.registry.tests.register_files import (
    artisan,
    cooperative,
    import_register,
    report_rows,
    write_register,
)

pytestmark = pytest.mark.django_db

LEFT_OUT = (
    "Not a phone number in use (malformed, or outside the allocated ranges): the entry is "
    "kept without it."
)


def test_an_entry_with_an_unallocated_mobile_is_imported_without_it_and_can_claim(tmp_path):
    # given: two artisans with mobiles phonenumbers does not know yet, one with a good one
    path = write_register(
        tmp_path / "register.csv",
        [
            artisan("A-001", cin="AB100001", phone="06 83 12 34 56"),
            artisan("A-002", cin="AB100002"),
            cooperative("C-001", phone="+212 6 86 12 34 56"),
        ],
    )
    stdout = io.StringIO()

    # when: the real command imports the CSV file
    call_command("import_register", str(path), "--language", "en", stdout=stdout)

    # then: every entry is in the register, the doubtful phones left out
    register_import = RegisterImport.objects.get()
    phones = dict(RegisterEntry.objects.values_list("register_number", "phone"))
    assert phones == {"A-001": "", "A-002": "+212612345678", "C-001": ""}
    assert (
        register_import.created_count,
        register_import.rejected_count,
        register_import.warning_count,
    ) == (3, 0, 2)
    assert report_rows(register_import) == [
        {"line": "2", "column": "phone", "value": "06 83 12 34 56", "reason": LEFT_OUT},
        {"line": "4", "column": "phone", "value": "+212 6 86 12 34 56", "reason": LEFT_OUT},
    ]
    lines = stdout.getvalue().splitlines()
    assert "rejected 0." in lines[0]
    assert lines[1] == "2 entries imported without a doubtful phone (see the report)."

    # then: the artisan is in the register, so can claim the entry
    with translation.override("en"):
        entry = services.claim_register_entry(
            user=make_user(), register_number="A-001", cin="AB100001", ip_address="192.0.2.1"
        )
    assert entry.claimed_by_id is not None


def test_an_identity_field_still_rejects_the_row_and_a_doubtful_phone_is_listed_too(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv", [artisan("A-001", cin="", phone="0683123456"), artisan("A-002")]
    )

    # when
    register_import = import_register(path, "--language", "en")

    # then
    assert (register_import.created_count, register_import.rejected_count) == (1, 1)
    assert register_import.warning_count == 0
    assert [(row["line"], row["column"]) for row in report_rows(register_import)] == [
        ("2", "cin"),
        ("2", "phone"),
    ]
    assert list(RegisterEntry.objects.values_list("register_number", flat=True)) == ["A-002"]


def test_importing_the_same_file_again_keeps_the_entry_unchanged_and_warns_again(tmp_path):
    # given
    path = write_register(tmp_path / "register.csv", [artisan("A-001", phone="0683123456")])
    import_register(path)

    # when
    again = import_register(path, "--language", "en")

    # then
    assert (again.created_count, again.unchanged_count, again.warning_count) == (0, 1, 1)
    assert RegisterEntry.objects.get().phone == ""


def test_the_warning_is_written_in_the_language_of_the_import(tmp_path):
    # given
    path = write_register(tmp_path / "register.csv", [artisan("A-001", phone="0683123456")])

    # when
    register_import = import_register(path, "--language", "ar")

    # then
    with translation.override("ar"):
        expected = translation.gettext(LEFT_OUT)
    assert expected != LEFT_OUT
    assert [row["reason"] for row in report_rows(register_import)] == [expected]
