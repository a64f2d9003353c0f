"""Cash on delivery: the carrier's remittance file settles the intent; cancelled COD orders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from souk.orders.models import SubOrder, SubOrderStatus
from souk.orders.services import lifecycle
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import selectors, services
from souk.payments.gateways.cmi_protocol import format_amount
from souk.payments.models import AttemptStatus, CodRemittance, IntentStatus, PaymentIntent
from souk.shops.tests.factories import make_moderator

pytestmark = pytest.mark.django_db

HEADER = "remittance_id,remittance_date,carrier,sub_order_reference,collected_amount,currency\n"


def _confirmed_cod_parcel() -> SubOrder:
    order = make_unpaid_order(payment_method="cod")
    services.confirm_cash_on_delivery(order=order)
    return order.sub_orders.get()


def _import(tmp_path: Path, text: str) -> tuple[str, str]:
    path = tmp_path / "remittance.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cod_remittance", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_remittance_settles_the_cash_on_delivery_payment_once(tmp_path):
    # given a confirmed cash-on-delivery order
    parcel = _confirmed_cod_parcel()
    total = format_amount(parcel.total_amount)
    text = HEADER + f"R-100,2026-12-01,Amana,{parcel.reference},{total},MAD\n"
    # when the carrier's file is imported, twice
    first, _ = _import(tmp_path, text)
    second, errors = _import(tmp_path, text)
    # then one remittance, the intent paid, the attempt collected
    remittance = CodRemittance.objects.get()
    assert (remittance.collected_amount, remittance.carrier, remittance.line_number) == (
        parcel.total_amount,
        "Amana",
        2,
    )
    intent = PaymentIntent.objects.get(order=parcel.order)
    assert intent.status == IntentStatus.SUCCEEDED
    assert intent.attempts.get().status == AttemptStatus.SUCCEEDED
    assert first.startswith("1 parcel(s) recorded, 0 already imported")
    assert second.startswith("0 parcel(s) recorded, 1 already imported")
    assert errors == ""
    assert list(selectors.list_cod_remittances()) == [remittance]


def test_each_bad_line_is_reported_with_its_number_and_the_others_go_in(tmp_path):
    # given
    parcel = _confirmed_cod_parcel()
    wrong_amount = _confirmed_cod_parcel()
    card = make_unpaid_order(payment_method="card").sub_orders.get()
    total = format_amount(parcel.total_amount)
    text = (
        HEADER
        + f"R-1,2026-12-01,Amana,{parcel.reference},{total},MAD\n"
        + f"R-1,2026-12-01,Amana,{parcel.reference},{total},MAD\n"
        + f"R-1,2026-12-01,Amana,SK-NOPE0000-1,{total},MAD\n"
        + f"R-1,2026-12-01,Amana,{wrong_amount.reference},1.00,MAD\n"
        + f"R-1,2026-12-01,Amana,{card.reference},{total},MAD\n"
        + f"R-2,2026-12-02,Amana,{parcel.reference},{total},MAD\n"
        + f"R-1,01/12/2026,Amana,{wrong_amount.reference},{total},MAD\n"
    )
    # when
    out, err = _import(tmp_path, text)
    # then
    assert err.splitlines() == [
        "line 3: Duplicate: this parcel is already on an earlier line of this file.",
        "line 4: No parcel has this reference.",
        f"line 5: The amount collected is not the parcel's total ({total} MAD).",
        "line 6: This parcel is not paid in cash on delivery.",
        "line 7: This parcel was already remitted (remittance R-1).",
        "line 8: The remittance date is not a YYYY-MM-DD date.",
    ]
    assert out.startswith("1 parcel(s) recorded")
    assert CodRemittance.objects.count() == 1
    intent = PaymentIntent.objects.get(order=wrong_amount.order)
    assert intent.status == IntentStatus.PROCESSING


def test_a_file_without_the_remittance_columns_writes_nothing(tmp_path):
    parcel = _confirmed_cod_parcel()
    with pytest.raises(CommandError):
        _import(tmp_path, f"id,reference,amount\nR-1,{parcel.reference},1.00\n")
    assert CodRemittance.objects.count() == 0


def test_an_undelivered_cash_on_delivery_order_is_cancelled_without_money(tmp_path):
    # given a confirmed COD parcel the moderator cancels (never delivered)
    parcel = _confirmed_cod_parcel()
    lifecycle.force_cancel(sub_order=parcel, moderator=make_moderator(), reason="refused")
    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.CANCELLED
    # when
    intent = services.cancel_unpaid_payment(order=parcel.order)
    # then
    assert intent is not None
    assert intent.status == IntentStatus.CANCELLED
    assert intent.refunds.count() == 0
    # and a remittance for it is refused
    total = format_amount(parcel.total_amount)
    _out, err = _import(tmp_path, HEADER + f"R-9,2026-12-01,Amana,{parcel.reference},{total},MAD\n")
    assert err == "line 2: This parcel was cancelled: nothing was to be collected.\n"
