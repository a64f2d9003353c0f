"""Property test of advances: the ledger's random money flows (sales by card and cash, returns,
completions, partial and full refunds, payouts and returned payouts, through the real order and
payment services) with advances funded, repaid early or settled with the bank, real payout runs
paying the bank and its transfers paid or returned. After every step nothing was withheld
beyond an advance's principal + fee, and `check_ledger` finds nothing."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from souk.accounts.models import User
from souk.banking import advances
from souk.banking.errors import NothingToRepay
from souk.banking.models import Advance, AdvanceStatus, PartnerBank
from souk.banking.tests.factories import make_bank, make_officer
from souk.catalog.tests.factories import make_active_product
from souk.ledger import partners
from souk.ledger.models import (
    PartnerPayee,
    Payout,
    PayoutEvent,
    PayoutRun,
    PayoutSkip,
    PayoutStatus,
    Transfer,
)
from souk.ledger.payouts.runs import start_payout_run
from souk.ledger.payouts.statuses import settle_payout
from souk.ledger.tests import test_flow_properties as flows
from souk.orders.tests.factories import make_buyer
from souk.shops.tests.factories import VALID_RIB, make_approved_shop, make_moderator

BANK: list[PartnerBank] = []
OFFICER: list[User] = []


class AdvanceFlows(flows.MoneyFlows):
    def __init__(self) -> None:
        PayoutEvent.objects.all().delete()
        PayoutSkip.objects.all().delete()
        Payout.objects.all().delete()
        PayoutRun.objects.all().delete()
        PartnerPayee.objects.all().delete()
        Advance.objects.all().delete()
        super().__init__()

    def _shop(self, index: int) -> int:
        return flows.PRODUCTS[index % len(flows.PRODUCTS)].shop_id

    @rule(
        shop_index=st.integers(min_value=0, max_value=1),
        principal=st.integers(min_value=1, max_value=300_000),
        fee=st.integers(min_value=0, max_value=30_000),
        share=st.sampled_from(["0.5", "7", "12.5", "33", "100"]),
    )
    def fund(self, shop_index: int, principal: int, fee: int, share: str) -> None:
        shop_id = self._shop(shop_index)
        if Advance.objects.filter(shop_id=shop_id, status=AdvanceStatus.REPAYING).exists():
            return
        advances.fund_advance(
            shop=flows.PRODUCTS[shop_index].shop,
            bank=BANK[0],
            principal=principal,
            fee=fee,
            share=Decimal(share),
            by=OFFICER[0],
        )

    @rule(index=st.integers(min_value=0, max_value=5), part=st.sampled_from([None, 1, 2_500]))
    def repay_early(self, index: int, part: int | None) -> None:
        repaying = list(Advance.objects.filter(status=AdvanceStatus.REPAYING).order_by("pk"))
        if not repaying:
            return
        advance = repaying[index % len(repaying)]
        with contextlib.suppress(NothingToRepay):
            advances.repay_early(advance=advance, by=advance.shop.members.get().user, amount=part)

    @rule(index=st.integers(min_value=0, max_value=5))
    def settle_with_bank(self, index: int) -> None:
        repaying = list(Advance.objects.filter(status=AdvanceStatus.REPAYING).order_by("pk"))
        if repaying:
            advances.settle_with_bank(advance=repaying[index % len(repaying)], by=OFFICER[0])

    @rule()
    def payout_run(self) -> None:
        self.counter += 1
        start_payout_run(key=f"property-run-{self.counter}")

    @rule(returned=st.booleans())
    def bank_answers(self, returned: bool) -> None:
        sent = Payout.objects.filter(status=PayoutStatus.SENT).order_by("pk").first()
        if sent is None:
            return
        settle_payout(
            reference=sent.reference,
            status=PayoutStatus.RETURNED if returned else PayoutStatus.PAID,
            settled_on=sent.created_at.date(),
            reason="Closed account" if returned else "",
        )

    @invariant()
    def never_more_than_principal_and_fee(self) -> None:
        for advance in Advance.objects.all():
            taken = Transfer.objects.filter(
                credit_account__key=partners.receivable_key(advance.reference)
            ).aggregate(total=Sum("amount"))["total"]
            assert (taken or 0) <= advance.total_amount
            owed = partners.get_claims([advance.reference])[advance.reference].owed
            assert (owed == 0) == (advance.status != AdvanceStatus.REPAYING)


@pytest.mark.django_db
def test_advances_never_take_more_than_owed_and_the_ledger_stays_green() -> None:
    flows.PRODUCTS[:] = [
        make_active_product(is_made_to_order=True, lead_time_days=7, stock_quantity=0),
        make_active_product(
            shop=make_approved_shop(),
            price_amount=120_050,
            is_made_to_order=True,
            lead_time_days=3,
            stock_quantity=0,
        ),
    ]
    flows.BUYERS[:] = [make_buyer()]
    flows.MODERATOR[:] = [make_moderator(), make_moderator()]
    BANK[:] = [make_bank(settlement_rib=VALID_RIB)]
    OFFICER[:] = [make_officer(BANK[0])]
    run_state_machine_as_test(
        AdvanceFlows,
        settings=settings(
            max_examples=10,
            stateful_step_count=16,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
