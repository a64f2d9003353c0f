"""`import_register`: real files in tmp_path, the real database, the command as operators run it."""

from __future__ import annotations

import re
from datetime import date, timedelta

# openpyxl ships no type hints (types-openpyxl is not a dependency).
import pytest
from django.utils import timezone, translation

from souk.accounts.tests.factories import make_user
from souk.registry.models import RegisterEntry
from souk.registry.tests.register_files import (
    artisan,
    company,
    cooperative,
    counts,
    import_register,
    report_rows,
    snapshot,
    status_of,
    write_register,
)

pytestmark = pytest.mark.django_db


def test_import_creates_one_entry_per_row_with_normalised_values(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv",
        [
            artisan(
                "RNA-0001",
                category="Maître artisan",
                qualification="experience_10y",
                cin="ab 123456",
                last_name_fr="  BENNANI ",
                birth_date="12/04/1985",
                region_code="7",
                status="radié",
            ),
            cooperative("COOP-0001"),
            company("ENT-0001"),
        ],
    )

    # when
    register_import = import_register(path)

    # then
    assert register_import.status == "succeeded"
    assert counts(register_import) == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "rejected": 0,
    }
    assert (register_import.processed_rows, register_import.total_rows) == (3, 3)
    assert register_import.report_file.name == ""
    assert register_import.kind == "full"
    person = RegisterEntry.objects.get(register_number="RNA-0001")
    expected = {
        "register_number": "RNA-0001",
        "category": "maitre_artisan",
        "qualification": "experience_10y",
        "cin": "AB123456",
        "last_name_fr": "BENNANI",
        "first_name_fr": "Amina",
        "last_name_ar": "بناني",
        "first_name_ar": "أمينة",
        "legal_name_fr": "",
        "legal_name_ar": "",
        "ice": "",
        "birth_date": date(1985, 4, 12),
        "phone": "+212612345678",
        "trade_id": "S01-T02",
        "region_id": "07",
        "province": "Safi",
        "commune": "Safi",
        "registered_at": date(2023, 3, 1),
        "status": "struck_off",
    }
    assert {name: getattr(person, name) for name in expected} == expected
    assert re.fullmatch(r"[0-9a-f]{32}", person.content_hash)
    assert person.last_seen_import_id == register_import.pk
    assert person.created_at == person.updated_at
    assert person.claimed_by_id is None
    cooperative_entry = RegisterEntry.objects.get(register_number="COOP-0001")
    assert (cooperative_entry.category, cooperative_entry.status) == ("cooperative", "active")
    assert cooperative_entry.legal_name_ar == "تعاونية تافيلالت للزرابي"
    assert cooperative_entry.cin == ""
    assert cooperative_entry.birth_date is None
    assert RegisterEntry.objects.get(register_number="ENT-0001").ice == "001561191000066"


def test_importing_the_same_file_twice_changes_no_entry(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv",
        [artisan("A-0001"), artisan("A-0002", cin="C1"), cooperative(), company()],
    )
    import_register(path)
    before = snapshot()

    # when
    second = import_register(path)

    # then
    assert counts(second) == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "deactivated": 0,
        "rejected": 0,
    }
    assert snapshot() == before
    assert set(RegisterEntry.objects.values_list("last_seen_import_id", flat=True)) == {second.pk}


def test_newer_full_file_updates_changed_rows_and_deactivates_missing_ones(tmp_path):
    # given: three entries, the third claimed by its artisan
    import_register(
        write_register(tmp_path / "v1.csv", [artisan("A-001"), artisan("A-002"), artisan("A-003")])
    )
    user = make_user()
    claimed_at = timezone.now()
    RegisterEntry.objects.filter(register_number="A-003").update(
        claimed_by=user, claimed_at=claimed_at
    )
    before = {entry.register_number: entry for entry in RegisterEntry.objects.all()}

    # when: A-2 changed its phone, A-3 left the register, A-4 joined
    newer = write_register(
        tmp_path / "v2.csv",
        [artisan("A-001"), artisan("A-002", phone="+212 7 11 22 33 44"), artisan("A-004")],
    )
    register_import = import_register(newer)

    # then
    assert counts(register_import) == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "deactivated": 1,
        "rejected": 0,
    }
    after = {entry.register_number: entry for entry in RegisterEntry.objects.all()}
    assert after["A-001"].updated_at == before["A-001"].updated_at
    assert after["A-002"].phone == "+212711223344"
    assert after["A-002"].updated_at > before["A-002"].updated_at
    assert after["A-002"].content_hash != before["A-002"].content_hash
    assert after["A-003"].status == "inactive"
    assert (after["A-003"].claimed_by_id, after["A-003"].claimed_at) == (user.pk, claimed_at)
    assert after["A-004"].status == "active"


