"""Capture only what the processor confirms (#13 defects 1 and 2): the status query before
`ACTION=POSTAUTH`, a second approval of a paid order (two tabs) never captured and shown to the
operators, and the repair of approvals whose callback never came."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.models import AuditEntry
from souk.core.periodic import periodic_tasks
from souk.notifications.models import Notification
from souk.orders import services as orders
from souk.orders.models import Order, OrderStatus
from souk.payments import repair, services
from souk.payments.gateways import cmi, cmi_api
from souk.payments.models import (
    AttemptStatus,
    CallbackStatus,
    GatewayCallback,
    IntentStatus,
    PaymentAttempt,
    PaymentIntent,
)
from souk.payments.tasks import repair_unconfirmed_payments as repair_unconfirmed_payments_task
from souk.payments.tests.factories import (
    cmi_callback_fields,
    journal_approval,
    start_card_payment,
    unjournaled_cmi_callback_fields,
)
from souk.sandbox.models import ProcessorTransaction

pytestmark = pytest.mark.django_db

UNREACHABLE_API = "http://127.0.0.1:9/fim/api"


@pytest.fixture
def operator():
    return accounts.grant_role(user=make_user(email="ops@souk.example"), role=Role.ADMIN)


def _unpaid(order: Order) -> None:
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.REQUIRES_ACTION
    assert intent.attempts.get().status == AttemptStatus.PENDING


def _after_the_session() -> datetime:
    return timezone.now() + timedelta(minutes=orders.reservation_minutes() + 1)


def test_an_approval_the_processor_never_made_is_not_captured(
    operator, django_capture_on_commit_callbacks
):
    # given a validly signed approval the processor's books do not hold
    order, start = start_card_payment()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.handle_cmi_callback(params=unjournaled_cmi_callback_fields(start))
    # then
    assert reply == "FAILURE"
    _unpaid(order)
    assert GatewayCallback.objects.get().error.startswith("not confirmed by the status query")
    assert AuditEntry.objects.filter(action="payments.approval_not_captured").count() == 1
    assert Notification.objects.get(recipient=operator).kind == "payment_not_captured_operator"


def test_an_approval_with_another_transaction_at_the_processor_is_not_captured():
    order, start = start_card_payment()
    journal_approval(start, transaction_id="SBX-THE-REAL-ONE")
    reply = services.handle_cmi_callback(params=unjournaled_cmi_callback_fields(start))
    assert reply == "FAILURE"
    _unpaid(order)
    assert GatewayCallback.objects.get().error.endswith("another transaction id at the processor")


def test_the_status_query_is_asked_before_the_capture():
    # given an approval the processor holds
    order, start = start_card_payment()
    fields = cmi_callback_fields(start)
    # when
    reply = services.handle_cmi_callback(params=fields)
    # then the capture is asked and the processor's record is the one captured
    assert reply == "ACTION=POSTAUTH"
    status = cmi.CmiGateway().fetch_status(start.gateway_order_id)
    assert status is not None
    assert (status.transaction_id, status.amount, status.currency) == (
        fields["TransId"],
        order.total_amount,
        "504",
    )


def test_an_unreachable_status_api_fails_the_callback_and_the_repair_captures_later(settings):
    # given an approval whose callback comes while the processor's API is down
    order, start = start_card_payment()
    fields = cmi_callback_fields(start)
    api_url = settings.CMI_API_URL
    settings.CMI_API_URL = UNREACHABLE_API
    # when
    reply = services.handle_cmi_callback(params=fields)
    # then nothing changes and the callback waits as failed
    assert reply == "FAILURE"
    _unpaid(order)
    assert GatewayCallback.objects.get().status == CallbackStatus.FAILED
    # when the API is back and the repair runs after the page's session
    settings.CMI_API_URL = api_url
    assert repair.repair_unconfirmed_payments(now=timezone.now()) == 0  # session still open
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 1
    # then the approval is captured through the API and the order is paid, once
    assert ProcessorTransaction.objects.get(trans_id=fields["TransId"]).captured_at is not None
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    attempt = PaymentAttempt.objects.get()
    assert (attempt.status, attempt.transaction_id) == (AttemptStatus.SUCCEEDED, fields["TransId"])
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 0
    # and the callback delivered again is the approval repeated
    assert services.handle_cmi_callback(params=fields) == "ACTION=POSTAUTH"


def test_the_repair_leaves_an_order_the_processor_did_not_approve_to_expire():
    order, _start = start_card_payment()
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 0
    _unpaid(order)


def test_the_repair_records_an_already_captured_approval_without_capturing_again():
    order, start = start_card_payment()
    purchase = journal_approval(start, transaction_id="SBX1")
    captured_at = timezone.now() - timedelta(minutes=1)
    ProcessorTransaction.objects.filter(pk=purchase.pk).update(captured_at=captured_at)
    assert repair.repair_unconfirmed_payments(now=_after_the_session()) == 1
    assert ProcessorTransaction.objects.get(pk=purchase.pk).captured_at == captured_at
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_the_repair_runs_every_five_minutes():
    (periodic,) = [task for task in periodic_tasks() if "repair" in task.name]
    assert periodic.task is repair_unconfirmed_payments_task
    assert periodic.every == timedelta(minutes=5)


def test_paying_one_attempt_from_two_tabs_captures_once_and_alerts_the_operators(
    operator, django_capture_on_commit_callbacks
):
    # given one open attempt, approved in a first tab
    order, start = start_card_payment()
    first = cmi_callback_fields(start)
    assert services.handle_cmi_callback(params=first) == "ACTION=POSTAUTH"
    # when the same attempt is approved again from a second tab, with another transaction
    second = cmi_callback_fields(start, TransId="T-SECOND-TAB", rnd="second-tab")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.handle_cmi_callback(params=second)
    # then it is not captured: the pre-authorisation lapses
    assert reply == "APPROVED"
    attempt = PaymentAttempt.objects.get()
    assert (attempt.status, attempt.transaction_id) == (AttemptStatus.SUCCEEDED, first["TransId"])
    intent = PaymentIntent.objects.get(order=order)
    assert list(intent.events.values_list("action", flat=True)) == ["start_attempt", "succeed"]
    # and the operators see it
    entry = AuditEntry.objects.get(action="payments.approval_not_captured")
    assert entry.data["transaction_id"] == "T-SECOND-TAB"
    notification = Notification.objects.get(recipient=operator)
    assert "T-SECOND-TAB" in notification.body
    assert order.reference in notification.subject
    # and the first approval delivered again is still the one captured
    assert services.handle_cmi_callback(params=first) == "ACTION=POSTAUTH"


def test_a_status_answer_in_the_combined_orderstatus_text_is_read():
    # The way NestPay terminals answer: one ORDERSTATUS text in Extra, amounts in minor units.
    answer = cmi_api.parse_answer(
        b"<CC5Response><Response>Approved</Response><ProcReturnCode>00</ProcReturnCode>"
        b"<TransId>T1</TransId><Extra><ORDERSTATUS>ORD_ID:SK-1-1 CHARGE_TYPE_CD:S "
        b"ORIG_TRANS_AMT:45000 CAPTURE_AMT:0 TRANS_STAT:A AUTH_DTTM:2026-08-09 19:12:07 "
        b"AUTH_CODE:123456 CURRENCY:504</ORDERSTATUS></Extra></CC5Response>"
    )
    status = cmi.status_of(answer, "SK-1-1")
    assert status.outcome.value == "approved"
    assert (status.transaction_id, status.amount, status.currency) == ("T1", 45_000, "504")
    assert status.is_captured is False
    voided = cmi_api.parse_answer(
        b"<CC5Response><Response>Approved</Response><ProcReturnCode>00</ProcReturnCode>"
        b"<Extra><ORDERSTATUS>ORD_ID:SK-1-1 TRANS_STAT:V</ORDERSTATUS></Extra></CC5Response>"
    )
    assert cmi.status_of(voided, "SK-1-1").outcome.value == "declined"
