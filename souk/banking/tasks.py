"""Background work of banking: the nightly eligibility of every shop, queued by core/periodic."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from souk.banking import applications, nightly
from souk.core import periodic


@periodic.every(timedelta(days=1), name="banking.compute_eligibility")
@task()
def compute_all_eligibility() -> int:
    """Every approved shop against every published offer; returns the chunks done."""
    return nightly.compute_all_eligibility().done


@periodic.every(timedelta(days=1), name="banking.erase_expired_snapshots")
@task()
def erase_expired_snapshots() -> int:
    """What artisans shared with banks, erased once their consent has ended."""
    return applications.erase_expired_snapshots()
