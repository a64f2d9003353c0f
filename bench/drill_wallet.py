"""The fault drill's wallet (bench/fault_drill.py): the real sandbox wallet, a little slow, so
that a worker killed during a payout run dies between two payouts."""

from __future__ import annotations

import time

from souk.ledger.payouts import wallet
from souk.sandbox.payouts import SandboxWalletPayoutGateway


class SlowSandboxWallet(SandboxWalletPayoutGateway):
    def send(self, request: wallet.WalletPayoutRequest) -> wallet.WalletPayoutReceipt:
        time.sleep(0.3)
        return super().send(request)
