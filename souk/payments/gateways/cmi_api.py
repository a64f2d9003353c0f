"""The processor's back-office API (NestPay `/fim/api`): an XML `CC5Request` in, a `CC5Response`
out. Pure functions, no Django: the adapter (cmi.py) writes requests and reads answers with
them, the sandbox reads requests and writes answers, so both speak the same XML.

Requests carry `Name`, `Password`, `ClientId`, `OrderId` and either a `Type` (`Credit` a
refund, `PostAuth` the capture of a pre-authorisation, with `Total` and `Currency`) or, for the
order status query, `<Extra><ORDERSTATUS>QUERY</ORDERSTATUS></Extra>`. Answers carry
`Response` (Approved/Declined/Error), `ProcReturnCode`, `ErrMsg`, `TransId`, `OrderId` and an
`Extra` element. The status of an order is read from `Extra`: one element per value
(`TRANS_STAT`, `TRANS_ID`, `ORIG_TRANS_AMT`, `CAPTURE_AMT`, `AUTH_CODE`, `CURRENCY`) or, as
NestPay terminals answer, the combined `ORDERSTATUS` text `ORD_ID:… TRANS_STAT:A
ORIG_TRANS_AMT:45000 CAPTURE_AMT:0 …`; the amounts there are in minor units. `TRANS_STAT` `A`
is an approved transaction, `V` a voided one, `PN` a pending one. Reference:
../shared/reference/payments.md §2.1 and docs/payments.md ("Status query").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field

STATUS_QUERY = "QUERY"
APPROVED_TRANSACTION = "A"
VOIDED_TRANSACTION = "V"
# The Extra values of a status answer, in the order the combined ORDERSTATUS text lists them.
STATUS_VALUES = (
    "ORD_ID",
    "CHARGE_TYPE_CD",
    "ORIG_TRANS_AMT",
    "CAPTURE_AMT",
    "TRANS_STAT",
    "TRANS_ID",
    "AUTH_CODE",
    "CURRENCY",
)
_COMBINED_KEY = re.compile(r"(?:^|\s)([A-Z][A-Z0-9_]*):")


class AnswerUnreadable(ValueError):
    """The API answered something that is not a CC5Response."""


@dataclass(frozen=True, slots=True)
class Credentials:
    name: str
    password: str
    client_id: str


def build_request(
    credentials: Credentials,
    *,
    order_id: str,
    transaction_type: str = "",
    total: str = "",
    currency: str = "",
    status_query: bool = False,
) -> bytes:
    """A CC5Request: a `Type` with its amount, or the order status query."""
    root = ElementTree.Element("CC5Request")
    values = [
        ("Name", credentials.name),
        ("Password", credentials.password),
        ("ClientId", credentials.client_id),
        ("OrderId", order_id),
    ]
    if transaction_type:
        values.append(("Type", transaction_type))
    if total:
        values.append(("Total", total))
    if currency:
        values.append(("Currency", currency))
    for name, value in values:
        ElementTree.SubElement(root, name).text = value
    if status_query:
        extra = ElementTree.SubElement(root, "Extra")
        ElementTree.SubElement(extra, "ORDERSTATUS").text = STATUS_QUERY
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """A CC5Request as the processor reads it."""

    name: str
    password: str
    client_id: str
    order_id: str
    transaction_type: str
    total: str
    currency: str
    is_status_query: bool


def parse_request(body: bytes) -> ApiRequest:
    """Read a CC5Request; raises AnswerUnreadable when it is not one."""
    root = _parse(body, "CC5Request")

    def text(name: str) -> str:
        return (root.findtext(name) or "").strip()

    return ApiRequest(
        name=text("Name"),
        password=text("Password"),
        client_id=text("ClientId"),
        order_id=text("OrderId"),
        transaction_type=text("Type"),
        total=text("Total"),
        currency=text("Currency"),
        is_status_query=text("Extra/ORDERSTATUS") == STATUS_QUERY,
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """A CC5Response: the outcome of the request and, for a status query, the order's status."""

    response: str
    return_code: str
    message: str
    transaction_id: str
    order_id: str
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_approved(self) -> bool:
        return self.response == "Approved" and self.return_code == "00"


def _parse(body: bytes, tag: str) -> ElementTree.Element:
    try:
        # The processor's answer (or a merchant's request to the sandbox); ElementTree
        # resolves no external entities and the size is bounded by our HTTP client or server.
        root = ElementTree.fromstring(body)  # noqa: S314
    except ElementTree.ParseError as error:
        raise AnswerUnreadable(f"not XML, {tag} expected") from error
    if root.tag != tag:
        raise AnswerUnreadable(f"{root.tag[:40]!r}, not {tag}")
    return root


def _combined_status(text: str) -> dict[str, str]:
    # "ORD_ID:X TRANS_STAT:A AUTH_DTTM:2026-08-09 19:12:07": a key is upper case after a space;
    # a value runs to the next key (dates hold spaces and colons).
    parts = _COMBINED_KEY.split(text.strip())
    return {key: value.strip() for key, value in zip(parts[1::2], parts[2::2], strict=True)}


def parse_answer(body: bytes) -> Answer:
    """Read a CC5Response; raises AnswerUnreadable when it is not one."""
    root = _parse(body, "CC5Response")

    def text(name: str) -> str:
        return (root.findtext(name) or "").strip()

    extra: dict[str, str] = {}
    element = root.find("Extra")
    if element is not None:
        for child in element:
            extra[child.tag] = (child.text or "").strip()
        combined = extra.get("ORDERSTATUS", "")
        if ":" in combined:
            # Separate elements, when both come, win over the combined text.
            extra = {**_combined_status(combined), **extra}
    return Answer(
        response=text("Response"),
        return_code=text("ProcReturnCode"),
        message=text("ErrMsg"),
        transaction_id=text("TransId"),
        order_id=text("OrderId"),
        extra=extra,
    )


def build_answer(
    *,
    response: str,
    return_code: str,
    message: str = "",
    transaction_id: str = "",
    order_id: str = "",
    auth_code: str = "",
    status: Mapping[str, str] | None = None,
) -> bytes:
    """A CC5Response; `status` (STATUS_VALUES) goes in Extra, as elements and combined."""
    root = ElementTree.Element("CC5Response")
    for name, value in (
        ("OrderId", order_id),
        ("Response", response),
        ("AuthCode", auth_code),
        ("ProcReturnCode", return_code),
        ("TransId", transaction_id),
        ("ErrMsg", message),
    ):
        ElementTree.SubElement(root, name).text = value
    extra = ElementTree.SubElement(root, "Extra")
    if status is not None:
        for name in STATUS_VALUES:
            ElementTree.SubElement(extra, name).text = status.get(name, "")
        ElementTree.SubElement(extra, "ORDERSTATUS").text = " ".join(
            f"{name}:{status.get(name, '')}" for name in STATUS_VALUES
        )
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def minor_units(text: str) -> int | None:
    """An amount of a status answer (minor units, digits only), or None."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None
