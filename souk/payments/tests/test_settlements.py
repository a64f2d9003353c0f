"""Reconciliation of the processor's settlement file: each kind of result, bad files."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from souk.payments import services
from souk.payments.gateways.cmi_protocol import format_amount
from souk.payments.models import (
    PaymentAttempt,
    Refund,
    RefundStatus,
    SettlementImport,
    SettlementLine,
    SettlementLineKind,
)
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment

pytestmark = pytest.mark.django_db

HEADER = (
    "settlement_date,transaction_date,oid,trans_id,auth_code,type,amount,currency,"
    "fee_amount,net_amount,card_brand,masked_pan\n"
)


def _captured(**fields: str) -> PaymentAttempt:
    _order, start = start_card_payment()
    assert services.handle_cmi_callback(params=cmi_callback_fields(start, **fields)) == (
        "ACTION=POSTAUTH"
    )
    return PaymentAttempt.objects.get(gateway_order_id=start.gateway_order_id)


def _line(day: str, oid: str, trans_id: str, kind: str = "PURCHASE", amount: str = "485.00"):
    return f"{day},{day},{oid},{trans_id},123456,{kind},{amount},504,1.00,0.00,VISA,400000***0010\n"


def _paid(attempt: PaymentAttempt) -> str:
    return format_amount(attempt.intent.amount)


def _reconcile(tmp_path: Path, text: str) -> tuple[str, str]:
    path = tmp_path / "settlement.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("reconcile_settlement", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _kinds() -> list[tuple[str, str]]:
    return list(SettlementLine.objects.values_list("kind", "gateway_order_id"))


@pytest.mark.ledger_left_broken
def test_each_kind_of_result_is_stored_for_the_back_office(tmp_path):
    # given four captured payments today and one gateway refund
    today = timezone.localdate().isoformat()
    matched = _captured()
    wrong_amount = _captured()
    doubled = _captured()
    absent = _captured()
    refund = Refund.objects.create(
        intent=matched.intent,
        amount=10000,
        currency="MAD",
        idempotency_key="refund:test",
        method="gateway",
        status=RefundStatus.SUCCEEDED,
        gateway_reference="SBXREFUND1",
        completed_at=timezone.now(),
    )
    # when the processor's file names three of them, one twice, one with another amount, an
    # unknown payment, the refund, and a line it garbled
    text = (
        HEADER
        + _line(today, matched.gateway_order_id, matched.transaction_id, amount=_paid(matched))
        + _line(today, wrong_amount.gateway_order_id, wrong_amount.transaction_id, amount="1.00")
        + _line(today, doubled.gateway_order_id, doubled.transaction_id, amount=_paid(doubled))
        + _line(today, doubled.gateway_order_id, doubled.transaction_id, amount=_paid(doubled))
        + _line(today, "SK-NOTOURS1-1", "SBX000000000001")
        + _line(today, matched.gateway_order_id, "SBXREFUND1", kind="REFUND", amount="100.00")
        + _line(today, "SK-GARBLED-1", "SBX2", amount="lots")
    )
    out, err = _reconcile(tmp_path, text)
    # then
    assert _kinds() == [
        (SettlementLineKind.MATCHED, matched.gateway_order_id),
        (SettlementLineKind.AMOUNT_MISMATCH, wrong_amount.gateway_order_id),
        (SettlementLineKind.MATCHED, doubled.gateway_order_id),
        (SettlementLineKind.DUPLICATE, doubled.gateway_order_id),
        (SettlementLineKind.MISSING_IN_SOUK, "SK-NOTOURS1-1"),
        (SettlementLineKind.MATCHED, matched.gateway_order_id),
        (SettlementLineKind.MISSING_IN_FILE, absent.gateway_order_id),
    ]
    assert err == "line 8: amount is not a positive decimal like 120.50\n"
    done = SettlementImport.objects.get()
    assert done.settlement_date == timezone.localdate()
    assert (
        done.line_count,
        done.matched_count,
        done.amount_mismatch_count,
        done.duplicate_count,
        done.missing_in_souk_count,
        done.missing_in_file_count,
        done.rejected_count,
    ) == (7, 3, 1, 1, 1, 1, 1)
    mismatch = SettlementLine.objects.get(kind=SettlementLineKind.AMOUNT_MISMATCH)
    assert (mismatch.file_amount, mismatch.souk_amount, mismatch.line_number) == (
        100,
        wrong_amount.intent.amount,
        3,
    )
    assert mismatch.attempt == wrong_amount
    assert SettlementLine.objects.get(transaction_type="REFUND").refund == refund
    assert "3 matched" in out
    # and every line not matched is named for the operator
    assert "line 6: missing_in_souk PURCHASE SK-NOTOURS1-1 SBX000000000001\n" in out
    assert f"line 3: amount_mismatch PURCHASE {wrong_amount.gateway_order_id}" in out
    assert f"not in the file: missing_in_file PURCHASE {absent.gateway_order_id}" in out


@pytest.mark.ledger_left_broken
def test_a_payment_captured_on_another_day_is_not_missing_from_this_file(tmp_path):
    attempt = _captured()
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=3)
    )
    _reconcile(tmp_path, HEADER + _line(timezone.localdate().isoformat(), "SK-OTHER-1", "T9"))
    assert _kinds() == [(SettlementLineKind.MISSING_IN_SOUK, "SK-OTHER-1")]


@pytest.mark.parametrize(
    "text",
    [
        "date,oid,amount\n2026-01-01,X-1,10.00\n",  # not the settlement columns
        HEADER + _line("2026-01-01", "A-1", "T1") + _line("2026-01-02", "A-2", "T2"),
        HEADER,  # no line and no --date: which day?
    ],
)
def test_a_file_that_is_not_a_settlement_file_writes_nothing(tmp_path, text):
    _captured()
    with pytest.raises(CommandError):
        _reconcile(tmp_path, text)
    assert SettlementImport.objects.count() == 0
    assert SettlementLine.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "é".encode("latin-1"))
    with pytest.raises(CommandError):
        call_command("reconcile_settlement", str(path), stdout=io.StringIO())
    assert SettlementImport.objects.count() == 0


def test_a_matched_purchase_books_the_fee_and_the_money_paid_into_the_bank(tmp_path):
    from souk.ledger import accounting
    from souk.ledger.selectors import get_balance

    attempt = _captured()
    day = timezone.localdate().isoformat()
    captured = attempt.intent.amount
    text = HEADER + _line(day, attempt.gateway_order_id, "T-PAID-1", amount=_paid(attempt))

    _reconcile(tmp_path, text)
    _reconcile(tmp_path, text)  # the same file again posts nothing more

    # The line's fee is 1.00 MAD: expense; the rest reaches the bank; clearing is settled.
    assert get_balance(key=accounting.fees_key("cmi")).amount == 100
    assert get_balance(key=accounting.BANK).amount == captured - 100
    assert get_balance(key=accounting.clearing_key("cmi")).amount == 0
