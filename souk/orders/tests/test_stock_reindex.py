"""A sale re-indexes a listing in the search only when it sells out (and a release only when
it comes back in stock): "in stock" is the one thing about stock the search knows, and
indexing again at every sale queued a task and dropped the search's kept pages each time."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from souk.catalog.tests.factories import make_active_product
from souk.orders import services
from souk.orders.tests.factories import make_buyer, make_unpaid_order
from souk.search import tasks
from souk.search.backends import get_backend
from souk.search.backends.base import SearchFilters
from souk.search.query_cache import index_version

pytestmark = pytest.mark.django_db

IN_STOCK = SearchFilters(availability="in_stock")


def _queued_indexing() -> list[list[int]]:
    return [
        list(task.args_kwargs["args"][0])
        for task in DBTaskResult.objects.filter(task_path__endswith="index_products")
    ]


def _in_stock_results() -> list[int]:
    return list(get_backend().search("tajine", IN_STOCK, 10, None).product_ids)


def _version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        return index_version(cursor)


def test_a_sale_that_leaves_pieces_does_not_index_the_listing_again(
    django_capture_on_commit_callbacks,
):
    # given: a tagine with 3 pieces, indexed
    product = make_active_product(stock_quantity=3)
    tasks.index_products.call([product.pk])
    version = _version()
    # when: a buyer orders one
    with django_capture_on_commit_callbacks(execute=True):
        make_unpaid_order(products=[(product, 1)])
    # then: still in stock for the search, nothing queued, the kept search pages still good
    assert _queued_indexing() == []
    assert _version() == version
    assert _in_stock_results() == [product.pk]


def test_the_last_piece_sold_and_given_back_is_indexed_each_time(
    django_capture_on_commit_callbacks,
):
    # given: a tagine with 2 pieces, indexed
    product = make_active_product(stock_quantity=2)
    tasks.index_products.call([product.pk])
    # when: a buyer orders both
    buyer = make_buyer()
    with django_capture_on_commit_callbacks(execute=True):
        order = make_unpaid_order(buyer=buyer, products=[(product, 2)])
    # then: its indexing is queued, and once run the "in stock" filter leaves it out
    assert _queued_indexing() == [[product.pk]]
    tasks.index_products.call([product.pk])
    assert _in_stock_results() == []
    # when: the buyer gives up and the pieces come back
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_unpaid_order(order=order, buyer=buyer)
    # then: indexed again, in stock again
    assert _queued_indexing() == [[product.pk], [product.pk]]
    tasks.index_products.call([product.pk])
    assert _in_stock_results() == [product.pk]
