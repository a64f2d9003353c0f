"""The card callback as an attacker posts it (#13 defects 1, 6, 7): a renamed copy of the
buyer's own signed pay form, names that are not the processor's, oversized bodies, a non-ASCII
HASH, odd field names. Each is refused with `FAILURE` (or 413) and changes nothing."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from souk.ledger.models import JournalEntry
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_buyer, make_unpaid_order
from souk.payments import services
from souk.payments.gateways import cmi_protocol
from souk.payments.models import (
    AttemptStatus,
    CallbackStatus,
    GatewayCallback,
    IntentStatus,
    PaymentIntent,
)
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment

MAX_CALLBACK_BYTES = 64 * 1024  # souk.payments.views.MAX_CALLBACK_BYTES

pytestmark = pytest.mark.django_db

CALLBACK = "/payments/cmi/callback"


def _unescape(value: str) -> str:
    return (
        value.replace("&amp;", "&")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


def _pay_form(client: Client, order: Order) -> dict[str, str]:
    """The signed hidden fields of the order's pay page, as the buyer's browser gets them."""
    client.force_login(order.buyer)
    html = client.get(f"/fr/payments/{order.reference}/").content.decode()
    form = html.split("data-autosubmit-payment", 1)[1].split("</form>", 1)[0]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    return {name: _unescape(value) for name, value in fields}


def _nothing_paid(order: Order) -> None:
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.REQUIRES_ACTION
    assert intent.attempts.get().status == AttemptStatus.PENDING
    assert list(intent.events.values_list("action", flat=True)) == ["start_attempt"]
    assert JournalEntry.objects.count() == 0


def _renamed_pay_form(form: dict[str, str]) -> dict[str, str]:
    """The attack of #13: the form's values kept in their signed (natural) order under new
    names, the buyer's name `00` as ProcReturnCode and the oid as ReturnOid."""
    signed = [name for name in form if name.lower() not in cmi_protocol.UNSIGNED_FIELDS]
    ordered = sorted(signed, key=cmi_protocol._natural_key)
    assert ordered[:2] == ["amount", "BillToName"]
    oid_at = ordered.index("oid")
    renamed = {"amount": form["amount"], "ProcReturnCode": form["BillToName"]}
    # Between "procreturncode" and "returnoid", then after it: the order of the values holds.
    renamed.update({f"q{index}": form[name] for index, name in enumerate(ordered[2:oid_at], 1)})
    renamed["ReturnOid"] = form["oid"]
    renamed.update({f"s{index}": form[name] for index, name in enumerate(ordered[oid_at + 1 :], 1)})
    return renamed


def test_a_renamed_copy_of_the_buyers_pay_form_is_not_a_callback(client):
    # given a buyer whose full name is "00" and the signed form of their pay page
    order = make_unpaid_order(buyer=make_buyer(full_name="00"), payment_method="card")
    form = _pay_form(client, order)
    assert form["BillToName"] == "00"
    # when they rename its fields, sign the copy the way their own form is signed (the same
    # key and algorithm give the same HASH: the names are not signed) and post it
    forged = _renamed_pay_form(form)
    forged["HASH"] = cmi_protocol.compute_hash(forged, settings.CMI_STORE_KEY)
    assert forged["HASH"] == form["HASH"]
    response = Client().post(CALLBACK, forged)
    # then
    assert response.status_code == 200
    assert response.content == b"FAILURE"
    _nothing_paid(order)
    record = GatewayCallback.objects.get()
    assert (record.status, record.is_signature_valid) == (CallbackStatus.REJECTED, False)
    assert record.error == "unknown field name"


def test_the_renamed_form_as_a_browser_return_is_refused(client):
    order = make_unpaid_order(buyer=make_buyer(full_name="00"), payment_method="card")
    forged = _renamed_pay_form(form := _pay_form(client, order))
    forged["HASH"] = form["HASH"]
    response = client.post("/fr/payments/cmi/ok/", forged)
    assert response.status_code == 400
    _nothing_paid(order)


def test_the_pay_form_itself_posted_as_a_callback_is_refused(client):
    order = make_unpaid_order(payment_method="card")
    response = Client().post(CALLBACK, _pay_form(client, order))
    assert response.content == b"FAILURE"
    _nothing_paid(order)
    assert GatewayCallback.objects.get().error == "missing field"


def test_a_genuine_callback_has_more_signed_values_than_any_form_we_sign(client):
    order = make_unpaid_order(payment_method="card")
    form = _pay_form(client, order)
    signed_in_form = [name for name in form if name.lower() not in cmi_protocol.UNSIGNED_FIELDS]
    required = [
        name
        for name in cmi_protocol.REQUIRED_CALLBACK_FIELDS
        if name.lower() not in cmi_protocol.UNSIGNED_FIELDS
    ]
    assert set(signed_in_form) <= cmi_protocol.REQUEST_ECHO_FIELDS
    assert len(required) > len(signed_in_form)


@pytest.mark.parametrize(
    "change",
    [
        {"drop": "Response"},
        {"drop": "mdStatus"},
        {"drop": "currency"},
        {"drop": "clientid"},
        {"drop": "oid"},
        {"drop": "TransId"},
        {"drop": "BillToName"},
        {"rename": ("oid", "ReturnOid")},
        {"rename": ("oid", "OID")},
        {"rename": ("ProcReturnCode", "procreturncode")},
        {"add": ("Oid", "x")},
        {"add": ("note", "x")},
    ],
    ids=lambda change: "-".join(
        [*change, *change.get("rename", change.get("add", [change.get("drop")]))]
    ),
)
def test_a_signed_callback_without_the_processors_exact_names_is_refused(client, change):
    # given a callback signed with the real key, but its names are not the processor's
    order, start = start_card_payment()
    fields = cmi_callback_fields(start)
    del fields["HASH"]
    if "drop" in change:
        del fields[change["drop"]]
    elif "rename" in change:
        old, new = change["rename"]
        fields[new] = fields.pop(old)
    else:
        name, value = change["add"]
        fields[name] = value
    fields["HASH"] = cmi_protocol.compute_hash(fields, settings.CMI_STORE_KEY)
    # when
    response = client.post(CALLBACK, fields)
    # then
    assert response.content == b"FAILURE"
    _nothing_paid(order)


