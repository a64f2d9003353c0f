"""The processor's hash and callback rules, checked against the reference's known answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from souk.payments.gateways import cmi_protocol as cmi

REFERENCE_PARAMS = {
    "clientid": "600000000",
    "amount": "120.50",
    "currency": "504",
    "oid": "ORD-2024-0001",
    "okUrl": "https://shop.example/cmi/ok",
    "failUrl": "https://shop.example/cmi/fail",
    "callbackUrl": "https://shop.example/cmi/callback",
    "shopurl": "https://shop.example/cart",
    "TranType": "PreAuth",
    "storetype": "3D_PAY_HOSTING",
    "hashAlgorithm": "ver3",
    "lang": "fr",
    "rnd": "1700000000.123456",
    "email": "client@example.com",
    "BillToName": "Fatima Zahra",
    "encoding": "UTF-8",
}


def test_request_hash_matches_the_reference_example():
    assert cmi.hash_plaintext(REFERENCE_PARAMS, "TestStoreKey1") == (
        "120.50|Fatima Zahra|https://shop.example/cmi/callback|600000000|504|"
        "client@example.com|https://shop.example/cmi/fail|ver3|fr|ORD-2024-0001|"
        "https://shop.example/cmi/ok|1700000000.123456|https://shop.example/cart|"
        "3D_PAY_HOSTING|PreAuth|TestStoreKey1"
    )
    assert cmi.compute_hash(REFERENCE_PARAMS, "TestStoreKey1") == (
        "zRqpNg66Qx6gRSjHumZXSczsqdPPcInfMpKuQ1+pN8BNJcubr90EuZcea9LFhhOVVVnST3hsvBdG9AzGNhRwHA=="
    )


def test_hash_escapes_and_sorts_names_naturally_without_case():
    params = {
        "amount": "10.00",
        "BillToName": "A|B\\C",
        "oid": "X1",
        "BillToStreet12": "z",
        "BillToStreet1": "a",
        "BillToStreet2": "b",
    }

    assert cmi.hash_plaintext(params, "k|ey") == "10.00|A\\|B\\\\C|a|b|z|X1|k\\|ey"
    assert cmi.compute_hash(params, "k|ey") == (
        "xFNs4nEFkLxWuJpWnnnzylbPKH5E4tPnjnkGISXbjQahkF0esc/emnskR/u2c+rw7+JSZ8b94Z1dWIX1bTYqcg=="
    )


def test_built_form_is_signed_and_verifies():
    request = cmi.PaymentRequest(
        client_id="600000000",
        order_id="ORD-2024-0001",
        amount_minor=12_050,
        currency="MAD",
        ok_url="https://shop.example/cmi/ok",
        fail_url="https://shop.example/cmi/fail",
        callback_url="https://shop.example/cmi/callback",
        shop_url="https://shop.example/cart",
        language="fr",
        email="client@example.com",
        bill_to_name="Fatima Zahra",
        random="1700000000.123456",
    )

    fields = cmi.build_form_fields(request, "TestStoreKey1")

    assert fields["HASH"] == cmi.compute_hash(REFERENCE_PARAMS, "TestStoreKey1")
    assert cmi.verify_response(fields, "TestStoreKey1")


def approved_callback(**overrides: str) -> dict[str, str]:
    params = {
        "clientid": "600000000",
        "oid": "ORD-2024-0001",
        "amount": "120.5",
        "currency": "504",
        "ProcReturnCode": "00",
        "Response": "Approved",
        "mdStatus": "1",
        "AuthCode": "123456",
        "TransId": "24001ABC",
        "rnd": "abc",
        "HASHPARAMS": "clientid:oid:",
    }
    params.update(overrides)
    params["HASH"] = cmi.compute_hash(params, "TestStoreKey1")
    return params


def test_a_signed_approved_callback_is_read_as_approved_for_its_amount():
    params = approved_callback()

    assert cmi.verify_response(params, "TestStoreKey1")
    result = cmi.read_callback(params)
    assert result.outcome == cmi.Outcome.APPROVED
    assert result.amount_minor == 12_050
    assert result.order_id == "ORD-2024-0001"


@pytest.mark.parametrize(
    "overrides",
    [{"ProcReturnCode": "51", "Response": "Declined"}, {"mdStatus": "0"}, {"ProcReturnCode": "99"}],
)
def test_declined_or_unauthenticated_callbacks_are_declined(overrides):
    assert cmi.read_callback(approved_callback(**overrides)).outcome == cmi.Outcome.DECLINED


def test_a_forged_or_tampered_callback_does_not_verify():
    params = approved_callback()

    assert not cmi.verify_response({**params, "amount": "1.00"}, "TestStoreKey1")
    assert not cmi.verify_response(params, "AnotherStoreKey")
    assert not cmi.verify_response(
        {k: v for k, v in params.items() if k != "HASH"}, "TestStoreKey1"
    )


@pytest.mark.parametrize(
    ("text", "minor"), [("250", 25_000), ("250.0", 25_000), ("250.00", 25_000)]
)
def test_amounts_compare_numerically(text, minor):
    assert cmi.parse_amount(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "-1.00", "1.005", "NaN", "Infinity"])
def test_unreadable_amounts_are_none(text):
    assert cmi.parse_amount(text) is None


def test_replies_are_the_exact_texts_the_processor_expects():
    assert [reply.value for reply in cmi.CallbackReply] == [
        "ACTION=POSTAUTH",
        "APPROVED",
        "FAILURE",
    ]


@given(
    st.dictionaries(
        st.from_regex(r"[A-Za-z][A-Za-z0-9.]{0,12}", fullmatch=True).filter(
            lambda name: name.lower() not in {"hash", "encoding"}
        ),
        st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20).map(
            str.strip
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_signed_message_verifies_and_any_changed_value_does_not(params):
    signed = {**params, "HASH": cmi.compute_hash(params, "key")}
    assert cmi.verify_response(signed, "key")
    name = sorted(params)[0]
    tampered = {**signed, name: signed[name] + "x"}
    assert not cmi.verify_response(tampered, "key")
