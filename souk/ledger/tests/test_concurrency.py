"""Concurrent postings from several threads, each with its own database connection."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.errors import InsufficientBalance
from souk.ledger.models import AccountType, JournalEntry, LedgerAccount, Transfer
from souk.ledger.selectors import get_balance
from souk.ledger.services import Leg, Outcome, Posting

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="SQLite has one writer at a time"
)
def test_two_batches_racing_on_the_same_keys_post_each_event_once():
    # given: two workers about to post the same batch, both past the read of the keys already
    # posted and waiting for the escrow account this test holds locked
    ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    ledger.open_account(key="escrow", type=AccountType.ESCROW, currency="MAD")
    batch = [
        Posting(
            key=f"capture:{n}",
            code="payment_captured",
            legs=[Leg("clearing", "escrow", Money(1_000, "MAD"))],
        )
        for n in range(50)
    ]
    results: list[list[Outcome]] = []

    def worker() -> None:
        try:
            results.append(ledger.post_entries(batch))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    with transaction.atomic():
        LedgerAccount.objects.select_for_update().get(key="escrow")
        for thread in threads:
            thread.start()
        for _ in range(500):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                if cursor.fetchone()[0] == 2:
                    break
            time.sleep(0.01)
    # when: the lock is released, one batch inserts the entries first, the other's COPY of
    # the same keys fails on the unique key and the batch is read again
    for thread in threads:
        thread.join()

    # then: every event posted once; the second batch saw replays
    assert sorted(all(o.replayed for o in outcomes) for outcomes in results) == [False, True]
    assert all(o.error is None for outcomes in results for o in outcomes)
    assert JournalEntry.objects.count() == 50
    assert Transfer.objects.count() == 50
    assert get_balance(key="escrow") == Money(50_000, "MAD")
