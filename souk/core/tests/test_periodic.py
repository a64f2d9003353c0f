"""The scheduler queues each periodic task once per interval, even with two schedulers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from souk.core.periodic import periodic_tasks, queue_due_tasks

pytestmark = pytest.mark.django_db


def test_every_task_is_queued_at_first_then_only_when_due() -> None:
    now = timezone.now()

    first = queue_due_tasks(now=now)
    again = queue_due_tasks(now=now + datetime.timedelta(seconds=30))
    later = queue_due_tasks(now=now + datetime.timedelta(minutes=1))

    assert sorted(first) == sorted(task.name for task in periodic_tasks())
    assert again == []  # a second scheduler at the same time queues nothing
    assert "orders.expire_unpaid_orders" in later
    assert "orders.complete_delivered_sub_orders" not in later
    queued = DBTaskResult.objects.filter(task_path="souk.orders.tasks.expire_unpaid_orders")
    assert queued.count() == 2
