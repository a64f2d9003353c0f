"""A payout run interrupted midway resumes without sending anything twice, and every bank payout
ends up in exactly one transfer file."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from souk.ledger import payouts
from souk.ledger.models import Payout, PayoutRun, PayoutRunStatus, PayoutStatus
from souk.ledger.payouts import wallet
from souk.ledger.payouts.pain001 import NAMESPACE
from souk.ledger.tests.payout_factories import (
    in_transit,
    make_rib_shop,
    make_wallet_shop,
    payable,
    sell,
)
from souk.sandbox.models import WalletPayoutReceived
from souk.sandbox.payouts import SandboxWalletPayoutGateway

pytestmark = pytest.mark.django_db

RUN_DATE = datetime.date(2026, 11, 30)
KEY = "weekly:2026-W49"


class WorkerKilled(BaseException):
    """Stands for kill -9: nothing after it runs, no handler of ours catches it."""


class WalletThatDiesAfterTwoSends(SandboxWalletPayoutGateway):
    """The real sandbox wallet; the process dies right after the provider took the second
    payout, before Souk recorded the answer."""

    sends = 0

    def send(self, request: wallet.WalletPayoutRequest) -> wallet.WalletPayoutReceipt:
        receipt = super().send(request)
        type(self).sends += 1
        if type(self).sends == 2:
            raise WorkerKilled
        return receipt


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.SOUK_PAYOUT_MINIMUM = 10000
    SandboxWalletPayoutGateway.requests.clear()
    WalletThatDiesAfterTwoSends.sends = 0
    yield
    SandboxWalletPayoutGateway.requests.clear()


def file_references(run: PayoutRun) -> list[str]:
    root = ET.fromstring(run.transfer_file.read())  # noqa: S314 - our own output
    return [node.text or "" for node in root.iter(f"{{{NAMESPACE}}}EndToEndId")]


def test_a_run_killed_after_a_wallet_send_resumes_without_paying_anyone_twice(settings):
    # given: three wallet shops and two bank shops owed money
    wallet_shops = [make_wallet_shop() for _ in range(3)]
    bank_shops = [make_rib_shop() for _ in range(2)]
    for index, shop in enumerate(wallet_shops + bank_shops):
        sell(shop, 500000 + 1000 * index)
    owed = sum(payable(shop) for shop in wallet_shops + bank_shops)
    settings.SOUK_PAYOUT_WALLET_GATEWAY = f"{__name__}.WalletThatDiesAfterTwoSends"

    # when: the run dies just after the wallet took its second payout
    with pytest.raises(WorkerKilled):
        payouts.start_payout_run(key=KEY, today=RUN_DATE)
    # and a bank shop sells more before the run is resumed (the lease ran out) with the real
    # sandbox wallet
    late_shop = make_rib_shop()
    sell(late_shop, 300000)
    settings.SOUK_PAYOUT_WALLET_GATEWAY = "souk.sandbox.payouts.SandboxWalletPayoutGateway"
    run = payouts.start_payout_run(key=KEY, today=RUN_DATE)

    # then: the run finished, and the wallet received each wallet payout exactly once
    assert run.status == PayoutRunStatus.FINISHED
    wallet_payouts = list(Payout.objects.filter(method="wallet").order_by("pk"))
    assert [payout.shop_id for payout in wallet_payouts] == [shop.pk for shop in wallet_shops]
    received = dict(WalletPayoutReceived.objects.values_list("reference", "times_requested"))
    assert received == {payout.reference: 1 for payout in wallet_payouts}
    assert {payout.status for payout in wallet_payouts} == {PayoutStatus.SENT}
    assert [p.provider_reference for p in wallet_payouts] == [
        f"SBX-{p.reference}" for p in wallet_payouts
    ]
    # and each bank payout of the run is in its one file, once; the late sale waits for the
    # next run (the file was already written when the run was interrupted)
    bank_payouts = list(Payout.objects.filter(method="rib").order_by("pk"))
    assert [payout.shop_id for payout in bank_payouts] == [shop.pk for shop in bank_shops]
    assert sorted(file_references(run)) == sorted(payout.reference for payout in bank_payouts)
    assert {payout.status for payout in bank_payouts} == {PayoutStatus.SENT}
    assert payable(late_shop) == 300000
    # and the money in transit is exactly what was owed before the run
    assert sum(payout.amount for payout in wallet_payouts + bank_payouts) == owed == in_transit()


class WalletThatDiesBeforeTheRequest(SandboxWalletPayoutGateway):
    def send(self, request: wallet.WalletPayoutRequest) -> wallet.WalletPayoutReceipt:
        raise WorkerKilled


def test_a_payout_the_wallet_never_took_is_sent_on_resume(settings):
    # given: a wallet payout whose sending was attempted, but the provider never received it
    # (the process died before the request left)
    shop = make_wallet_shop()
    sell(shop, 250000)
    settings.SOUK_PAYOUT_WALLET_GATEWAY = f"{__name__}.WalletThatDiesBeforeTheRequest"
    with pytest.raises(WorkerKilled):
        payouts.start_payout_run(key=KEY, today=RUN_DATE)

    # when
    settings.SOUK_PAYOUT_WALLET_GATEWAY = "souk.sandbox.payouts.SandboxWalletPayoutGateway"
    run = payouts.start_payout_run(key=KEY, today=RUN_DATE)

    # then
    payout = Payout.objects.get()
    assert run.status == PayoutRunStatus.FINISHED
    assert payout.status == PayoutStatus.SENT
    assert payout.send_attempted_at is not None
    assert list(WalletPayoutReceived.objects.values_list("reference", "times_requested")) == [
        (payout.reference, 1)
    ]
