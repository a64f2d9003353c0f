"""The path hears the ledger at once: a sale paid and completed, a sale abroad, a buyer coming
back, a payout reported paid show on the artisan's /support/ page without waiting for the
nightly recompute (souk.support.receivers.refresh_after_entry)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from souk.catalog.tests.factories import make_active_product
from souk.fulfilment import services as fulfilment
from souk.ledger import payouts
from souk.ledger.events import EntryPosted, PostedLeg
from souk.ledger.models import Payout
from souk.orders import services as orders
from souk.orders.models import SubOrder
from souk.orders.tests.factories import make_buyer, make_paid_order, make_unpaid_order
from souk.shops.tests.factories import make_approved_shop, owner_of
from souk.support import receivers
from souk.support.models import Progress
from souk.support.tests.factories import make_advisor

pytestmark = pytest.mark.django_db


def _sell_and_complete(product, *, buyer=None, country="MA") -> SubOrder:
    order = make_paid_order(
        products=[(product, 1)], country=country, **({"buyer": buyer} if buyer else {})
    )
    parcel = order.sub_orders.get()
    artisan = owner_of(product.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    orders.mark_delivered(sub_order=SubOrder.objects.get(pk=parcel.pk))
    return orders.confirm_receipt(sub_order=SubOrder.objects.get(pk=parcel.pk), buyer=order.buyer)


def _path(client: Client, shop) -> str:
    client.force_login(owner_of(shop))
    response = client.get("/en/support/")
    assert response.status_code == 200
    return response.content.decode()


def test_sales_and_the_first_payout_show_on_the_path_at_once(client: Client) -> None:
    make_advisor()
    shop = make_approved_shop()
    product = make_active_product(shop=shop, stock_quantity=10)
    assert "✓ First sale" not in _path(client, shop)

    buyer = make_buyer()
    first = _sell_and_complete(product, buyer=buyer)

    body = _path(client, shop)
    assert "✓ First sale ·" in body
    assert "✓ First sale abroad" not in body
    progress = Progress.objects.get(artisan=owner_of(shop))
    assert progress.first_sale_at == first.order.placed_at

    _sell_and_complete(product, country="FR")
    _sell_and_complete(product, buyer=buyer)
    body = _path(client, shop)
    assert "✓ First sale abroad" in body
    assert "✓ First repeat buyer" in body
    assert "✓ First payout" not in body

    payouts.start_payout_run(key="test:run", today=datetime.date(2026, 11, 30))
    payout = Payout.objects.get(shop=shop)
    assert "✓ First payout" not in _path(client, shop)  # sent, not yet paid
    payouts.import_payout_status(
        content=f"reference,status,date,reason\n{payout.reference},paid,2026-12-01,\n".encode()
    )

    assert "✓ First payout" in _path(client, shop)
    payout.refresh_from_db()
    assert Progress.objects.get(artisan=owner_of(shop)).first_payout_at == payout.status_changed_at


def test_a_sale_at_home_skips_the_recompute_once_it_can_reach_nothing(
    django_assert_max_num_queries,
) -> None:
    # given: a shop that sold twice to one buyer in Morocco (first sale and repeat buyer
    # reached), never abroad
    make_advisor()
    shop = make_approved_shop()
    product = make_active_product(shop=shop, stock_quantity=10)
    buyer = make_buyer()
    make_paid_order(products=[(product, 1)], buyer=buyer)
    make_paid_order(products=[(product, 1)], buyer=buyer)
    progress = Progress.objects.get(artisan=owner_of(shop))
    assert progress.first_repeat_buyer_at is not None
    assert progress.first_sale_abroad_at is None
    order = make_unpaid_order(products=[(product, 1)])
    entry = _capture_entry(order)

    # when: the capture of a third sale at home is heard
    with django_assert_max_num_queries(2):
        receivers.refresh_after_entry(entry)

    # then: nothing to recompute; a sale abroad is still heard at once (test above)
    assert Progress.objects.get(artisan=owner_of(shop)).first_sale_abroad_at is None


def _capture_entry(order) -> EntryPosted:
    parcel = order.sub_orders.get()
    leg = PostedLeg(
        code="payment_captured",
        debit_type="processor_clearing",
        debit_owner="",
        credit_type="escrow",
        credit_owner=f"shop:{parcel.shop_id}",
        amount=parcel.total_amount,
        currency="MAD",
        reference_type="sub_order",
        reference_id=parcel.reference,
    )
    return EntryPosted(
        key=f"capture:{order.reference}",
        code="payment_captured",
        posted_at=timezone.now(),
        legs=(leg,),
    )
