"""Payout runs: who is paid, how much, debts first, skips, files, wallets, idempotency."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection

from souk.core.money import Money
from souk.core.periodic import periodic_tasks
from souk.core.text import BIDI_CONTROLS
from souk.fulfilment import services as fulfilment
from souk.ledger import accounting, payouts
from souk.ledger.models import (
    JournalEntry,
    Payout,
    PayoutEvent,
    PayoutRun,
    PayoutRunStatus,
    PayoutSkip,
    PayoutStatus,
    SkipReason,
)
from souk.ledger.payouts import wallet
from souk.ledger.payouts.errors import WalletPayoutFailed
from souk.ledger.payouts.pain001 import NAMESPACE
from souk.ledger.selectors import check_ledger
from souk.ledger.tasks import run_weekly_payouts
from souk.ledger.tasks import run_weekly_payouts as run_weekly_payouts_task
from souk.ledger.tests.payout_factories import (
    WALLET_PHONE,
    balance,
    debt,
    in_transit,
    make_rib_shop,
    make_shop_without_destination,
    make_wallet_shop,
    payable,
    refund_after_completion,
    sell,
    sell_by_order,
)
from souk.sandbox.payouts import SandboxWalletPayoutGateway
from souk.shops import services as shops
from souk.shops.tests.factories import make_moderator

pytestmark = pytest.mark.django_db

RUN_DATE = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _minimum_100_mad(settings):
    settings.SOUK_PAYOUT_MINIMUM = 10000


@pytest.fixture(autouse=True)
def _clean_sandbox():
    SandboxWalletPayoutGateway.requests.clear()
    yield
    SandboxWalletPayoutGateway.requests.clear()


def run(key: str = "test:1") -> PayoutRun:
    return payouts.start_payout_run(key=key, today=RUN_DATE)


def test_run_pays_shops_above_the_minimum_only():
    # given: one shop owed 405 MAD, one owed 99.99 MAD, one with money still in escrow
    rich, poor, waiting = make_rib_shop(), make_rib_shop(), make_rib_shop()
    sell(rich, 45000, commission=4500)
    sell(poor, 9999)
    waiting_total = sell_by_order(waiting)

    # when
    payout_run = run()

    # then
    payout = Payout.objects.get()
    assert (payout.shop, payout.amount, payout.currency) == (rich, 40500, "MAD")
    assert payout.reference.startswith("PO-20261130-")
    assert len(payout.reference) == 18
    assert payout.method == "rib"
    assert payout.destination == "MA64011519000001205000534921"
    assert payout.creditor_name == "Fatima Bennani"
    assert payout.status == PayoutStatus.SENT
    assert payout_run.status == PayoutRunStatus.FINISHED
    assert (payable(rich), payable(poor), in_transit()) == (0, 9999, 40500)
    assert balance(accounting.escrow_key(waiting.pk)) == waiting_total
    assert JournalEntry.objects.get(key=f"payout:{payout.reference}:created").code == (
        "payout_created"
    )
    assert list(PayoutEvent.objects.values_list("action", "from_status", "to_status")) == [
        ("create", "", "created"),
        ("send", "created", "sent"),
    ]
    assert not PayoutSkip.objects.exists()


def test_payout_of_exactly_the_minimum_is_made():
    shop = make_rib_shop()
    sell(shop, 10000)
    run()
    assert Payout.objects.get().amount == 10000


def test_bank_payouts_of_a_run_are_in_one_transfer_file():
    # given
    first, second = make_rib_shop(), make_rib_shop(company=True)
    sell(first, 20000)
    sell(second, 30000)

    # when
    payout_run = run()

    # then
    root = ET.fromstring(payout_run.transfer_file.read())  # noqa: S314 - our own output
    ns = {"p": NAMESPACE}
    ids = [element.text for element in root.iterfind(".//p:EndToEndId", ns)]
    assert ids == list(Payout.objects.order_by("pk").values_list("reference", flat=True))
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=ns) == payout_run.reference
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns) == "500.00"
    names = [element.text for element in root.iterfind(".//p:Cdtr/p:Nm", ns)]
    assert names == ["Fatima Bennani", "Maison Berrada"]
    assert payout_run.transfer_file.name.endswith(f"{payout_run.reference}.xml")


def test_shops_without_destination_or_suspended_are_skipped_with_the_reason():
    # given
    nowhere, suspended, paid = make_shop_without_destination(), make_rib_shop(), make_rib_shop()
    shops.suspend_shop(shop=suspended, moderator=make_moderator(), reason="Checking the KYC.")
    for shop in (nowhere, suspended, paid):
        sell(shop, 25000)

    # when
    payout_run = run()

    # then
    skipped = {(skip.shop_id, skip.reason, skip.amount) for skip in payout_run.skips.all()}
    assert skipped == {
        (nowhere.pk, SkipReason.NO_DESTINATION, 25000),
        (suspended.pk, SkipReason.SHOP_SUSPENDED, 25000),
    }
    assert list(Payout.objects.values_list("shop", flat=True)) == [paid.pk]
    assert (payable(nowhere), payable(suspended)) == (25000, 25000)


def test_debt_is_recovered_before_paying_the_rest():
    # given: a parcel paid out, then refunded: the shop owes 300 MAD; then it sells 500 MAD
    shop = make_rib_shop()
    first = sell(shop, 30000)
    run("test:first")
    refund_after_completion(shop, first, 30000)
    assert (payable(shop), debt(shop)) == (0, 30000)
    sell(shop, 50000)

    # when
    run("test:second")

    # then
    latest = Payout.objects.order_by("-pk").first()
    assert latest is not None
    assert latest.amount == 20000
    assert (payable(shop), debt(shop)) == (0, 0)
    recovery = JournalEntry.objects.get(code="debt_recovered")
    assert [t.amount for t in recovery.transfers.all()] == [30000]


def test_debt_recovery_leaving_less_than_the_minimum_pays_nothing():
    # given: owes 450, is owed 500
    shop = make_rib_shop()
    first = sell(shop, 45000)
    run("test:first")
    refund_after_completion(shop, first, 45000)
    sell(shop, 50000)

    # when
    second = run("test:second")

    # then: the debt is settled, 50 MAD wait for the next run
    assert second.payouts.count() == 0
    assert (payable(shop), debt(shop)) == (5000, 0)


def test_debt_larger_than_the_balance_takes_all_of_it_and_stays_partly_owed():
    shop = make_rib_shop()
    first = sell(shop, 60000)
    run("test:first")
    refund_after_completion(shop, first, 60000)
    sell(shop, 20000)

    run("test:second")

    assert (payable(shop), debt(shop)) == (0, 40000)
    assert Payout.objects.count() == 1


def test_same_run_key_twice_is_one_run():
    # given
    shop = make_rib_shop()
    sell(shop, 45000)
    first = run("weekly:2026-W49")
    entries = JournalEntry.objects.count()
    sell(shop, 30000)

    # when
    again = run("weekly:2026-W49")

    # then: the finished run is returned as it was; the new sale waits for the next run
    assert again.pk == first.pk
    assert Payout.objects.count() == 1
    assert JournalEntry.objects.count() == entries + 2  # only the new sale's capture and completion
    assert payable(shop) == 30000


def test_a_run_resumed_after_a_crash_does_not_pay_twice():
    # given: a run that created its payouts but crashed before finishing
    shop = make_rib_shop()
    sell(shop, 45000)
    crashed = run("test:resume")
    PayoutRun.objects.filter(pk=crashed.pk).update(status=PayoutRunStatus.RUNNING)

    # when
    resumed = run("test:resume")

    # then
    assert resumed.pk == crashed.pk
    assert resumed.status == PayoutRunStatus.FINISHED
    assert Payout.objects.count() == 1
    assert in_transit() == 45000


def test_wallet_payouts_go_through_the_wallet_adapter():
    # given
    shop = make_wallet_shop()
    sell(shop, 30000)

    # when
    payout_run = run()

    # then
    payout = Payout.objects.get()
    assert (payout.method, payout.destination, payout.status) == ("wallet", WALLET_PHONE, "sent")
    assert payout.provider_reference == f"SBX-{payout.reference}"
    assert [(r.reference, r.phone, r.amount) for r in SandboxWalletPayoutGateway.requests] == [
        (payout.reference, WALLET_PHONE, Money(30000, "MAD"))
    ]
    assert not payout_run.transfer_file  # no bank payout, no file


class FailingWallet:
    def send(self, request: wallet.WalletPayoutRequest) -> wallet.WalletPayoutReceipt:
        raise WalletPayoutFailed()


def test_a_wallet_payout_the_provider_refused_stays_created_and_the_next_run_sends_it(settings):
    # given
    shop = make_wallet_shop()
    sell(shop, 30000)
    settings.SOUK_PAYOUT_WALLET_GATEWAY = f"{__name__}.FailingWallet"

    # when
    run("test:first")

    # then
    payout = Payout.objects.get()
    assert payout.status == PayoutStatus.CREATED
    assert payout.send_error != ""
    assert in_transit() == 30000  # it left the payable: no second payout is made for it

    # when: the provider is back
    settings.SOUK_PAYOUT_WALLET_GATEWAY = "souk.sandbox.payouts.SandboxWalletPayoutGateway"
    run("test:second")

    # then
    payout.refresh_from_db()
    assert (payout.status, payout.send_error) == (PayoutStatus.SENT, "")
    assert Payout.objects.count() == 1


def test_weekly_task_runs_once_per_week():
    shop = make_rib_shop()
    sell(shop, 30000)

    first = run_weekly_payouts.call()
    second = run_weekly_payouts.call()

    assert first == second
    assert PayoutRun.objects.count() == 1
    assert PayoutRun.objects.get().key.startswith("weekly:")


def test_weekly_run_is_a_periodic_task():
    [periodic] = [task for task in periodic_tasks() if task.name == "ledger.run_payouts"]
    assert periodic.task is run_weekly_payouts_task
    assert periodic.every == datetime.timedelta(days=7)


def test_run_payouts_command_prints_the_run(capsys):
    shop = make_rib_shop()
    sell(shop, 30000)
    make_shop_without_destination()

    call_command("run_payouts", "--key", "command:test")

    out = capsys.readouterr().out
    run_reference = PayoutRun.objects.get().reference
    assert f"{run_reference}: 1 payout(s), 300.00 MAD, 0 not sent, 0 shop(s) skipped." in out
    assert "Transfer file:" in out


def test_full_order_flow_then_refund_after_payout_is_recovered_from_the_next_payout():
    """Through the orders services: sale, completion, payout, refund after payout, new sale."""
    from souk.catalog.tests.factories import make_active_product
    from souk.orders import services as orders
    from souk.orders.tests.factories import make_paid_order
    from souk.shops.tests.factories import owner_of

    # given: a completed 450 MAD tagine (plus shipping), paid out
    product = make_active_product()
    shop = product.shop
    artisan = owner_of(shop)

    def complete_sale() -> int:
        order = make_paid_order(products=[(product, 1)])
        parcel = order.sub_orders.get()
        orders.accept_sub_order(sub_order=parcel, artisan=artisan)
        fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
        orders.follow_tracking(sub_order=parcel, status="out_for_delivery")
        orders.confirm_receipt(sub_order=parcel, buyer=order.buyer)
        return parcel.pk

    parcel_id = complete_sale()
    run("test:first")
    first_payout = Payout.objects.get()
    from souk.orders.models import SubOrder

    parcel = SubOrder.objects.get(pk=parcel_id)
    assert first_payout.amount == parcel.total_amount - parcel.commission_amount

    # when: the parcel is refunded after the payout, and the artisan sells it again
    orders.force_refund(sub_order=parcel, moderator=make_moderator(), reason="Broken in transit.")
    owed = debt(shop)
    assert owed == parcel.total_amount - parcel.commission_amount
    complete_sale()
    run("test:second")

    # then: the debt was taken from the new sale; nothing was left to pay above the minimum
    assert debt(shop) == 0
    assert payable(shop) == 0
    assert Payout.objects.count() == 1
    assert check_ledger() == []
    assert accounting.payable_key(shop.pk)


def test_direction_controls_in_a_name_do_not_reach_the_bank_file():
    # given: an artisan whose register name carries an override and an isolate
    shop = make_rib_shop(first_name_fr="Fati\u202ema", last_name_fr="\u2067Bennani\u2069")
    sell(shop, 20000)

    # when
    payout_run = run()

    # then
    content = payout_run.transfer_file.read().decode()
    root = ET.fromstring(content)  # noqa: S314 - our own output
    names = [element.text for element in root.iterfind(".//p:Cdtr/p:Nm", {"p": NAMESPACE})]
    assert names == ["Fatima Bennani"]
    assert not set(content) & BIDI_CONTROLS


def test_a_payouts_iban_is_stored_encrypted_and_reaches_the_bank_file():
    # given
    shop = make_rib_shop()
    sell(shop, 20000)

    # when
    payout_run = run()

    # then
    payout = Payout.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT destination FROM ledger_payout WHERE id = %s", [payout.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA")
    assert "011519000001205000534921" not in stored
    assert payout.destination == "MA64011519000001205000534921"
    assert "MA64011519000001205000534921" in payout_run.transfer_file.read().decode()
