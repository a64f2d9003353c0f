"""Payout runs started at the same time (weekly task, operator, command) pay each shop once."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from souk.ledger import payouts
from souk.ledger.models import Payout, PayoutRun
from souk.ledger.tests.payout_factories import in_transit, make_rib_shop, payable, sell

RUNS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_pay_each_shop_once(reference_data):
    # given: three shops owed 300, 400 and 500 MAD
    shops = [make_rib_shop() for _ in range(3)]
    for shop, amount in zip(shops, (30000, 40000, 50000), strict=True):
        sell(shop, amount)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            payouts.start_payout_run(key=f"test:concurrent:{number}")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=worker, args=(number,)) for number in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    assert PayoutRun.objects.count() == RUNS
    paid = sorted(Payout.objects.values_list("shop_id", "amount"))
    assert paid == sorted([(shops[0].pk, 30000), (shops[1].pk, 40000), (shops[2].pk, 50000)])
    assert [payable(shop) for shop in shops] == [0, 0, 0]
    assert in_transit() == 120000
