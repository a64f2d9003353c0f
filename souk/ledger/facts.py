"""What the ledger's cross-checks need to know of orders and payments, without importing them.

`ledger_check`'s rules 5 to 10 compare the books with the business: escrow with the parcels
paid, refunds booked with refunds made, captures booked with captures. The ledger sits below
orders and payments (docs/architecture.md), so it declares here the facts it needs, and
payments — the app above both — provides them when it starts (payments.receivers.connect)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet


@dataclass(frozen=True, slots=True)
class SettledLine:
    """A line read from a processor's settlement file, and how it was reconciled."""

    import_id: int
    line_number: int
    transaction_type: str
    transaction_id: str
    amount: int
    fee_amount: int
    kind: str


class MoneyFacts(Protocol):
    def list_escrow_expected_by_shop(self) -> dict[int, int]:
        """What each shop's escrow must hold (minor units)."""

    def list_parcels_for_ledger_check(self) -> QuerySet[Any]:
        """Every parcel, with `reference`, `owed_back` and `commission_due`."""

    def list_sub_order_references_by_order(
        self, order_ids: Iterable[int]
    ) -> dict[int, list[str]]: ...

    def list_net_captured_by_order(self) -> dict[int, int]: ...

    def list_captured_by_order(self) -> dict[int, tuple[str, int]]: ...

    def list_gateway_refunds_paid_by_order(self) -> dict[int, tuple[str, int]]: ...

    def list_settlement_lines_read(self) -> list[SettledLine]: ...


_provided: list[MoneyFacts] = []


def provide(facts: MoneyFacts) -> None:
    """Called once at start-up by the app that knows orders and payments."""
    _provided[:] = [facts]


def get() -> MoneyFacts:
    if not _provided:
        raise RuntimeError("No app provides the facts ledger_check compares the books with.")
    return _provided[0]
