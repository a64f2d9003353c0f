"""The facts of orders and payments that the ledger's cross-checks compare the books with
(souk.ledger.facts), provided from here: payments sits above both."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from souk.ledger.facts import SettledLine
from souk.orders import selectors as orders
from souk.payments import selectors as payments


class OrdersAndPayments:
    def list_escrow_expected_by_shop(self) -> dict[int, int]:
        return orders.list_escrow_expected_by_shop()

    def list_parcels_for_ledger_check(self) -> QuerySet[Any]:
        return orders.list_parcels_for_ledger_check()

    def list_sub_order_references_by_order(self, order_ids: Iterable[int]) -> dict[int, list[str]]:
        return orders.list_sub_order_references_by_order(order_ids)

    def list_net_captured_by_order(self) -> dict[int, int]:
        return payments.list_net_captured_by_order()

    def list_captured_by_order(self) -> dict[int, tuple[str, int]]:
        return payments.list_captured_by_order()

    def list_gateway_refunds_paid_by_order(self) -> dict[int, tuple[str, int]]:
        return payments.list_gateway_refunds_paid_by_order()

    def list_settlement_lines_read(self) -> list[SettledLine]:
        return payments.list_settlement_lines_read()
