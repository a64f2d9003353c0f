"""Background work of support: the nightly recomputation of every artisan's path, the
reminders of appointments and the nudges."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from souk.core import periodic
from souk.support import help, nudges, services, sms_replies


@periodic.every(timedelta(days=1), name="support.recompute_all_progress")
@task()
def recompute_all_progress() -> int:
    """Every artisan's milestones from the data, unassigned artisans given an advisor."""
    return services.recompute_all_progress()


# Texts go out in the day only (Morocco's time): a reminder due is sent from this hour on.
DAYTIME_HOURS = range(9, 21)


@periodic.every(timedelta(hours=1), name="support.send_help_reminders")
@task()
def send_help_reminders() -> int:
    """Remind artisans of tomorrow's appointments, once each, in the day."""
    if timezone.localtime().hour not in DAYTIME_HOURS:
        return 0
    return help.send_reminders()


@periodic.every(timedelta(days=1), name="support.send_nudges")
@task()
def send_nudges() -> int:
    """The nightly nudges to artisans stuck at a milestone (nudges.send_nudges)."""
    return nudges.send_nudges().sent


@periodic.every(timedelta(minutes=10), name="support.handle_sms_replies")
@task()
def handle_sms_replies() -> int:
    """The SMS replies whose handling failed or was cut short, tried again."""
    return sms_replies.handle_left_over()
