"""Wallet payouts: the adapter interface, the sandbox adapter, and the one that is configured.

A wallet payout is sent one by one through the provider's API. The adapter speaks our own
dataclasses (STYLE.md §4). `send` either returns the provider's identifier (the payout is then
"sent") or raises WalletPayoutFailed (it stays "created" and the next run sends it again). The
payout reference is its idempotency key, and it is checked before each send: a payout whose
sending was attempted (a crash between the provider's answer and our commit) is looked up with
`find` first, and marked sent from the provider's answer rather than sent a second time.

Confirmation arrives like a bank's: in the status report imported with `import_payout_status`
(docs/formats.md). The sandbox does not pretend otherwise: it accepts every request, logs it and
records it (once per reference, counting repeats) in the sandbox's WalletPayoutReceived table,
and answers with an identifier derived from the reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.db.models import F
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

    def find(self, reference: str) -> WalletPayoutReceipt | None:
        """The provider's receipt of the payout with this reference, None if it never took it;
        raise WalletPayoutFailed if the provider cannot tell now."""
        ...


class SandboxWalletPayoutGateway:
    """Accepts every payout. What it received is in WalletPayoutReceived (shared by every
    process, like a real provider's books) and, for tests, in `requests` (this process)."""

    requests: ClassVar[list[WalletPayoutRequest]] = []

    def send(self, request: WalletPayoutRequest) -> WalletPayoutReceipt:
        # Imported here: the sandbox is an outside party, reached only through this adapter.
        from souk.sandbox.models import WalletPayoutReceived

        type(self).requests.append(request)
        logger.info(
            "Sandbox wallet payout %s: %s to %s", request.reference, request.amount, request.phone
        )
        received, created = WalletPayoutReceived.objects.get_or_create(
            reference=request.reference,
            defaults={
                "phone": request.phone,
                "amount": request.amount.amount,
                "currency": request.amount.currency,
                "beneficiary_name": request.beneficiary_name[:70],
            },
        )
        if not created:
            # The provider pays once per idempotency key; the repeat is only counted.
            WalletPayoutReceived.objects.filter(pk=received.pk).update(
                times_requested=F("times_requested") + 1
            )
        return WalletPayoutReceipt(provider_reference=f"SBX-{request.reference}")

    def find(self, reference: str) -> WalletPayoutReceipt | None:
        from souk.sandbox.models import WalletPayoutReceived

        if WalletPayoutReceived.objects.filter(reference=reference).exists():
            return WalletPayoutReceipt(provider_reference=f"SBX-{reference}")
        return None


def get_wallet_gateway() -> WalletPayoutGateway:
    """The adapter named by settings.SOUK_PAYOUT_WALLET_GATEWAY."""
    gateway: WalletPayoutGateway = import_string(settings.SOUK_PAYOUT_WALLET_GATEWAY)()
    return gateway
