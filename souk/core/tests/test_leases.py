"""A task whose worker died is taken up again once its lease ran out, and runs to its end once;
after SOUK_TASK_MAX_ATTEMPTS lost workers it is failed and the operators are told."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core import leases
from souk.core.models import AuditEntry, TaskLease
from souk.core.money import Money
from souk.ledger.models import Payout, PayoutRun, PayoutStatus
from souk.ledger.payouts import runs
from souk.ledger.payouts.pain001 import NAMESPACE
from souk.ledger.tasks import run_weekly_payouts
from souk.ledger.tests.payout_factories import in_transit, make_rib_shop, payable, sell
from souk.notifications.models import Notification

# The worker closes connections between tasks as in production, which a test's transaction
# would not survive: these tests commit, and the flush after each empties the tables.
pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def _short_lease(settings):
    settings.SOUK_TASK_LEASE_SECONDS = 30
    settings.SOUK_TASK_MAX_ATTEMPTS = 3
    settings.SOUK_PAYOUT_MINIMUM = 10000


def claimed_by_a_dead_worker(
    result_id: str, *, worker_id: str, ago: int
) -> DBTaskResult[..., object]:
    """What a worker killed `ago` seconds after claiming the task leaves behind."""
    result = DBTaskResult.objects.get(pk=result_id)
    result.claim(worker_id)
    leases.grant(task_result_id=result.pk, worker_id=worker_id)
    claimed_at = timezone.now() - datetime.timedelta(seconds=ago)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=claimed_at)
    TaskLease.objects.filter(task_result_id=result.pk).update(
        expires_at=claimed_at + leases.lease_duration()
    )
    return result


def run_worker_until_idle() -> None:
    call_command(
        "run_worker", batch=True, startup_delay=False, interval=0, verbosity=0, stdout=io.StringIO()
    )


def bank_file_references(run: PayoutRun) -> list[str]:
    root = ET.fromstring(run.transfer_file.read())  # noqa: S314 - our own output
    return [node.text or "" for node in root.iter(f"{{{NAMESPACE}}}EndToEndId")]


def test_a_payout_run_left_running_by_a_killed_worker_is_resumed_and_finished_once():
    # given: four shops owed money, and a weekly payout run whose worker was killed after it
    # made the first shop's payout (the task is "running", its lease ran out a minute ago)
    shops = [make_rib_shop() for _ in range(4)]
    for index, shop in enumerate(shops):
        sell(shop, 700000 + index * 10000)
    owed = sum(payable(shop) for shop in shops)
    result = run_weekly_payouts.enqueue()
    claimed_by_a_dead_worker(result.id, worker_id="killed-worker", ago=90)
    year, week, _ = timezone.localdate().isocalendar()
    run = PayoutRun.objects.create(
        key=f"weekly:{year}-W{week:02d}", reference="PR-TEST-0001", run_date=timezone.localdate()
    )
    runs._pay_shop(run=run, shop_id=shops[0].pk, minimum=Money(10000, "MAD"))
    assert Payout.objects.count() == 1

    # when: a worker comes by
    run_worker_until_idle()

    # then: the task ran again and finished, with both workers on its record
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "PR-TEST-0001"
    assert len(result.worker_ids) == 2
    assert result.worker_ids[0] == "killed-worker"
    assert not TaskLease.objects.exists()
    # and every shop was paid once, every bank payout in the run's one file
    run.refresh_from_db()
    payouts = list(Payout.objects.order_by("shop_id"))
    assert [payout.shop_id for payout in payouts] == [shop.pk for shop in shops]
    assert {payout.status for payout in payouts} == {PayoutStatus.SENT}
    assert sorted(bank_file_references(run)) == sorted(payout.reference for payout in payouts)
    assert sum(payout.amount for payout in payouts) == owed == in_transit()
    assert [payable(shop) for shop in shops] == [0, 0, 0, 0]


def test_a_task_with_a_live_lease_is_left_to_its_worker():
    # given: a task claimed 90 s ago whose worker renewed its lease just now
    result = run_weekly_payouts.enqueue()
    claimed_by_a_dead_worker(result.id, worker_id="busy-worker", ago=90)
    assert leases.renew(task_result_id=result.id, worker_id="busy-worker")

    # when
    recovery = leases.recover_expired_tasks()

    # then
    assert recovery == leases.Recovery()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_a_task_whose_workers_all_died_is_failed_and_the_operators_told(
    django_capture_on_commit_callbacks,
):
    # given: an operator, and a task whose third worker died too
    operator = accounts.grant_role(user=make_user(preferred_language="en"), role=Role.ADMIN)
    result = run_weekly_payouts.enqueue()
    for worker_id in ("first", "second", "third"):
        claimed_by_a_dead_worker(result.id, worker_id=worker_id, ago=90)
        if worker_id != "third":
            assert leases.recover_expired_tasks().requeued == [result.id]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        recovery = leases.recover_expired_tasks()

    # then: it is failed, not run a fourth time
    assert recovery.failed == [result.id]
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "souk.core.leases.TaskLeaseExpired"
    run_worker_until_idle()
    assert not PayoutRun.objects.exists()
    # and the operator has a notification naming the task, with an audit entry
    notification = Notification.objects.get(recipient=operator)
    assert notification.kind == "task_abandoned_operator"
    assert "souk.ledger.tasks.run_weekly_payouts" in notification.subject
    assert "3 times" in notification.body
    entry = AuditEntry.objects.get(action=leases.ABANDONED_ACTION)
    assert (entry.target_id, entry.data["attempts"]) == (result.id, 3)