def test_a_callback_for_another_client_id_is_refused(client):
    order, start = start_card_payment()
    response = client.post(CALLBACK, cmi_callback_fields(start, clientid="600000001"))
    assert response.content == b"FAILURE"
    _nothing_paid(order)
    assert GatewayCallback.objects.get().error == "another client id"


def test_an_approval_code_without_response_approved_is_a_decline(client):
    order, start = start_card_payment()
    fields = cmi_callback_fields(start, Response="Declined")
    assert client.post(CALLBACK, fields).content == b"APPROVED"
    assert PaymentIntent.objects.get(order=order).attempts.get().status == AttemptStatus.FAILED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_a_name_posted_twice_is_refused(client):
    order, start = start_card_payment()
    fields = cmi_callback_fields(start)
    body = urlencode([*fields.items(), ("oid", fields["oid"])])
    response = client.post(CALLBACK, body, content_type="application/x-www-form-urlencoded")
    assert response.content == b"FAILURE"
    _nothing_paid(order)
    assert GatewayCallback.objects.get().error == "repeated field name"


def test_a_non_ascii_hash_is_a_failure_not_a_server_error(client):
    order, start = start_card_payment()
    response = client.post(CALLBACK, {**cmi_callback_fields(start), "HASH": "é" * 88})
    assert response.status_code == 200
    assert response.content == b"FAILURE"
    _nothing_paid(order)


def test_a_field_named_superscript_two_is_a_failure_not_a_server_error(client):
    # given the signed fields plus one named "²" (str.isdigit() says yes, int() says no)
    order, start = start_card_payment()
    fields = {**cmi_callback_fields(start), "²": "1"}
    # when posted as a callback, as a browser return, and to the sandbox's gate
    callback = client.post(CALLBACK, fields)
    browser = client.post("/fr/payments/cmi/ok/", fields)
    gate = client.post("/sandbox/cmi/fim/est3Dgate", {**start.fields, "²": "1"})
    # then
    assert (callback.status_code, callback.content) == (200, b"FAILURE")
    assert browser.status_code == 400
    assert gate.status_code == 400
    _nothing_paid(order)
    assert cmi_protocol.compute_hash({"²": "1", "a2": "2"}, "k")  # sorts without raising


def test_a_newline_in_a_field_name_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.WARNING)
    order, start = start_card_payment()
    forged_line = "\nCRITICAL souk.payments: order paid"
    body = urlencode({**cmi_callback_fields(start), forged_line: "x"})
    client.post(CALLBACK, body, content_type="application/x-www-form-urlencoded")
    assert not any(line.startswith("CRITICAL") for line in caplog.text.splitlines())
    assert "\\nCRITICAL souk.payments: order paid" in caplog.text
    _nothing_paid(order)


def test_a_refused_callback_keeps_a_small_record_without_its_values(client):
    # given a forged callback of almost 64 KB
    order, start = start_card_payment()
    secret = "card-holder-" + "x" * 60_000
    fields = {**cmi_callback_fields(start, store_key="forged"), "BillToName": secret}
    # when
    response = client.post(CALLBACK, fields)
    # then only its names (escaped, cut), its size and why it was refused are kept
    assert response.content == b"FAILURE"
    record = GatewayCallback.objects.get()
    assert record.error == "bad hash"
    assert set(record.payload) == {"field_names", "size"}
    assert record.payload["size"] > 60_000
    assert "BillToName" in record.payload["field_names"]
    assert "card-holder" not in json.dumps(record.payload)
    assert len(json.dumps(record.payload)) < 2_000
    _nothing_paid(order)


@pytest.mark.parametrize("path", [CALLBACK, "/payments/wallet/callback"])
def test_a_callback_body_over_64_kb_gets_413_and_nothing_is_stored(client, path):
    order, start = start_card_payment()
    fields = {**cmi_callback_fields(start), "ErrMsg": "x" * MAX_CALLBACK_BYTES}
    response = client.post(path, fields)
    assert response.status_code == 413
    assert response.content in (b"FAILURE", b"rejected")
    assert GatewayCallback.objects.count() == 0
    _nothing_paid(order)


@pytest.mark.parametrize("path", [CALLBACK, "/payments/wallet/callback"])
def test_an_unreadable_content_length_is_a_400_not_a_server_error(client, path):
    order, start = start_card_payment()
    body = urlencode(cmi_callback_fields(start))
    response = client.post(
        path, body, content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="12x"
    )
    assert response.status_code == 400
    assert response.content in (b"FAILURE", b"rejected")
    assert GatewayCallback.objects.count() == 0
    _nothing_paid(order)


def test_an_unreadable_multipart_body_is_a_400_not_a_server_error(client):
    response = client.post(
        CALLBACK, b"--x\r\ngarbage", content_type="multipart/form-data; boundary="
    )
    assert (response.status_code, response.content) == (400, b"FAILURE")
    assert GatewayCallback.objects.count() == 0


def test_the_genuine_callback_still_pays_over_http(client):
    order, start = start_card_payment()
    response = client.post(CALLBACK, cmi_callback_fields(start))
    assert response.content == b"ACTION=POSTAUTH"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert services.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
