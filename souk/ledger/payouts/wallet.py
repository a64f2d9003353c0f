"""Wallet payouts: the adapter interface, and the one that is configured.

A wallet payout is sent one by one through the provider's API. The adapter speaks our own
dataclasses (STYLE.md §4). `send` either returns the provider's identifier (the payout is then
"sent") or raises WalletPayoutFailed (it stays "created" and the next run sends it again). The
payout reference is its idempotency key, and it is checked before each send: a payout whose
sending was attempted (a crash between the provider's answer and our commit) is looked up with
`find` first, and marked sent from the provider's answer rather than sent a second time.

Confirmation arrives like a bank's: in the status report imported with `import_payout_status`
(docs/formats.md). The sandbox's adapter (souk/sandbox/payouts.py, the default of
settings.SOUK_PAYOUT_WALLET_GATEWAY) does not pretend otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from souk.core.money import Money


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

    def find(self, reference: str) -> WalletPayoutReceipt | None:
        """The provider's receipt of the payout with this reference, None if it never took it;
        raise WalletPayoutFailed if the provider cannot tell now."""
        ...


def get_wallet_gateway() -> WalletPayoutGateway:
    """The adapter named by settings.SOUK_PAYOUT_WALLET_GATEWAY."""
    gateway: WalletPayoutGateway = import_string(settings.SOUK_PAYOUT_WALLET_GATEWAY)()
    return gateway
