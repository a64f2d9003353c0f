"""A periodic job goes on past an item it cannot process (#14, defect 3).

Before, the hourly auto-completion stopped at the first parcel whose completion raised, and
completed nothing after it, run after run; the decline of unanswered parcels did the same.
Now each item runs in its own transaction (core/batch.py): the failure is recorded in the audit
log, the operators are alerted once per run, and the job goes on with the others.

The failing parcel here is honest: its escrow was emptied by another posting, so the ledger
refuses to move its money (the protected escrow may not go below zero).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.batch import ALERT_KIND, FAILED_ACTION
from souk.core.models import AuditEntry
from souk.core.money import Money
from souk.fulfilment import services as fulfilment
from souk.ledger import accounting
from souk.ledger import services as ledger
from souk.ledger.selectors import check_ledger, get_balance
from souk.ledger.services import Leg
from souk.notifications.models import Notification
from souk.orders import services
from souk.orders.models import Order, SubOrder, SubOrderStatus
from souk.payments import services as payments
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


def _card_parcel() -> SubOrder:
    order, start = start_card_payment()
    assert payments.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return Order.objects.get(pk=order.pk).sub_orders.get()


def _delivered_parcel() -> SubOrder:
    parcel = _card_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    return services.mark_delivered(sub_order=parcel)


def _empty_escrow(parcel: SubOrder) -> Money:
    """Another posting takes the parcel's money out of its shop's escrow; what it took."""
    held = get_balance(key=accounting.escrow_key(parcel.shop_id))
    ledger.post_entry(
        key=f"elsewhere:{parcel.reference}",
        code="adjustment",
        legs=[
            Leg(accounting.escrow_key(parcel.shop_id), accounting.payable_key(parcel.shop_id), held)
        ],
    )
    return held


def _operator() -> User:
    return accounts.grant_role(user=make_user(email="ops@souk.example"), role=Role.ADMIN)


def _status(parcel: SubOrder) -> str:
    return SubOrder.objects.get(pk=parcel.pk).status


@pytest.mark.ledger_left_broken
def test_auto_completion_records_a_parcel_it_cannot_complete_and_completes_the_others(settings):
    # given: four delivered parcels; the first (it comes first in the job) has no escrow left
    operator = _operator()
    broken = _delivered_parcel()
    good = [_delivered_parcel() for _number in range(3)]
    _empty_escrow(broken)
    later = timezone.now() + datetime.timedelta(days=settings.SOUK_AUTO_COMPLETE_DAYS + 1)

    # when
    completed = services.complete_delivered_sub_orders(now=later)

    # then: the three others are completed and their money is their artisans'
    assert completed == 3
    for parcel in good:
        assert _status(parcel) == SubOrderStatus.COMPLETED
        assert get_balance(key=accounting.escrow_key(parcel.shop_id)) == Money.zero("MAD")
        assert get_balance(key=accounting.payable_key(parcel.shop_id)) == Money(
            parcel.total_amount - parcel.commission_amount, "MAD"
        )
    # the broken one is untouched, recorded with its error, and the operator was told once
    assert _status(broken) == SubOrderStatus.DELIVERED
    failure = AuditEntry.objects.get(action=FAILED_ACTION)
    assert (failure.target_type, failure.target_id) == (
        "orders.complete_delivered_sub_orders",
        str(broken.pk),
    )
    assert failure.reason.startswith("InsufficientBalance")
    alert = Notification.objects.get(recipient=operator, kind=ALERT_KIND)
    assert "orders.complete_delivered_sub_orders" in alert.subject
    assert str(broken.pk) in alert.body
    # The ledger check points at the emptied escrow, and at nothing else
    assert [(v.rule, v.subject) for v in check_ledger()] == [("escrow", f"shop {broken.shop_id}")]

    # and the next run tries it again, the others being done
    assert services.complete_delivered_sub_orders(now=later) == 0
    assert AuditEntry.objects.filter(action=FAILED_ACTION).count() == 2


@pytest.mark.ledger_left_broken
def test_the_decline_of_unanswered_parcels_goes_on_past_two_it_cannot_refund():
    # given: three paid parcels nobody answered; the first two have no escrow left to refund
    operator = _operator()
    broken = [_card_parcel() for _number in range(2)]
    good = _card_parcel()
    for parcel in broken:
        _empty_escrow(parcel)
    later = timezone.now() + datetime.timedelta(days=30)

    # when
    declined = services.decline_overdue_sub_orders(now=later)

    # then: the good one is declined and refunded; the two others untouched and recorded
    assert declined == 1
    assert _status(good) == SubOrderStatus.REFUNDED
    assert get_balance(key=accounting.REFUNDS) == Money(good.total_amount, "MAD")
    assert [_status(parcel) for parcel in broken] == [SubOrderStatus.PAID] * 2
    failed = AuditEntry.objects.filter(action=FAILED_ACTION).order_by("target_id")
    assert [entry.target_id for entry in failed] == sorted(str(parcel.pk) for parcel in broken)
    # one alert for the run, naming both
    alert = Notification.objects.get(recipient=operator, kind=ALERT_KIND)
    assert all(str(parcel.pk) in alert.body for parcel in broken)
    assert sorted((v.rule, v.subject) for v in check_ledger()) == sorted(
        ("escrow", f"shop {parcel.shop_id}") for parcel in broken
    )
