"""Payouts: runs that pay artisans what the ledger says they are owed, the bank transfer file,
wallet payouts, the bank's status report, and the earnings and operations pages' reads
(docs/payouts.md). Other apps use the names below."""

from souk.ledger.payouts.runs import send_wallet_payouts, start_payout_run
from souk.ledger.payouts.statuses import (
    SettleOutcome,
    StatusImportReport,
    import_payout_status,
    settle_payout,
)

__all__ = [
    "SettleOutcome",
    "StatusImportReport",
    "import_payout_status",
    "send_wallet_payouts",
    "settle_payout",
    "start_payout_run",
]
