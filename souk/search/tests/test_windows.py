"""PostgreSQL's bounded candidates (backends/windows.py): the newest matches are asked for in
windows of product ids, and the answer is the same set as one query over every match."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from souk.search.backends import get_backend, windows
from souk.search.backends.base import SearchFilters, Sort
from souk.search.models import SearchDocument

pytestmark = pytest.mark.django_db

# Index rows only (negative ids: no listing), those whose id is in MATCHING hold "tapis".
ROWS = 3000
MATCHING = {-3, -40, -41, -700, -1500, -2999}


def test_windows_grow_from_the_newest_id_down_to_the_oldest():
    assert windows.edges(1, 100_000, 1000) == [90_000, 50_000]
    assert windows.edges(-3000, -1, 10) == [-101, -501, -2101]
    assert windows.edges(5, 50, 10) == []


@pytest.fixture
def spread_rugs(db: Any) -> Iterator[None]:
    published = timezone.now() - datetime.timedelta(days=30)
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                product_id=-number,
                title_text="piece",
                body_text="tapis tapi zzcrug" if -number in MATCHING else "piece jarre",
                materials_text="",
                sector_code="S07",
                trade_code="S07-T01",
                region_code="01",
                shop_id=0,
                price_amount=50_000,
                is_in_stock=True,
                is_made_to_order=False,
                published_at=published,
            )
            for number in range(1, ROWS + 1)
        ],
        batch_size=1000,
    )
    windows._ids_read.clear()
    yield
    SearchDocument.objects.filter(product_id__lt=0).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text match")
@pytest.mark.parametrize("candidates", [1, 2, 4, 10, 1000])
def test_the_windows_find_the_newest_matches(settings, spread_rugs, candidates):
    settings.SOUK_SEARCH_CANDIDATES = candidates
    results = get_backend().search("tapis", SearchFilters(), 24, None, Sort.NEWEST)
    newest = sorted(MATCHING, reverse=True)[:candidates]
    assert sorted(results.product_ids, reverse=True) == newest[:24]
    assert results.total == len(newest)
    assert not results.timed_out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage")
def test_a_documents_vector_is_kept_in_its_row():
    # The window walk and the ranking read each candidate's vector: in the row, one heap
    # page; out of line, the TOAST index and chunks too (migration 0014).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'search_searchdocument'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"
