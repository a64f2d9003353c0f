"""Every test card through the real flow: pay page → sandbox card page (→ 3-D Secure) → browser
return → the processor's callback over HTTP on the live server. And no card number is ever
written to the database or the logs on the way."""

from __future__ import annotations

import datetime
import io
import logging
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from souk.catalog.tests.factories import run_worker
from souk.orders import services as orders
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import repair
from souk.payments import services as payments
from souk.payments.models import (
    AttemptStatus,
    GatewayCallback,
    PaymentAttempt,
    SettlementImport,
    SettlementLine,
)
from souk.sandbox import services as sandbox
from souk.sandbox.models import ProcessorTransaction


def _hidden_fields(html: str, marker: str) -> dict[str, str]:
    form = html.split(marker, 1)[1].split("</form>", 1)[0]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    return {name: _unescape(value) for name, value in fields}


def _unescape(value: str) -> str:
    return (
        value.replace("&amp;", "&")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


def _pay(client: Client, order: Order, card: str, *, code: str = "", **options: str):
    """The buyer's browser from the pay page to the processor's answer page."""
    client.force_login(order.buyer)
    page = client.get(f"/fr/payments/{order.reference}/").content.decode()
    gate = client.post(
        "/sandbox/cmi/fim/est3Dgate", _hidden_fields(page, "data-autosubmit-payment")
    ).content.decode()
    session = _hidden_fields(gate, "est3Dgate/card")["session"]
    answer = client.post(
        "/sandbox/cmi/fim/est3Dgate/card",
        {"session": session, "card_number": card, "expiry": "12/39", "cvc": "000", **options},
    )
    if card == sandbox.THREE_D_SECURE_CARD and answer.status_code == 200:
        three_d = _hidden_fields(answer.content.decode(), "est3Dgate/3ds")["session"]
        answer = client.post("/sandbox/cmi/fim/est3Dgate/3ds", {"session": three_d, "code": code})
    return answer


def _come_back(client: Client, answer) -> None:
    """The auto-submitted form back to Souk's ok/fail URL, as the browser posts it."""
    html = answer.content.decode()
    action = re.search(r'<form method="post" action="([^"]+)" data-sandbox-autosubmit', html)
    assert action is not None
    path = re.sub(r"^https?://[^/]+", "", _unescape(action.group(1)))
    response = client.post(path, _hidden_fields(html, "data-sandbox-autosubmit"), follow=True)
    assert response.status_code == 200


def _deliveries() -> list[str | None]:
    return [
        result.return_value
        for result in DBTaskResult.objects.filter(
            task_path__endswith="deliver_cmi_callback"
        ).order_by("enqueued_at")
    ]


@pytest.fixture
def site(live_server, settings):
    settings.SOUK_SITE_URL = live_server.url
    settings.CMI_GATEWAY_URL = f"{live_server.url}/sandbox/cmi/fim/est3Dgate"
    settings.CMI_API_URL = f"{live_server.url}/sandbox/cmi/fim/api"
    return live_server


# Real commits (the live server reads them); reference_data puts back what the flush removes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
@pytest.mark.parametrize(
    ("card", "code", "reply", "attempt_status", "order_status", "return_code"),
    [
        (sandbox.APPROVED_VISA, "", "ACTION=POSTAUTH", "succeeded", "placed", "00"),
        (sandbox.APPROVED_MASTERCARD, "", "ACTION=POSTAUTH", "succeeded", "placed", "00"),
        (sandbox.DECLINED_CARD, "", "APPROVED", "failed", "awaiting_payment", "05"),
        (sandbox.INSUFFICIENT_FUNDS_CARD, "", "APPROVED", "failed", "awaiting_payment", "51"),
        (sandbox.THREE_D_SECURE_CARD, "123", "ACTION=POSTAUTH", "succeeded", "placed", "00"),
        (sandbox.THREE_D_SECURE_CARD, "999", "APPROVED", "failed", "awaiting_payment", ""),
    ],
    ids=["visa", "mastercard", "declined", "insufficient-funds", "3ds-pass", "3ds-fail"],
)
def test_each_test_card_through_the_redirect_and_callback_flow(
    client, card, code, reply, attempt_status, order_status, return_code
):
    # given a card order on its pay page
    order = make_unpaid_order(payment_method="card")
    # when the buyer pays with the card, comes back, and the processor's callback arrives
    answer = _pay(client, order, card, code=code)
    _come_back(client, answer)
    run_worker()
    # then
    assert _deliveries() == [reply]
    attempt = PaymentAttempt.objects.get(intent__order=order)
    assert attempt.status == attempt_status
    assert attempt.error_code == return_code
    assert attempt.masked_pan == sandbox.mask_card(card)
    assert Order.objects.get(pk=order.pk).status == order_status


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_a_callback_sent_twice_has_one_effect_and_the_day_reconciles(client, tmp_path):
    # given
    order = make_unpaid_order(payment_method="card")
    # when the processor is told to send its callback twice
    _come_back(client, _pay(client, order, sandbox.APPROVED_VISA, send_twice="on"))
    run_worker()
    # then both get the same answer; one callback stored, one payment
    assert _deliveries() == ["ACTION=POSTAUTH", "ACTION=POSTAUTH"]
    assert GatewayCallback.objects.count() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    # and the processor's settlement file of the day matches Souk's books
    day = timezone.localdate().isoformat()
    path = tmp_path / "settlement.csv"
    call_command("generate_settlement", "--date", day, str(path), stdout=io.StringIO())
    call_command("reconcile_settlement", str(path), stdout=io.StringIO())
    assert SettlementImport.objects.get().matched_count == 1
    assert list(SettlementLine.objects.values_list("kind", flat=True)) == ["matched"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_a_late_callback_after_the_order_expired_still_pays_it(client):
    # given a payment whose callback the processor sends an hour late
    order = make_unpaid_order(payment_method="card")
    _come_back(client, _pay(client, order, sandbox.APPROVED_VISA, callback_delay_seconds="3600"))
    run_worker()
    assert _deliveries() == [None]  # not yet due
    # when the order expires meanwhile, then the callback comes
    later = timezone.now() + datetime.timedelta(minutes=30)
    assert orders.expire_unpaid_orders(now=later) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    # then the money is taken and the order goes on (its work is still in stock)
    assert _deliveries() == ["ACTION=POSTAUTH"]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_the_timeout_card_sends_no_callback_now_and_one_late(client):
    # given
    order = make_unpaid_order(payment_method="card")
    # when
    answer = _pay(client, order, sandbox.TIMEOUT_CARD)
    run_worker()
    # then the browser is not sent back and the shop hears nothing yet
    assert answer.status_code == 504
    assert _deliveries() == [None]
    delivery = DBTaskResult.objects.get(task_path__endswith="deliver_cmi_callback")
    assert delivery.run_after > timezone.now() + datetime.timedelta(minutes=10)
    assert PaymentAttempt.objects.get().status == AttemptStatus.PENDING
    # until the late callback comes
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert _deliveries() == ["ACTION=POSTAUTH"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_the_repair_captures_the_timeout_card_before_its_late_callback(client):
    # given an approval whose callback has not come by the end of the page's session
    order = make_unpaid_order(payment_method="card")
    _pay(client, order, sandbox.TIMEOUT_CARD)
    run_worker()
    assert _deliveries() == [None]
    # when the periodic repair asks the processor
    after_session = timezone.now() + datetime.timedelta(minutes=orders.reservation_minutes() + 1)
    assert repair.repair_unconfirmed_payments(now=after_session) == 1
    # then the approval is captured through the API and the order is paid
    purchase = ProcessorTransaction.objects.get()
    assert purchase.captured_at is not None
    attempt = PaymentAttempt.objects.get()
    assert (attempt.status, attempt.transaction_id) == (AttemptStatus.SUCCEEDED, purchase.trans_id)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    # and the late callback is the same approval, repeated
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert _deliveries() == ["ACTION=POSTAUTH"]
    assert PaymentAttempt.objects.get().status == AttemptStatus.SUCCEEDED


# The issuer prefixes (first six digits) of the cards that entered the flows: any card number
# that leaked starts with one of them. Random digit runs (tokens, ids) also pass Luhn one time in
# ten, so a Luhn check alone would fail this test by chance.
TEST_CARD_PREFIXES = frozenset(card[:6] for card in sandbox.TEST_CARDS.values())


def _luhn_numbers(text: str) -> set[str]:
    """13 to 19 digits (maybe grouped by spaces or dashes) standing alone, starting with a test
    card's issuer prefix and passing Luhn: a card number, whole."""
    found = set()
    pattern = r"(?<![0-9A-Za-z])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])"
    for match in re.finditer(pattern, text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits[:6] in TEST_CARD_PREFIXES and sandbox.passes_luhn(digits):
            found.add(digits)
    return found


def _database_text() -> str:
    """Every value of every row of every table, as text."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        names = [field.attname for field in model._meta.concrete_fields]
        for row in model._default_manager.values_list(*names):
            parts.append(" | ".join(str(value) for value in row))
    return "\n".join(parts)


@pytest.mark.ledger_left_broken
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_no_card_number_is_ever_written_to_the_database_or_the_logs(client, caplog):
    # given every logger at DEBUG (the live server's requests log through the same handlers)
    caplog.set_level(logging.DEBUG)
    # when every test card pays an order, in every way, and the refunds are sent
    for name, card in sandbox.TEST_CARDS.items():
        order = make_unpaid_order(payment_method="card")
        answer = _pay(client, order, card, code=sandbox.THREE_D_SECURE_CODE, send_twice="on")
        if name != "timeout":
            _come_back(client, answer)
        # A wrong expiry and a wrong code on the same card: the error path must not leak either.
        other = make_unpaid_order(payment_method="card")
        _pay(client, other, card, code="000", cvc="12")
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    paid = Order.objects.filter(status=OrderStatus.PLACED).first()
    assert paid is not None
    refund = payments.refund_sub_order(sub_order=paid.sub_orders.get(), reason="declined")
    assert payments.process_refund(refund_id=refund.pk).status == "succeeded"
    # then
    assert ProcessorTransaction.objects.count() > 0
    text = _database_text() + "\n" + caplog.text
    assert _luhn_numbers(text) == set()
    for card in sandbox.TEST_CARDS.values():
        assert card not in text
        assert " ".join(card[i : i + 4] for i in range(0, 16, 4)) not in text


def test_the_card_number_detector_finds_a_card_and_ignores_random_digits() -> None:
    visa = (
        sandbox.TEST_CARDS["approved_visa"]
        if "approved_visa" in sandbox.TEST_CARDS
        else next(iter(sandbox.TEST_CARDS.values()))
    )
    grouped = " ".join(visa[i : i + 4] for i in range(0, 16, 4))

    assert _luhn_numbers(f"paid with {visa}.") == {visa}
    assert _luhn_numbers(f"paid with {grouped}.") == {visa}
    # A random run of digits that happens to pass Luhn is not a card number.
    assert _luhn_numbers("token 8364730840575521") == set()
