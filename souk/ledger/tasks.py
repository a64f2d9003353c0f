"""Background work of the ledger: the weekly payout run queued by core/periodic.py."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from souk.core import periodic
from souk.ledger import payouts


@periodic.every(timedelta(days=7), name="ledger.run_payouts")
@task()
def run_weekly_payouts() -> str:
    """Pay the shops (one run per ISO week: queued twice, it runs once); returns its reference."""
    year, week, _weekday = timezone.localdate().isocalendar()
    return payouts.start_payout_run(key=f"weekly:{year}-W{week:02d}").reference
