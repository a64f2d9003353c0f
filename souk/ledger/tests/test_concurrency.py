"""Concurrent postings from several threads, each with its own database connection."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.errors import InsufficientBalance
from souk.ledger.models import AccountType, Transfer
from souk.ledger.selectors import get_balance
from souk.ledger.services import Leg

THREADS = 6
TRIES_PER_THREAD = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_never_overdraw_a_protected_account():
    # given: 100.00 MAD in escrow; six workers each try ten times to move 5.00 MAD out
    ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    ledger.open_account(key="escrow", type=AccountType.ESCROW, currency="MAD")
    ledger.open_account(key="payable", type=AccountType.ARTISAN_PAYABLE, currency="MAD")
    ledger.post_entry(
        key="capture",
        code="payment_captured",
        legs=[Leg("clearing", "escrow", Money(10_000, "MAD"))],
    )
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        try:
            for attempt in range(TRIES_PER_THREAD):
                try:
                    ledger.post_entry(
                        key=f"release:{number}:{attempt}",
                        code="suborder_completed",
                        legs=[Leg("escrow", "payable", Money(500, "MAD"))],
                    )
                    result = "posted"
                except InsufficientBalance:
                    result = "refused"
                with lock:
                    outcomes.append(result)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=worker, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then: exactly 20 moves of 5.00 went through, the rest were refused, nothing is lost
    assert len(outcomes) == THREADS * TRIES_PER_THREAD
    assert outcomes.count("posted") == 20
    assert get_balance(key="escrow") == Money(0, "MAD")
    assert get_balance(key="payable") == Money(10_000, "MAD")
    assert Transfer.objects.filter(code="suborder_completed").count() == 20
