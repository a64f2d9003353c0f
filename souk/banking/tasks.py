"""Background work of banking: the nightly eligibility of every shop, queued by core/periodic."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from souk.banking import nightly
from souk.core import periodic


@periodic.every(timedelta(days=1), name="banking.compute_eligibility")
@task()
def compute_all_eligibility() -> int:
    """Every approved shop against every published offer; returns the chunks done."""
    return nightly.compute_all_eligibility().done
