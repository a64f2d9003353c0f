"""The periodic repair asks the wallet too (#13 defect 1): a wallet payment whose callback was
lost is recorded from the wallet's own status answer, over real HTTP against the sandbox
wallet. The sandbox queues its callbacks as tasks; not running the worker is the lost callback.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from souk.catalog.tests.factories import run_worker
from souk.ledger.models import JournalEntry
from souk.orders import services as orders
from souk.orders.models import Order, OrderStatus, ReservationStatus, StockReservation
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import repair, services
from souk.payments.models import AttemptStatus, IntentStatus, PaymentAttempt, PaymentIntent
from souk.sandbox import wallet as sandbox
from souk.sandbox.models import WalletPushRequest

# Real commits (the live server reads them); reference_data puts back what the flush removes.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

UNREACHABLE_WALLET = "http://127.0.0.1:9/sandbox/wallet/api"


@pytest.fixture(autouse=True)
def wallet_over_http(live_server, settings):
    settings.SOUK_SITE_URL = live_server.url
    settings.WALLET_API_URL = f"{live_server.url}/sandbox/wallet/api"
    return live_server


def _pushed(*, decision: bool | None) -> tuple[Order, PaymentAttempt, WalletPushRequest]:
    """A wallet push request for a new order, approved, rejected or still pending (None) in the
    sandbox wallet, whose callback stays queued."""
    order = make_unpaid_order(payment_method="wallet")
    attempt = services.request_wallet_push(order=order, phone="0612345678")
    push = WalletPushRequest.objects.get()
    if decision is not None:
        push = sandbox.decide_push(request_id=push.pk, approve=decision)
    return order, attempt, push


def _after_the_session() -> datetime:
    return timezone.now() + timedelta(minutes=orders.reservation_minutes() + 1)


def _state(order: Order) -> tuple[object, ...]:
    """What a buyer, an artisan or the books would observe of an order's payment."""
    intent = PaymentIntent.objects.get(order=order)
    attempt = intent.attempts.get()
    return (
        Order.objects.get(pk=order.pk).status,
        intent.status,
        list(intent.events.values_list("action", flat=True)),
        (attempt.status, attempt.transaction_id, attempt.error_code),
        sorted(StockReservation.objects.filter(order=order).values_list("status", flat=True)),
        JournalEntry.objects.count(),
    )


def _deliver_the_lost_callback() -> str | None:
    run_worker()
    return DBTaskResult.objects.get(task_path__endswith="deliver_wallet_callback").return_value


def test_an_approved_push_whose_callback_was_lost_is_recorded_paid_once():
    # given a push request approved in the wallet, its callback never delivered
    order, attempt, push = _pushed(decision=True)
    journal_before = JournalEntry.objects.count()
    # when the repair runs after the session
    recorded = repair.repair_unconfirmed_payments(now=_after_the_session())
    # then the order is paid with the wallet's transaction, as its callback would have done
    assert recorded == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.SUCCEEDED
    paid = PaymentAttempt.objects.get(pk=attempt.pk)
    assert paid.status == AttemptStatus.SUCCEEDED
    assert paid.transaction_id == sandbox.wallet_transaction_id(push)
    assert list(intent.events.values_list("action", flat=True)).count("succeed") == 1
    assert JournalEntry.objects.count() > journal_before
    after_repair = _state(order)
    # when it runs again, then nothing changes
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 0
    assert _state(order) == after_repair
    # when the lost callback arrives late, then it is acknowledged with no second effect
    assert _deliver_the_lost_callback() == "ok"
    assert _state(order) == after_repair


def test_a_rejected_push_whose_callback_was_lost_is_recorded_failed_and_its_stock_released():
    # given a push request the holder rejected, its callback never delivered
    order, attempt, _push = _pushed(decision=False)
    # when
    recorded = repair.repair_unconfirmed_payments(now=_after_the_session())
    # then the attempt failed as a declined callback would record it: stock back on sale
    assert recorded == 0
    failed = PaymentAttempt.objects.get(pk=attempt.pk)
    assert (failed.status, failed.error_code) == (AttemptStatus.FAILED, "rejected")
    assert PaymentIntent.objects.get(order=order).status == IntentStatus.FAILED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert set(StockReservation.objects.filter(order=order).values_list("status", flat=True)) == {
        ReservationStatus.RELEASED
    }
    after_repair = _state(order)
    # and a second run, then the late callback, change nothing more
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 0
    assert _deliver_the_lost_callback() == "ok"
    assert _state(order) == after_repair


def test_a_push_still_pending_in_the_wallet_is_left_alone():
    # given a push request the holder has not answered
    order, _attempt, _push = _pushed(decision=None)
    before = _state(order)
    # when
    recorded = repair.repair_unconfirmed_payments(now=_after_the_session())
    # then
    assert recorded == 0
    assert _state(order) == before
    assert PaymentAttempt.objects.get().status == AttemptStatus.PROCESSING


def test_an_unreachable_wallet_changes_nothing_and_the_next_run_records_the_payment(settings):
    # given an approved push request whose callback was lost, and the wallet unreachable
    order, _attempt, _push = _pushed(decision=True)
    before = _state(order)
    wallet_url = settings.WALLET_API_URL
    settings.WALLET_API_URL = UNREACHABLE_WALLET
    # when
    recorded = repair.repair_unconfirmed_payments(now=_after_the_session())
    # then
    assert recorded == 0
    assert _state(order) == before
    # when the wallet answers again
    settings.WALLET_API_URL = wallet_url
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_a_wallet_attempt_still_in_its_session_is_not_asked():
    # given an approved push request whose callback has not come yet, within the session
    order, _attempt, _push = _pushed(decision=True)
    before = _state(order)
    # when
    recorded = repair.repair_unconfirmed_payments(now=timezone.now())
    # then the callback still has its chance
    assert recorded == 0
    assert _state(order) == before
