"""Domain events: in-transaction handlers share the publisher's fate, on-commit ones wait for it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.db import transaction

from souk.core import events
from souk.core.events import Delivery, Event
from souk.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True, slots=True)
class SomethingHappened(Event):
    what: str


@pytest.fixture
def heard(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))
    return []


def test_an_on_commit_handler_hears_the_event_once_the_change_commits(heard):
    events.subscribe(SomethingHappened, heard.append, delivery=Delivery.ON_COMMIT)
    with transaction.atomic():
        events.publish(SomethingHappened("kept"))
        assert heard == []
    assert heard == [SomethingHappened("kept")]


def test_an_on_commit_handler_never_hears_of_a_change_rolled_back(heard):
    events.subscribe(SomethingHappened, heard.append, delivery=Delivery.ON_COMMIT)

    def use_case() -> None:
        with transaction.atomic():
            events.publish(SomethingHappened("undone"))
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        use_case()
    assert heard == []


def test_an_in_transaction_handler_writes_with_the_publisher_and_its_failure_undoes_both(heard):
    def write_then_refuse(event: SomethingHappened) -> None:
        AuditEntry.objects.create(action=f"heard.{event.what}", target_type="t", target_id="1")
        if event.what == "refused":
            raise ValueError("the subscriber says no")

    events.subscribe(SomethingHappened, write_then_refuse, delivery=Delivery.IN_TRANSACTION)
    with transaction.atomic():
        events.publish(SomethingHappened("accepted"))

    def use_case() -> None:
        with transaction.atomic():
            AuditEntry.objects.create(action="publisher.wrote", target_type="t", target_id="1")
            events.publish(SomethingHappened("refused"))

    with pytest.raises(ValueError, match="the subscriber says no"):
        use_case()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["heard.accepted"]


def test_handlers_run_in_the_order_they_subscribed_and_only_once_each(heard):
    events.subscribe(
        SomethingHappened, lambda e: heard.append("first"), delivery=Delivery.IN_TRANSACTION
    )
    second = lambda e: heard.append("second")  # noqa: E731
    events.subscribe(SomethingHappened, second, delivery=Delivery.IN_TRANSACTION)
    events.subscribe(SomethingHappened, second, delivery=Delivery.IN_TRANSACTION)
    events.publish(SomethingHappened("x"))
    assert heard == ["first", "second"]


def test_the_catalog_and_shops_news_reach_search():
    from souk.catalog.events import ListingPagesChanged, ProductsChanged
    from souk.favourites import receivers as favourites
    from souk.search import receivers
    from souk.shops.events import ShopShownChanged
    from souk.support import receivers as support

    assert events.subscribers(ProductsChanged) == [
        (receivers.reindex_products, Delivery.ON_COMMIT),
        (favourites.look_at_changed_pieces, Delivery.ON_COMMIT),
        (support.refresh_after_products_change, Delivery.ON_COMMIT),
    ]
    assert events.subscribers(ListingPagesChanged) == [
        (receivers.forget_listing_pages, Delivery.ON_COMMIT)
    ]
    assert events.subscribers(ShopShownChanged) == [
        (receivers.shop_shown_changed, Delivery.ON_COMMIT),
        (support.refresh_after_shop_change, Delivery.ON_COMMIT),
    ]


def test_orders_news_reaches_payments_inside_the_orders_transaction():
    from souk.orders.events import ParcelRefundDue, UnpaidOrderCancelled
    from souk.payments import receivers

    assert events.subscribers(UnpaidOrderCancelled) == [
        (receivers.cancel_awaited_payment, Delivery.IN_TRANSACTION)
    ]
    assert events.subscribers(ParcelRefundDue) == [
        (receivers.refund_parcel, Delivery.IN_TRANSACTION)
    ]


def test_a_claim_reaches_shops_then_support_inside_the_claims_transaction():
    from souk.registry.events import EntryClaimed
    from souk.shops import receivers
    from souk.support import receivers as support

    # The shop is opened first: support's assignment reads it.
    assert events.subscribers(EntryClaimed) == [
        (receivers.open_draft_shop, Delivery.IN_TRANSACTION),
        (support.follow_claimant, Delivery.IN_TRANSACTION),
    ]


def test_the_ledgers_postings_reach_banking_and_support_inside_the_posting():
    # Withholding first (an advance's share), then the month's figures, then the artisan's
    # path: support locks its rows last (docs/support.md).
    from souk.banking import advances, rollups
    from souk.ledger.events import EntryPosted
    from souk.support import receivers as support

    assert events.subscribers(EntryPosted) == [
        (advances.withhold_on_release, Delivery.IN_TRANSACTION),
        (rollups.record_entry, Delivery.IN_TRANSACTION),
        (support.refresh_after_entry, Delivery.IN_TRANSACTION),
    ]


@dataclass(frozen=True, slots=True)
class RefundOwed(Event):
    in_transaction_only = True

    amount: int


def test_an_event_that_must_be_acted_on_refuses_to_be_heard_on_commit(heard):
    with pytest.raises(ValueError, match="only inside the publisher's transaction"):
        events.subscribe(RefundOwed, heard.append, delivery=Delivery.ON_COMMIT)


def test_an_event_that_must_be_acted_on_raises_when_nobody_listens_or_outside_a_transaction(
    heard,
):
    with pytest.raises(RuntimeError, match="Nobody acts on RefundOwed"), transaction.atomic():
        events.publish(RefundOwed(100))
    events.subscribe(RefundOwed, heard.append, delivery=Delivery.IN_TRANSACTION)
    with pytest.raises(RuntimeError, match="outside a transaction"):
        events.publish(RefundOwed(100))
    with transaction.atomic():
        events.publish(RefundOwed(100))
    assert heard == [RefundOwed(100)]


def test_a_failing_on_commit_handler_keeps_the_change_and_the_other_handlers(heard):
    def broken(event: SomethingHappened) -> None:
        raise ConnectionError("the search worker is away")

    events.subscribe(SomethingHappened, broken, delivery=Delivery.ON_COMMIT)
    events.subscribe(SomethingHappened, heard.append, delivery=Delivery.ON_COMMIT)
    with transaction.atomic():
        AuditEntry.objects.create(action="publisher.wrote", target_type="t", target_id="1")
        events.publish(SomethingHappened("kept"))
    assert AuditEntry.objects.filter(action="publisher.wrote").exists()
    assert heard == [SomethingHappened("kept")]
