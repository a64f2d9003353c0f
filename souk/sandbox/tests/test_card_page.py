"""The sandbox card page checks cards like a real hosted page; the settlement file it writes."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from souk.payments.tests.factories import start_card_payment
from souk.sandbox import services as sandbox
from souk.sandbox import settlement
from souk.sandbox.models import ProcessorTransaction, TransactionType


def _session(client) -> str:
    _order, start = start_card_payment()
    html = client.post("/sandbox/cmi/fim/est3Dgate", dict(start.fields)).content.decode()
    found = re.search(r'name="session" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("number", sorted(sandbox.TEST_CARDS.values()))
def test_every_documented_test_card_passes_luhn(number):
    assert sandbox.passes_luhn(number)


def test_luhn_refuses_a_wrong_check_digit():
    assert not sandbox.passes_luhn("4000000000000011")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"card_number": "4000000000000011"}, "card_number", "This card number is not valid."),
        ({"card_number": "4000 0000 00x0 0010"}, "card_number", "Enter the card number"),
        ({"card_number": "400000000001"}, "card_number", "This card number is not valid."),
        ({"expiry": "01/20"}, "expiry", "This card has expired."),
        ({"expiry": "13/30"}, "expiry", "Enter the expiry date as MM/YY"),
        ({"cvc": "12"}, "cvc", "The security code is 3 or 4 digits."),
        ({"cvc": "12a"}, "cvc", "The security code is 3 or 4 digits."),
    ],
)
def test_the_card_form_refuses_bad_card_data_and_decides_nothing(client, fields, field, message):
    # given
    session = _session(client)
    data = {"session": session, "card_number": "4000000000000010", "expiry": "12/39", "cvc": "000"}
    data.update(fields)
    # when
    response = client.post("/sandbox/cmi/fim/est3Dgate/card", data, HTTP_ACCEPT_LANGUAGE="en")
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    # the number and code typed are never echoed back (the page lists the test cards itself)
    assert f'value="{data["card_number"]}"' not in html
    assert f'value="{data["cvc"]}"' not in html
    assert ProcessorTransaction.objects.count() == 0


@pytest.mark.django_db
def test_card_errors_are_translated(client):
    session = _session(client)
    response = client.post(
        "/sandbox/cmi/fim/est3Dgate/card",
        {"session": session, "card_number": "4000000000000010", "expiry": "12/39", "cvc": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Le code de sécurité" in response.content.decode()


@pytest.mark.django_db
def test_the_card_page_lists_the_test_cards(client):
    _order, start = start_card_payment()
    html = client.post("/sandbox/cmi/fim/est3Dgate", dict(start.fields)).content.decode()
    for number in sandbox.TEST_CARDS.values():
        assert number in html


@pytest.mark.django_db
def test_an_approved_card_is_journaled_masked_and_its_callback_can_be_sent_twice_late(
    client, django_capture_on_commit_callbacks
):
    # given
    session = _session(client)
    # when
    with_options = {"send_twice": "on", "callback_delay_seconds": "120"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/sandbox/cmi/fim/est3Dgate/card",
            {
                "session": session,
                "card_number": "5453 0100 0006 6100",
                "expiry": "12/39",
                "cvc": "1234",
                **with_options,
            },
        )
    # then one journal line, masked; two deliveries queued for later
    journal = ProcessorTransaction.objects.get()
    assert (journal.type, journal.masked_pan, journal.card_brand) == (
        TransactionType.PURCHASE,
        "545301***6100",
        "MASTERCARD",
    )
    deliveries = DBTaskResult.objects.filter(task_path__endswith="deliver_cmi_callback")
    assert deliveries.count() == 2
    assert all(
        delivery.run_after >= timezone.now() + datetime.timedelta(seconds=100)
        for delivery in deliveries
    )


@pytest.mark.django_db
def test_the_settlement_file_lists_captured_purchases_and_refunds_with_the_fee(tmp_path, settings):
    # given a captured purchase of 485.00, one not captured, and a refund of 100.00 today
    settings.SANDBOX_FEE_PERCENT = "1.5"
    settings.SANDBOX_FEE_FIXED_AMOUNT = 100
    now = timezone.now()
    ProcessorTransaction.objects.create(
        oid="SK-A-1", trans_id="SBX1", auth_code="111111", type="PURCHASE", amount=48500,
        currency="504", card_brand="VISA", masked_pan="400000***0010", captured_at=now,
    )  # fmt: skip
    ProcessorTransaction.objects.create(
        oid="SK-B-1", trans_id="SBX2", auth_code="222222", type="PURCHASE", amount=1000,
        currency="504", card_brand="VISA", masked_pan="400000***0010",
    )  # fmt: skip
    ProcessorTransaction.objects.create(
        oid="SK-A-1", trans_id="SBX3", type="REFUND", amount=10000, currency="504",
        card_brand="VISA", masked_pan="400000***0010",
    )  # fmt: skip
    day = timezone.localdate()
    path = tmp_path / "settlement.csv"
    # when
    call_command("generate_settlement", "--date", day.isoformat(), str(path), stdout=io.StringIO())
    # then 485.00 * 1.5 % = 7.275, rounded to 7.28, + 1.00 = 8.28
    assert path.read_text().splitlines() == [
        ",".join(settlement.COLUMNS),
        f"{day},{day},SK-A-1,SBX1,111111,PURCHASE,485.00,504,8.28,476.72,VISA,400000***0010",
        f"{day},{day},SK-A-1,SBX3,,REFUND,100.00,504,0.00,-100.00,VISA,400000***0010",
    ]


def test_the_fee_is_rounded_half_up_to_the_centime(settings):
    settings.SANDBOX_FEE_PERCENT = "1.5"
    settings.SANDBOX_FEE_FIXED_AMOUNT = 100
    assert settlement.fee_amount(100) == 102  # 1.5 centimes → 2, + 100
    assert settlement.fee_amount(48500) == 828
