"""The periodic jobs' runner: each item alone, failures recorded and alerted once, counts."""

from __future__ import annotations

import pytest

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core import batch
from souk.core.models import AuditEntry
from souk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _write(item: int) -> bool:
    """Writes an entry for the item, then: odd items fail, 4 has nothing to do."""
    AuditEntry.objects.create(action="test.item", target_type="test", target_id=str(item))
    if item % 2:
        raise ValueError(f"item {item} is odd")
    return item != 4


def test_each_item_commits_alone_and_failures_are_recorded_alerted_once_and_counted():
    # given: an operator
    operator = accounts.grant_role(user=make_user(email="ops@souk.example"), role=Role.ADMIN)

    # when
    result = batch.for_each("test.job", [1, 2, 3, 4, 6], _write)

    # then: the counts, the failed items' writes rolled back, the others kept
    assert result == batch.BatchResult(done=2, skipped=1, failed=2)
    kept = AuditEntry.objects.filter(action="test.item").values_list("target_id", flat=True)
    assert sorted(kept) == ["2", "4", "6"]
    failures = AuditEntry.objects.filter(action=batch.FAILED_ACTION).order_by("target_id")
    assert [(f.target_type, f.target_id, f.reason) for f in failures] == [
        ("test.job", "1", "ValueError: item 1 is odd"),
        ("test.job", "3", "ValueError: item 3 is odd"),
    ]
    alert = Notification.objects.get(recipient=operator, kind=batch.ALERT_KIND)
    assert "1, 3" in alert.body


def test_a_run_without_failure_alerts_nobody():
    accounts.grant_role(user=make_user(email="ops@souk.example"), role=Role.ADMIN)
    assert batch.for_each("test.job", [2, 4], _write) == batch.BatchResult(done=1, skipped=1)
    assert not Notification.objects.filter(kind=batch.ALERT_KIND).exists()
