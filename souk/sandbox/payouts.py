"""The sandbox wallet's payout side: the adapter `settings.SOUK_PAYOUT_WALLET_GATEWAY` names by
default (the protocol is souk/ledger/payouts/wallet.py).

It accepts every request, logs it and records it (once per reference, counting repeats) in
WalletPayoutReceived, and answers with an identifier derived from the reference.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from django.db.models import F

from souk.ledger.payouts.wallet import WalletPayoutReceipt, WalletPayoutRequest
from souk.sandbox.models import WalletPayoutReceived

logger = logging.getLogger(__name__)


class SandboxWalletPayoutGateway:
    """Accepts every payout. What it received is in WalletPayoutReceived (shared by every
    process, like a real provider's books) and, for tests, in `requests` (this process)."""

    requests: ClassVar[list[WalletPayoutRequest]] = []

    def send(self, request: WalletPayoutRequest) -> WalletPayoutReceipt:
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
        if WalletPayoutReceived.objects.filter(reference=reference).exists():
            return WalletPayoutReceipt(provider_reference=f"SBX-{reference}")
        return None
