"""The bank transfer file, element by element against pain.001.001.03's sequences."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from souk.core.money import Money
from souk.ledger.payouts.pain001 import (
    NAMESPACE,
    CreditTransfer,
    Debtor,
    build_credit_transfer_initiation,
    to_bank_text,
)

NS = {"p": NAMESPACE}
DEBTOR = Debtor(name="Souk SA", iban="MA64011780000000012345678933", bic="BCMAMAMC")
CREATED_AT = datetime.datetime(2026, 11, 30, 6, 0, 0, 123456)  # noqa: DTZ001 - local time, as written


def transfer(reference: str, amount: int, name: str = "Fatima Bennani") -> CreditTransfer:
    return CreditTransfer(
        end_to_end_id=reference,
        amount=Money(amount, "MAD"),
        creditor_name=name,
        creditor_iban="MA64011519000001205000534921",
        remittance=f"SOUK PAYOUT {reference}",
    )


def local(element: ET.Element) -> str:
    return element.tag.removeprefix(f"{{{NAMESPACE}}}")


def children(element: ET.Element) -> list[str]:
    return [local(child) for child in element]


def text(element: ET.Element, path: str) -> str:
    found = element.find(path, NS)
    assert found is not None, path
    return found.text or ""


@pytest.fixture
def document() -> ET.Element:
    content = build_credit_transfer_initiation(
        message_id="PR-20261130-7K3M",
        created_at=CREATED_AT,
        execution_date=datetime.date(2026, 11, 30),
        debtor=DEBTOR,
        transfers=[
            transfer("PO-20261130-AAAAAA", 45000),
            transfer("PO-20261130-BBBBBB", 12345, name="Coopérative Tafilalet & فخار"),
        ],
    )
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return ET.fromstring(content)  # noqa: S314 - our own output, in a test


def test_document_is_a_credit_transfer_initiation_in_the_schema_namespace(document):
    assert document.tag == f"{{{NAMESPACE}}}Document"
    assert children(document) == ["CstmrCdtTrfInitn"]
    assert children(document[0]) == ["GrpHdr", "PmtInf"]


def test_group_header_elements_in_schema_order_with_counts_and_sum(document):
    header = document.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header is not None
    assert children(header) == ["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"]
    assert text(header, "p:MsgId") == "PR-20261130-7K3M"
    assert text(header, "p:CreDtTm") == "2026-11-30T06:00:00"
    assert text(header, "p:NbOfTxs") == "2"
    assert text(header, "p:CtrlSum") == "573.45"
    assert text(header, "p:InitgPty/p:Nm") == "Souk SA"


def test_payment_information_elements_in_schema_order(document):
    batch = document.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert batch is not None
    assert children(batch) == [
        "PmtInfId",
        "PmtMtd",
        "BtchBookg",
        "NbOfTxs",
        "CtrlSum",
        "ReqdExctnDt",
        "Dbtr",
        "DbtrAcct",
        "DbtrAgt",
        "ChrgBr",
        "CdtTrfTxInf",
        "CdtTrfTxInf",
    ]
    assert text(batch, "p:PmtInfId") == "PR-20261130-7K3M"
    assert text(batch, "p:PmtMtd") == "TRF"
    assert text(batch, "p:BtchBookg") == "true"
    assert text(batch, "p:NbOfTxs") == "2"
    assert text(batch, "p:CtrlSum") == "573.45"
    assert text(batch, "p:ReqdExctnDt") == "2026-11-30"
    assert text(batch, "p:Dbtr/p:Nm") == "Souk SA"
    assert children(batch.find("p:DbtrAcct", NS)) == ["Id", "Ccy"]
    assert text(batch, "p:DbtrAcct/p:Id/p:IBAN") == "MA64011780000000012345678933"
    assert text(batch, "p:DbtrAcct/p:Ccy") == "MAD"
    assert text(batch, "p:DbtrAgt/p:FinInstnId/p:BIC") == "BCMAMAMC"
    assert text(batch, "p:ChrgBr") == "SLEV"


def test_each_credit_transfer_in_schema_order_with_amount_in_mad_with_two_decimals(document):
    transactions = document.findall("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", NS)
    assert [children(element) for element in transactions] == [
        ["PmtId", "Amt", "CdtrAgt", "Cdtr", "CdtrAcct", "RmtInf"]
    ] * 2
    first, second = transactions
    assert text(first, "p:PmtId/p:EndToEndId") == "PO-20261130-AAAAAA"
    amount = first.find("p:Amt/p:InstdAmt", NS)
    assert amount is not None
    assert (amount.text, amount.attrib) == ("450.00", {"Ccy": "MAD"})
    assert text(first, "p:CdtrAgt/p:FinInstnId/p:Othr/p:Id") == "NOTPROVIDED"
    assert text(first, "p:Cdtr/p:Nm") == "Fatima Bennani"
    assert text(first, "p:CdtrAcct/p:Id/p:IBAN") == "MA64011519000001205000534921"
    assert text(first, "p:RmtInf/p:Ustrd") == "SOUK PAYOUT PO-20261130-AAAAAA"
    assert text(second, "p:Amt/p:InstdAmt") == "123.45"
    # Accents folded, "&" and Arabic letters outside the banks' character set dropped.
    assert text(second, "p:Cdtr/p:Nm") == "Cooperative Tafilalet"


def test_control_sums_equal_the_sum_of_the_amounts(document):
    amounts = [Decimal(element.text or "") for element in document.iterfind(".//p:InstdAmt", NS)]
    header_sum = Decimal(text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum"))
    batch_sum = Decimal(text(document, "p:CstmrCdtTrfInitn/p:PmtInf/p:CtrlSum"))
    assert sum(amounts) == header_sum == batch_sum == Decimal("573.45")
    assert all(
        len((element.text or "").split(".")[1]) == 2
        for element in document.iterfind(".//p:InstdAmt", NS)
    )


def test_to_bank_text_keeps_the_restricted_latin_set_and_the_length():
    assert (
        to_bank_text("Dar El Fakhar — Safi (Maroc)", max_length=70) == "Dar El Fakhar Safi (Maroc)"
    )
    assert to_bank_text("تعاونية الفخار", max_length=70) == ""
    assert to_bank_text("x" * 80, max_length=70) == "x" * 70


@pytest.mark.parametrize(
    ("message_id", "transfers", "problem"),
    [
        ("PR-1", [], "at least one transfer"),
        ("P" * 36, [transfer("PO-1", 100)], "1 to 35 characters"),
        ("PR-1", [transfer("PO-" + "9" * 33, 100)], "1 to 35 characters"),
        ("PR-1", [transfer("PO-1", 0)], "positive"),
    ],
)
def test_build_refuses_what_the_schema_or_the_bank_would(message_id, transfers, problem):
    with pytest.raises(ValueError, match=problem):
        build_credit_transfer_initiation(
            message_id=message_id,
            created_at=CREATED_AT,
            execution_date=datetime.date(2026, 11, 30),
            debtor=DEBTOR,
            transfers=transfers,
        )
