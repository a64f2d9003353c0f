"""Wallet payouts: the adapter interface, the sandbox adapter, and the one that is configured.

A wallet payout is sent one by one through the provider's API. The adapter speaks our own
dataclasses (STYLE.md §4). `send` either returns the provider's identifier (the payout is then
"sent") or raises WalletPayoutFailed (it stays "created" and the next run sends it again). The
payout reference is the provider's idempotency key, so sending again after a crash between the
provider's answer and our commit cannot pay twice.

Confirmation arrives like a bank's: in the status report imported with `import_payout_status`
(docs/formats.md). The sandbox does not pretend otherwise: it accepts every request, logs it and
keeps it in `requests`, and answers with an identifier derived from the reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from souk.core.money import Money

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WalletPayoutRequest:
    reference: str
    phone: str  # E.164
    amount: Money
    beneficiary_name: str


@dataclass(frozen=True, slots=True)
class WalletPayoutReceipt:
    provider_reference: str


class WalletPayoutGateway(Protocol):
    def send(self, request: WalletPayoutRequest) -> WalletPayoutReceipt:
        """Hand one payout to the provider; raise WalletPayoutFailed if it was not taken."""
        ...


class SandboxWalletPayoutGateway:
    """Accepts every payout; the requests it received are kept for tests and demos."""

    requests: ClassVar[list[WalletPayoutRequest]] = []

    def send(self, request: WalletPayoutRequest) -> WalletPayoutReceipt:
        type(self).requests.append(request)
        logger.info(
            "Sandbox wallet payout %s: %s to %s", request.reference, request.amount, request.phone
        )
        return WalletPayoutReceipt(provider_reference=f"SBX-{request.reference}")


def get_wallet_gateway() -> WalletPayoutGateway:
    """The adapter named by settings.SOUK_PAYOUT_WALLET_GATEWAY."""
    gateway: WalletPayoutGateway = import_string(settings.SOUK_PAYOUT_WALLET_GATEWAY)()
    return gateway