def test_partial_file_updates_what_it_lists_and_deactivates_nothing(tmp_path):
    # given
    import_register(
        write_register(tmp_path / "v1.csv", [artisan("A-001"), artisan("A-002"), artisan("A-003")])
    )

    # when
    delta = write_register(tmp_path / "delta.csv", [artisan("A-002", commune="Tiznit")])
    register_import = import_register(delta, "--partial")

    # then
    assert register_import.kind == "partial"
    assert counts(register_import) == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "deactivated": 0,
        "rejected": 0,
    }
    assert [status_of(number) for number in ("A-001", "A-002", "A-003")] == ["active"] * 3
    assert RegisterEntry.objects.get(register_number="A-002").commune == "Tiznit"


def test_an_inactive_entry_that_reappears_unchanged_takes_the_status_of_the_file(tmp_path):
    # given: A-2 left the register
    both = write_register(tmp_path / "v1.csv", [artisan("A-001"), artisan("A-002")])
    import_register(both)
    import_register(write_register(tmp_path / "v2.csv", [artisan("A-001")]))
    assert status_of("A-002") == "inactive"

    # when: it comes back with the very same row
    register_import = import_register(both)

    # then
    assert counts(register_import) == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "deactivated": 0,
        "rejected": 0,
    }
    assert status_of("A-002") == "active"


def test_an_inactive_entry_that_reappears_suspended_is_suspended(tmp_path):
    # given
    import_register(write_register(tmp_path / "v1.csv", [artisan("A-001"), artisan("A-002")]))
    import_register(write_register(tmp_path / "v2.csv", [artisan("A-001")]))

    # when
    import_register(
        write_register(tmp_path / "v3.csv", [artisan("A-001"), artisan("A-002", status="suspendu")])
    )

    # then
    assert status_of("A-002") == "suspended"


FUTURE = (date.today() + timedelta(days=2)).isoformat()  # noqa: DTZ011  # a date, any zone


@pytest.mark.parametrize(
    ("bad_row", "column", "value", "reason"),
    [
        pytest.param(
            artisan("BAD-1", trade_code="S99-T99"),
            "trade_code",
            "S99-T99",
            "Unknown trade code “S99-T99”.",
            id="unknown trade code",
        ),
        pytest.param(
            artisan("BAD-1", cin="123456"),
            "cin",
            "123456",
            "A CIN is one or two letters followed by one to six digits, e.g. AB123456.",
            id="malformed CIN",
        ),
        pytest.param(
            artisan("BAD-1", cin=""),
            "cin",
            "",
            "Required for an artisan or a master artisan.",
            id="missing CIN",
        ),
        pytest.param(
            artisan("BAD-1", registered_at="2023-02-30"),
            "registered_at",
            "2023-02-30",
            "“2023-02-30” is not a day of the calendar.",
            id="impossible date",
        ),
        pytest.param(
            artisan("BAD-1", birth_date="1985/04/12"),
            "birth_date",
            "1985/04/12",
            "“1985/04/12” is not a date: write YYYY-MM-DD or DD/MM/YYYY.",
            id="unreadable date",
        ),
        pytest.param(
            artisan("BAD-1", registered_at=FUTURE),
            "registered_at",
            FUTURE,
            f"The registration date {FUTURE} is in the future.",
            id="future registration",
        ),
        pytest.param(
            artisan("BAD-1", birth_date="2010-01-01", registered_at="2023-03-01"),
            "birth_date",
            "2010-01-01",
            "Age on the registration date is 13 years; it must be between 15 and 100.",
            id="too young",
        ),
        pytest.param(
            artisan("BAD-1", birth_date="1920-01-01", registered_at="2023-03-01"),
            "birth_date",
            "1920-01-01",
            "Age on the registration date is 103 years; it must be between 15 and 100.",
            id="too old",
        ),
        pytest.param(
            artisan("BAD-1", last_name_fr="", first_name_fr="", last_name_ar="", first_name_ar=""),
            "last_name_fr",
            "",
            "Give the first and the last name, in French or in Arabic.",
            id="missing name",
        ),
        pytest.param(
            cooperative("BAD-1", legal_name_fr="", legal_name_ar=""),
            "legal_name_fr",
            "",
            "Give the legal name, in French or in Arabic.",
            id="missing legal name",
        ),
        pytest.param(
            company("BAD-1", ice="00156119100006"),
            "ice",
            "00156119100006",
            "An ICE is 15 digits.",
            id="bad ICE",
        ),
        pytest.param(
            company("BAD-1", ice=""),
            "ice",
            "",
            "Required for an artisanal company.",
            id="missing ICE",
        ),
        pytest.param(
            artisan("BAD-1", region_code="13"),
            "region_code",
            "13",
            "Unknown region code “13”: use 01 to 12.",
            id="unknown region",
        ),
        pytest.param(
            artisan("BAD-1", category="apprenti"),
            "category",
            "apprenti",
            "Unknown category “apprenti”: use artisan, maitre_artisan, cooperative or entreprise.",
            id="unknown category",
        ),
        pytest.param(
            cooperative("BAD-1", qualification="diplome"),
            "qualification",
            "diplome",
            "A qualification applies to artisans and master artisans only.",
            id="qualification of a cooperative",
        ),
        pytest.param(
            artisan("BAD-1", last_name_ar="Bennani"),
            "last_name_ar",
            "Bennani",
            "Write this name in Arabic script.",
            id="Arabic name in Latin script",
        ),
        pytest.param(
            artisan("BAD-1", status="radiated"),
            "status",
            "radiated",
            "Unknown status “radiated”: use active, suspended or struck_off "
            "(actif, suspendu, radié).",
            id="unknown status",
        ),
        pytest.param(
            artisan("B 1"),
            "register_number",
            "B 1",
            "A register number has 4 to 32 characters: letters, digits, “-” or “/”.",
            id="malformed register number",
        ),
    ],
)
def test_a_bad_row_is_reported_with_line_column_and_reason_and_the_others_imported(
    tmp_path, bad_row, column, value, reason
):
    # given: the bad row on line 3, between two good ones
    path = write_register(
        tmp_path / "register.csv", [artisan("GOOD-1"), bad_row, artisan("GOOD-2")]
    )

    # when
    register_import = import_register(path, "--language", "en")

    # then
    assert register_import.status == "succeeded"
    assert (register_import.created_count, register_import.rejected_count) == (2, 1)
    assert report_rows(register_import) == [
        {"line": "3", "column": column, "value": value, "reason": reason}
    ]
    assert sorted(RegisterEntry.objects.values_list("register_number", flat=True)) == [
        "GOOD-1",
        "GOOD-2",
    ]


