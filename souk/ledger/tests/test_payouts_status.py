"""The bank's status report: paid, returned, twice, unknown, illegal, unreadable."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.ledger import accounting, payouts
from souk.ledger.models import JournalEntry, Payout, PayoutEvent, PayoutStatus
from souk.ledger.payouts.errors import PayoutStatusFileInvalid
from souk.ledger.tests.payout_factories import (
    balance,
    in_transit,
    make_rib_shop,
    payable,
    sell,
)
from souk.notifications.models import Notification
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def payout() -> Payout:
    shop = make_rib_shop()
    sell(shop, 45000)
    payouts.start_payout_run(key="test:run", today=datetime.date(2026, 11, 30))
    return Payout.objects.get()


def report(*lines: str) -> bytes:
    return ("reference,status,date,reason\n" + "".join(f"{line}\n" for line in lines)).encode()


def test_paid_line_moves_the_payout_out_of_the_marketplace_account(payout):
    # when
    result = payouts.import_payout_status(content=report(f"{payout.reference},paid,2026-12-01,"))

    # then
    payout.refresh_from_db()
    assert (payout.status, payout.settled_on) == (PayoutStatus.PAID, datetime.date(2026, 12, 1))
    assert result.applied == [payout.reference]
    assert result.problems == []
    assert in_transit() == 0
    assert balance(accounting.BANK) == -45000
    assert PayoutEvent.objects.filter(payout=payout).last().action == "pay"  # type: ignore[union-attr]


def test_returned_line_credits_the_shop_again_and_tells_managers_and_operators(
    payout, django_capture_on_commit_callbacks
):
    # given: an administrator (an operator) and a moderator (not one)
    operator = accounts.grant_role(user=make_user(preferred_language="en"), role=Role.ADMIN)
    make_moderator()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = payouts.import_payout_status(
            content=report(f"{payout.reference},returned,2026-12-02,Account closed")
        )

    # then
    payout.refresh_from_db()
    assert result.applied == [payout.reference]
    assert (payout.status, payout.return_reason) == (PayoutStatus.RETURNED, "Account closed")
    assert payable(payout.shop) == 45000
    assert in_transit() == 0
    assert JournalEntry.objects.get(key=f"payout:{payout.reference}:returned").code == (
        "payout_returned"
    )
    manager = owner_of(payout.shop)
    # (the shop's approval and its listings' were told too, before the payout)
    payout_notices = Notification.objects.filter(kind__startswith="payout_")
    notes = {(n.recipient_id, n.kind) for n in payout_notices}
    assert notes == {
        (manager.pk, "payout_returned"),
        (operator.pk, "payout_returned_operator"),
    }
    to_operator = Notification.objects.get(recipient=operator)
    assert payout.reference in to_operator.subject
    assert "Account closed" in to_operator.body


def test_a_returned_payout_is_paid_again_by_the_next_run(payout):
    payouts.import_payout_status(content=report(f"{payout.reference},returned,2026-12-02,closed"))

    payouts.start_payout_run(key="test:next", today=datetime.date(2026, 12, 7))

    assert Payout.objects.filter(status=PayoutStatus.SENT).get().amount == 45000


def test_same_line_twice_has_one_effect(payout):
    # given
    line = f"{payout.reference},paid,2026-12-01,"
    payouts.import_payout_status(content=report(line))
    entries = JournalEntry.objects.count()

    # when: the same file again, and the line twice in one file
    again = payouts.import_payout_status(content=report(line, line))

    # then
    assert again.applied == []
    assert again.unchanged == [payout.reference] * 2
    assert JournalEntry.objects.count() == entries
    assert PayoutEvent.objects.filter(payout=payout, action="pay").count() == 1


def test_unknown_reference_and_illegal_move_are_reported_by_line_and_the_rest_applies(payout):
    # given: the payout is paid; a later line says it was returned
    content = report(
        "PO-20261130-NOSUCH,paid,2026-12-01,",
        f"{payout.reference},paid,2026-12-01,",
        f"{payout.reference},returned,2026-12-03,too late",
    )

    # when
    result = payouts.import_payout_status(content=content)

    # then
    assert result.problems == [
        "line 2: unknown payout PO-20261130-NOSUCH",
        f"line 4: payout {payout.reference} is paid, it cannot become returned",
    ]
    assert result.applied == [payout.reference]
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "line 1: the header lacks the column(s) reference, status, date"),
        (b"reference;status;date\nPO-1;paid;2026-12-01\n", "line 1: the header lacks"),
        (report("PO-1,settled,2026-12-01,"), "line 3: status 'settled' is not paid or returned"),
        (report("PO-1,paid,01/12/2026,"), "line 3: date '01/12/2026' is not YYYY-MM-DD"),
        (report(",paid,2026-12-01,"), "line 3: no reference"),
        (report("PO-1,paid,2026-12-01,,extra"), "line 3: more fields than columns"),
        ("reference,status,date\nPO-1,payé,2026-12-01\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_an_unreadable_file_applies_nothing(payout, content, problem):
    # given: a good line first (the bad one is then line 3), so that nothing applied means
    # something
    good = f"{payout.reference},paid,2026-12-01,\n".encode()
    if content.startswith(b"reference,status,date,reason\n"):
        content = content.replace(b"reason\n", b"reason\n" + good, 1)
    entries = JournalEntry.objects.count()

    # when
    with pytest.raises(PayoutStatusFileInvalid) as raised:
        payouts.import_payout_status(content=content)

    # then
    assert any(problem in line for line in raised.value.problems)
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.SENT
    assert JournalEntry.objects.count() == entries


def test_blank_lines_and_upper_case_status_are_accepted(payout):
    content = f"Reference,Status,Date\n\n{payout.reference},PAID,2026-12-01\n".encode()

    result = payouts.import_payout_status(content=content)

    assert result.applied == [payout.reference]


def test_command_imports_a_file_and_says_what_it_did(payout, tmp_path, capsys):
    path = tmp_path / "status.csv"
    path.write_bytes(report(f"{payout.reference},paid,2026-12-01,"))

    call_command("import_payout_status", str(path))

    assert "1 payout(s) updated, 0 already up to date, 0 line(s) not applied." in (
        capsys.readouterr().out
    )


def test_command_refuses_a_bad_file_with_its_problems_and_changes_nothing(payout, tmp_path, capsys):
    path = tmp_path / "status.csv"
    path.write_bytes(report(f"{payout.reference},paid,2026-12-01,", "PO-1,lost,2026-12-01,"))

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_payout_status", str(path))

    assert "line 3: status 'lost' is not paid or returned" in capsys.readouterr().err
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.SENT


def test_command_reports_unknown_references_and_exits_with_an_error(payout, tmp_path, capsys):
    path = tmp_path / "status.csv"
    path.write_bytes(report("PO-20261130-NOSUCH,paid,2026-12-01,"))

    with pytest.raises(CommandError, match="1 line\\(s\\) not applied"):
        call_command("import_payout_status", str(path))

    assert "line 2: unknown payout PO-20261130-NOSUCH" in capsys.readouterr().err


def test_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_payout_status", str(tmp_path / "missing.csv"))
