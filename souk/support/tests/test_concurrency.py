"""Claims at the same moment never give an advisor more artisans than their capacity."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from souk.registry import services as registry
from souk.registry.tests.factories import make_register_entry
from souk.shops.tests.factories import make_artisan
from souk.support.models import Assignment
from souk.support.tests.factories import make_advisor

CLAIMS = 4


# Real commits (each thread its own connection); reference_data puts back what the flush removes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_simultaneous_claims_respect_the_advisors_capacity():
    # given: a Marrakech pottery advisor with room for two, a regional colleague with room
    small = make_advisor(regions=["07"], sectors=["S01"], capacity=2)
    regional = make_advisor(regions=["07"], sectors=["S05"], capacity=100)
    entries = [make_register_entry(region_id="07", trade_id="S01-T01") for _ in range(CLAIMS)]
    artisans = [make_artisan() for _ in range(CLAIMS)]
    errors: list[BaseException] = []
    start = threading.Barrier(CLAIMS)

    def claim(number: int) -> None:
        try:
            start.wait()
            registry.claim_register_entry(
                user=artisans[number],
                register_number=entries[number].register_number,
                cin=entries[number].cin,
                ip_address="192.0.2.1",
            )
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    # when four potters claim at once
    threads = [threading.Thread(target=claim, args=(number,)) for number in range(CLAIMS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every claim went through; the small advisor has exactly two, the colleague the rest
    assert errors == []
    open_rows = Assignment.objects.filter(ended_at__isnull=True)
    assert open_rows.count() == CLAIMS
    assert open_rows.filter(advisor=small).count() == 2
    assert open_rows.filter(advisor=regional).count() == CLAIMS - 2
