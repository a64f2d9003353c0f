"""Background work of support: the nightly recomputation of every artisan's path."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from souk.core import periodic
from souk.support import services


@periodic.every(timedelta(days=1), name="support.recompute_all_progress")
@task()
def recompute_all_progress() -> int:
    """Every artisan's milestones from the data, unassigned artisans given an advisor."""
    return services.recompute_all_progress()
