"""The bank transfer file of a payout run: ISO 20022 pain.001.001.03 (credit transfer initiation).

One message, one payment information block (one batch, booked as one debit of the marketplace's
account) and one credit transfer per payout. Elements are written in the order of the schema's
sequences; the optional ones we do not need are left out. Texts use the restricted Latin set
banks accept in these files (the SEPA set: letters, digits, space and / - ? : ( ) . , ' +), so
names are folded to it here and the caller chooses which name to send (docs/payouts.md).
"""

from __future__ import annotations

import datetime
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from souk.core.money import Money, sum_money
from souk.core.text import strip_bidi_controls

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CURRENCY = "MAD"
# Identifiers are Max35Text; names are kept to 70 characters as most banks ask.
MAX_IDENTIFIER = 35
MAX_NAME = 70
MAX_REMITTANCE = 140
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")


@dataclass(frozen=True, slots=True)
class Debtor:
    """The marketplace's own account, debited for the whole batch."""

    name: str
    iban: str
    bic: str


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """One payout: to whom, which account, how much, and the reference both sides see."""

    end_to_end_id: str
    amount: Money
    creditor_name: str
    creditor_iban: str
    remittance: str


def to_bank_text(text: str, *, max_length: int) -> str:
    """`text` in the banks' restricted Latin set: direction controls removed (a name typed
    with one stays one word), accents dropped (é → e), anything else outside the set (Arabic
    letters, &, @...) dropped, spaces collapsed, cut to `max_length`."""
    decomposed = unicodedata.normalize("NFKD", strip_bidi_controls(text))
    kept = "".join(
        character if character in _ALLOWED else " "
        for character in decomposed
        if not unicodedata.combining(character)
    )
    return " ".join(kept.split())[:max_length].rstrip()


def _decimal(amount: Money) -> str:
    if amount.currency != CURRENCY:
        raise ValueError(f"Payout files are in {CURRENCY}, got {amount.currency}.")
    return f"{amount.to_decimal():.2f}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _path(parent: ET.Element, tags: str, text: str) -> ET.Element:
    """Nested elements `A/B/C`, the last one holding `text`."""
    element = parent
    for tag in tags.split("/"):
        element = _sub(element, tag)
    element.text = text
    return element


def build_credit_transfer_initiation(
    *,
    message_id: str,
    created_at: datetime.datetime,
    execution_date: datetime.date,
    debtor: Debtor,
    transfers: Sequence[CreditTransfer],
) -> bytes:
    """The pain.001.001.03 document paying `transfers` from `debtor`'s account, as UTF-8 XML.

    Raises ValueError without transfers, or for an identifier longer than 35 characters or an
    amount that is not positive MAD."""
    if not transfers:
        raise ValueError("A transfer file needs at least one transfer.")
    identifiers = [message_id, *(transfer.end_to_end_id for transfer in transfers)]
    if any(not 0 < len(identifier) <= MAX_IDENTIFIER for identifier in identifiers):
        raise ValueError("Identifiers in a transfer file have 1 to 35 characters.")
    if any(not transfer.amount.is_positive() for transfer in transfers):
        raise ValueError("Every transfer moves a positive amount.")
    count = str(len(transfers))
    total = _decimal(sum_money((transfer.amount for transfer in transfers), CURRENCY))

    ET.register_namespace("", NAMESPACE)
    document = ET.Element(f"{{{NAMESPACE}}}Document")
    initiation = _sub(document, "CstmrCdtTrfInitn")

    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created_at.replace(microsecond=0, tzinfo=None).isoformat())
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    _path(header, "InitgPty/Nm", to_bank_text(debtor.name, max_length=MAX_NAME))

    batch = _sub(initiation, "PmtInf")
    _sub(batch, "PmtInfId", message_id)
    _sub(batch, "PmtMtd", "TRF")
    _sub(batch, "BtchBookg", "true")
    _sub(batch, "NbOfTxs", count)
    _sub(batch, "CtrlSum", total)
    _sub(batch, "ReqdExctnDt", execution_date.isoformat())
    _path(batch, "Dbtr/Nm", to_bank_text(debtor.name, max_length=MAX_NAME))
    debtor_account = _sub(batch, "DbtrAcct")
    _path(debtor_account, "Id/IBAN", debtor.iban)
    _sub(debtor_account, "Ccy", CURRENCY)
    _path(batch, "DbtrAgt/FinInstnId/BIC", debtor.bic)
    # Shared charges: each side pays its own bank.
    _sub(batch, "ChrgBr", "SLEV")

    for transfer in transfers:
        transaction = _sub(batch, "CdtTrfTxInf")
        _path(transaction, "PmtId/EndToEndId", transfer.end_to_end_id)
        amount = _sub(transaction, "Amt")
        _sub(amount, "InstdAmt", _decimal(transfer.amount), Ccy=CURRENCY)
        # The creditor's bank is named by the RIB's bank code inside the IBAN; no BIC is asked
        # of artisans, so the agent is "not provided" as the rulebooks allow.
        _path(transaction, "CdtrAgt/FinInstnId/Othr/Id", "NOTPROVIDED")
        _path(transaction, "Cdtr/Nm", to_bank_text(transfer.creditor_name, max_length=MAX_NAME))
        _path(transaction, "CdtrAcct/Id/IBAN", transfer.creditor_iban)
        _path(
            transaction,
            "RmtInf/Ustrd",
            to_bank_text(transfer.remittance, max_length=MAX_REMITTANCE),
        )

    ET.indent(document)
    return bytes(ET.tostring(document, encoding="UTF-8", xml_declaration=True))
