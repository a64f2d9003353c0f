"""Hot accounts under concurrency: postings to the same hot account do not wait for each other
(PostgreSQL; SQLite has one writer at a time), and its totals stay exact."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.models import AccountType
from souk.ledger.selectors import check_ledger, get_balance
from souk.ledger.services import Leg

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers (BEGIN IMMEDIATE): two postings cannot overlap there",
)

WAIT = 10.0


def _open(shops: int) -> None:
    ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    for shop in range(shops):
        ledger.open_account(key=f"escrow:{shop}", type=AccountType.ESCROW, currency="MAD")


def _capture(key: str, shop: int, amount: int) -> None:
    ledger.post_entry(
        key=key,
        code="payment_captured",
        legs=[Leg("clearing", f"escrow:{shop}", Money(amount, "MAD"))],
    )


@pytest.mark.django_db(transaction=True)
def test_a_posting_to_a_hot_account_does_not_wait_for_another_still_open():
    # given: one transaction has posted to the clearing account and is still open
    _open(shops=2)
    first_posted, second_done = threading.Event(), threading.Event()
    seconds: dict[str, float] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                _capture("capture:a", 0, 1_000)
                first_posted.set()
                # Commits only once the second is done, or after WAIT if the second waits on it.
                second_done.wait(WAIT)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_posted.wait(WAIT)
            started = time.monotonic()
            _capture("capture:b", 1, 2_000)
            seconds["second"] = time.monotonic() - started
            second_done.set()
        finally:
            connections.close_all()

    # when: a second posting to the same clearing account runs meanwhile
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then: it committed while the first was still open, and both are counted
    assert second_done.is_set()
    assert seconds["second"] < WAIT / 2
    assert get_balance(key="clearing") == Money(3_000, "MAD")
    assert check_ledger() == []


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_postings_to_a_hot_account_add_up_exactly():
    _open(shops=8)
    errors: list[BaseException] = []

    def worker(shop: int) -> None:
        try:
            for n in range(15):
                _capture(f"capture:{shop}:{n}", shop, 100 + n)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(shop,)) for shop in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert get_balance(key="clearing") == Money(8 * sum(100 + n for n in range(15)), "MAD")
    assert check_ledger() == []
