"""The one place a payout changes status, and the import of the bank's status report.

Each move goes through PAYOUT_MACHINE (core.machine): checked against PAYOUT_TRANSITIONS and
recorded as a PayoutEvent (who, role, when, from, to, why) in the transaction that posts its
ledger entry (souk.ledger.accounting).
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

from souk.accounts.models import User
from souk.core import machine
from souk.core.machine import Actor, Machine
from souk.ledger import accounting, partners
from souk.ledger.models import (
    PAYOUT_TRANSITIONS,
    Payout,
    PayoutEvent,
    PayoutStatus,
)
from souk.ledger.payouts import locks, notices
from souk.ledger.payouts.errors import IllegalPayoutTransition, PayoutStatusFileInvalid

STATUS_REPORT_COLUMNS = ("reference", "status", "date", "reason")
_REQUIRED_COLUMNS = ("reference", "status", "date")
_ACTION_FOR_STATUS = {PayoutStatus.PAID: "pay", PayoutStatus.RETURNED: "return"}
# A status report is a few thousand lines at most; anything far bigger is not one.
MAX_STATUS_REPORT_BYTES = 5_000_000


PAYOUT_MACHINE = Machine(
    name="payout",
    transitions=PAYOUT_TRANSITIONS,
    illegal=IllegalPayoutTransition,
    not_allowed=IllegalPayoutTransition,
    history_model=PayoutEvent,
    history_links=lambda payout: {"payout": payout},
)


def payout_role(actor: User | None) -> Actor:
    """The role of whoever moves a payout: an operator, or the system when nobody."""
    return Actor.OPERATOR if actor is not None else Actor.SYSTEM


def move_payout(
    payout: Payout,
    *,
    action: str,
    actor: User | None,
    reason: str = "",
    also: Mapping[str, Any] | None = None,
) -> None:
    """Apply the move `action` to a locked payout, save it (status, status_changed_at and the
    fields of `also`) and record it. Raises IllegalPayoutTransition."""
    machine.move(
        payout,
        machine=PAYOUT_MACHINE,
        action=action,
        actor=actor,
        role=payout_role(actor),
        reason=reason,
        stamps=lambda transition, now: {"status_changed_at": now, **(also or {})},
    )


class SettleOutcome(enum.Enum):
    APPLIED = "applied"
    # The payout already had that status: a line imported twice has one effect.
    UNCHANGED = "unchanged"


def settle_payout(
    *,
    reference: str,
    status: PayoutStatus,
    settled_on: datetime.date,
    reason: str = "",
    actor: User | None = None,
) -> SettleOutcome:
    """Record what the bank or wallet says of a sent payout: paid, or returned.

    Paid: the money left the marketplace's account (in transit → bank). Returned: the shop is
    owed it again (in transit → payable), and its managers and the operators are told after
    commit. Idempotent: a payout already in `status` is left alone. Raises Payout.DoesNotExist
    and IllegalPayoutTransition (e.g. paid then returned); then nothing is written."""
    action = _ACTION_FOR_STATUS[status]
    with transaction.atomic():
        payout = locks.payout_for_update(reference).get()
        if payout.status == status:
            return SettleOutcome.UNCHANGED
        also: dict[str, Any] = {"settled_on": settled_on}
        if status == PayoutStatus.RETURNED:
            also["return_reason"] = reason[:255]
        move_payout(payout, action=action, actor=actor, reason=reason, also=also)
        if status == PayoutStatus.PAID:
            accounting.record_payout_paid(
                key=f"payout:{reference}:paid", amount=payout.money, reference=reference
            )
        elif payout.payee is not None:
            # A partner's payout (an advance's repayments): owed to the partner again.
            partners.record_partner_payout_returned(
                key=f"payout:{reference}:returned", payee_key=payout.payee.key, payout=payout
            )
        elif payout.shop_id is not None:
            accounting.record_payout_returned(
                key=f"payout:{reference}:returned",
                shop_id=payout.shop_id,
                amount=payout.money,
                reference=reference,
            )
            transaction.on_commit(partial(notices.payout_returned, payout.pk))
    return SettleOutcome.APPLIED


@dataclass(frozen=True, slots=True)
class StatusLine:
    number: int  # line number in the file, the header being line 1
    reference: str
    status: PayoutStatus
    settled_on: datetime.date
    reason: str


@dataclass
class StatusImportReport:
    applied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # "line 7: unknown payout PO-..." for each line that could not be applied.
    problems: list[str] = field(default_factory=list)


def read_status_report(content: bytes) -> list[StatusLine]:
    """The lines of a status report (docs/formats.md), all checked before any is applied.

    Raises PayoutStatusFileInvalid listing every problem (with line numbers) when the file is
    not UTF-8 CSV with the expected columns, or a line has an unknown status or a bad date."""
    if len(content) > MAX_STATUS_REPORT_BYTES:
        raise PayoutStatusFileInvalid(["the file is too large for a status report"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PayoutStatusFileInvalid(["the file is not UTF-8 text"]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in _REQUIRED_COLUMNS if column not in header]
    if missing:
        raise PayoutStatusFileInvalid(
            [f"line 1: the header lacks the column(s) {', '.join(missing)}"]
        )
    reader.fieldnames = header
    lines: list[StatusLine] = []
    problems: list[str] = []
    try:
        rows = list(reader)
    except csv.Error as error:
        raise PayoutStatusFileInvalid([f"line {reader.line_num}: {error}"]) from None
    for index, row in enumerate(rows, start=2):
        if None in row:
            problems.append(f"line {index}: more fields than columns")
            continue
        values = {key: (value or "").strip() for key, value in row.items()}
        if not any(values.values()):
            continue  # a blank line
        reference, status = values["reference"], values["status"].lower()
        if not reference:
            problems.append(f"line {index}: no reference")
        if status not in _ACTION_FOR_STATUS:
            problems.append(f"line {index}: status {values['status']!r} is not paid or returned")
        try:
            settled_on = datetime.date.fromisoformat(values["date"])
        except ValueError:
            problems.append(f"line {index}: date {values['date']!r} is not YYYY-MM-DD")
            continue
        if reference and status in _ACTION_FOR_STATUS:
            lines.append(
                StatusLine(
                    index, reference, PayoutStatus(status), settled_on, values.get("reason", "")
                )
            )
    if problems:
        raise PayoutStatusFileInvalid(problems)
    return lines


def import_payout_status(*, content: bytes, actor: User | None = None) -> StatusImportReport:
    """Apply the bank's (or wallet's) status report: each line moves one payout to paid or
    returned, in its own transaction.

    A file that cannot be read raises PayoutStatusFileInvalid and nothing is applied. An unknown
    reference or an illegal move is reported with its line number and the other lines still
    apply. Importing the same file again changes nothing."""
    report = StatusImportReport()
    for line in read_status_report(content):
        try:
            outcome = settle_payout(
                reference=line.reference,
                status=line.status,
                settled_on=line.settled_on,
                reason=line.reason,
                actor=actor,
            )
        except Payout.DoesNotExist:
            report.problems.append(f"line {line.number}: unknown payout {line.reference}")
            continue
        except IllegalPayoutTransition as error:
            current = error.detail["from"] if isinstance(error.detail, dict) else "?"
            report.problems.append(
                f"line {line.number}: payout {line.reference} is {current}, "
                f"it cannot become {line.status.value}"
            )
            continue
        target = report.applied if outcome is SettleOutcome.APPLIED else report.unchanged
        target.append(line.reference)
    return report
