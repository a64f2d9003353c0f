"""The one small interface every gateway adapter speaks, over our own dataclasses.

Services give an adapter plain values (never models) and get plain values back: how the buyer
starts paying, what a callback says, what a refund did. Adding a gateway is a module here and a
line in registry.py; no order code changes (STYLE.md §4).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol
from urllib.parse import urlsplit

# Where Souk mounts its own processor and wallet (souk/sandbox), only when SOUK_SANDBOX is on.
SANDBOX_PATH_PREFIX = "/sandbox/"


@dataclass(frozen=True, slots=True)
class AttemptContext:
    """What an adapter needs to open one gateway session for one attempt."""

    gateway_order_id: str
    order_reference: str
    amount: int  # minor units
    currency: str
    language: str  # the buyer's page language (ar, fr, en, es)
    buyer_email: str
    buyer_name: str
    session_seconds: int  # how long the stock stays reserved


@dataclass(frozen=True, slots=True)
class PaymentStart:
    """How the buyer goes on: post a form to the gateway, scan a QR code, or read instructions."""

    kind: Literal["form_post", "qr", "instructions"]
    gateway_order_id: str = ""
    url: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    qr_payload: str = ""
    amount: int = 0
    currency: str = ""


class CallbackOutcome(enum.Enum):
    APPROVED = "approved"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class CallbackResult:
    """What a gateway's callback says, once its signature has been checked."""

    is_signature_valid: bool
    idempotency_key: str
    gateway_order_id: str = ""
    amount: int | None = None
    currency: str = ""
    outcome: CallbackOutcome = CallbackOutcome.DECLINED
    transaction_id: str = ""
    authorization_code: str = ""
    host_reference: str = ""
    masked_pan: str = ""
    error_code: str = ""
    error_message: str = ""
    # Why an unreadable message was refused (bad signature, names that are not the gateway's);
    # for operators and logs, never shown to a buyer.
    refusal: str = ""
    # In a status answer (fetch_status): the gateway already captured the approval.
    is_captured: bool = False


class Verdict(enum.Enum):
    """What Souk did with a callback; each gateway words its reply for it."""

    CAPTURE = "capture"  # approved and paid: take the money
    ACKNOWLEDGED = "acknowledged"  # received (a failure, or a success not captured)
    REJECTED = "rejected"  # bad signature, unknown order, wrong amount, technical problem


@dataclass(frozen=True, slots=True)
class RefundRequest:
    gateway_order_id: str
    transaction_id: str
    amount: int  # minor units
    currency: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class RefundResult:
    is_approved: bool
    gateway_reference: str = ""
    error_code: str = ""
    error_message: str = ""


@dataclass(frozen=True, slots=True)
class CaptureRequest:
    gateway_order_id: str
    transaction_id: str
    amount: int  # minor units
    currency: str


@dataclass(frozen=True, slots=True)
class CaptureResult:
    is_approved: bool
    gateway_reference: str = ""
    error_code: str = ""
    error_message: str = ""


class GatewayError(Exception):
    """The gateway could not be reached or answered something unreadable (retryable)."""


class GatewayMisconfigured(GatewayError):
    """The settings point the gateway somewhere it must not go (the sandbox while it is off)."""


def is_sandbox_url(url: str) -> bool:
    """Whether `url` is an address of Souk's sandbox processor or wallet."""
    return urlsplit(url).path.startswith(SANDBOX_PATH_PREFIX)


def refuse_sandbox_url(url: str, *, setting: str, sandbox_enabled: bool) -> None:
    """Raise GatewayMisconfigured when `url` is the sandbox's and the sandbox is off: a
    production server must never send a buyer (or a refund) to a simulator."""
    if not sandbox_enabled and is_sandbox_url(url):
        raise GatewayMisconfigured(f"{setting} points at the sandbox, but SOUK_SANDBOX is off.")


class Gateway(Protocol):
    code: str
    # fetch_status can say what became of an attempt whose callback never came: the periodic
    # repair (repair.py) asks it. Cash on delivery has nothing to ask.
    has_status_query: bool
    # A declined status is the payment's final refusal, recorded as a declined callback would
    # be; not when the gateway also answers "declined" for an order it does not know (the
    # card's ORDERSTATUS query), then the attempt is left to expire with its order.
    status_decline_is_final: bool

    def check_configuration(self) -> None:
        """Raise GatewayMisconfigured when the settings cannot work (before any attempt)."""
        ...

    def start_payment(self, context: AttemptContext) -> PaymentStart:
        """The form, QR code or instructions for one attempt."""
        ...

    def read_callback(
        self, *, fields: Mapping[str, str], body: bytes, signature: str
    ) -> CallbackResult:
        """Check the signature of a server-to-server callback and say what it reports."""
        ...

    def reply(self, verdict: Verdict) -> str:
        """The exact answer the gateway expects for what we did with its callback."""
        ...

    def refund(self, request: RefundRequest) -> RefundResult:
        """Give money back; raises GatewayError when the gateway cannot be reached."""
        ...

    def fetch_status(self, gateway_order_id: str) -> CallbackResult | None:
        """Ask the gateway what became of an attempt (outcome, transaction id, amount,
        currency, `is_captured`); None when the gateway has nothing to ask. Raises
        GatewayError when it cannot be reached."""
        ...


class PreAuthorizingGateway(Gateway, Protocol):
    """A gateway whose approvals are pre-authorisations: Souk captures one only after the
    gateway's status API confirmed it (fetch_status), and can capture it through that API."""

    def capture(self, request: CaptureRequest) -> CaptureResult:
        """Capture an approved pre-authorisation; raises GatewayError when unreachable."""
        ...