def test_every_broken_rule_of_a_row_is_reported(tmp_path):
    # given
    bad = artisan("BAD-1", cin="12", phone="123", trade_code="S99-T01")
    path = write_register(tmp_path / "register.csv", [bad])

    # when
    register_import = import_register(path, "--language", "en")

    # then
    assert register_import.rejected_count == 1
    # The doubtful phone alone would not reject it; it is listed after the rules broken.
    assert [(row["line"], row["column"]) for row in report_rows(register_import)] == [
        ("2", "cin"),
        ("2", "trade_code"),
        ("2", "phone"),
    ]
    assert RegisterEntry.objects.count() == 0


@pytest.mark.parametrize("batch_size", ["1", "5000"])
def test_a_register_number_twice_in_the_file_keeps_the_first_line(tmp_path, batch_size):
    # given
    path = write_register(
        tmp_path / "register.csv",
        [artisan("A-001"), artisan("A-002"), artisan("A-001", first_name_fr="Karima")],
    )

    # when
    register_import = import_register(path, "--language", "en", "--batch-size", batch_size)

    # then
    assert (register_import.created_count, register_import.rejected_count) == (2, 1)
    assert report_rows(register_import) == [
        {
            "line": "4",
            "column": "register_number",
            "value": "A-001",
            "reason": "This register number is already on an earlier line of the file; "
            "the first line is kept.",
        }
    ]
    assert RegisterEntry.objects.get(register_number="A-001").first_name_fr == "Amina"


def test_a_number_whose_first_line_was_rejected_is_not_taken_from_a_later_line(tmp_path):
    # given: the first A-1 is broken, the second is fine
    path = write_register(
        tmp_path / "register.csv", [artisan("A-001", cin="0"), artisan("A-002"), artisan("A-001")]
    )

    # when
    register_import = import_register(path, "--language", "en", "--batch-size", "1")

    # then: both lines of A-1 are rejected, each for its own reason
    assert (register_import.created_count, register_import.rejected_count) == (1, 2)
    assert [(row["line"], row["column"]) for row in report_rows(register_import)] == [
        ("2", "cin"),
        ("4", "register_number"),
    ]


def test_a_rejected_row_of_an_existing_entry_does_not_deactivate_it(tmp_path):
    # given
    import_register(write_register(tmp_path / "v1.csv", [artisan("A-001"), artisan("A-002")]))

    # when: A-2 is still listed, but with a broken CIN
    register_import = import_register(
        write_register(tmp_path / "v2.csv", [artisan("A-001"), artisan("A-002", cin="12")])
    )

    # then: it keeps its former values and its status
    assert (register_import.rejected_count, register_import.deactivated_count) == (1, 0)
    entry = RegisterEntry.objects.get(register_number="A-002")
    assert (entry.status, entry.phone) == ("active", "+212612345678")


def test_report_reasons_are_written_in_the_language_asked_for(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv",
        [artisan("A-001", cin="A-1"), artisan("A-002", trade_code="S99-T99")],
    )

    # when
    register_import = import_register(path, "--language", "fr")

    # then
    with translation.override("fr"):
        cin_reason = translation.gettext(
            "A CIN is one or two letters followed by one to six digits, e.g. AB123456."
        )
        trade_reason = translation.gettext("Unknown trade code “%(value)s”.") % {"value": "S99-T99"}
    assert register_import.language == "fr"
    assert [row["reason"] for row in report_rows(register_import)] == [
        cin_reason,
        trade_reason,
    ]
    assert cin_reason != "A CIN is one or two letters followed by one to six digits, e.g. AB123456."
