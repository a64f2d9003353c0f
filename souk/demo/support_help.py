"""Demo help requests: advisor@souk.example finds a queue with requests waiting, one
appointment proposed for tomorrow, one confirmed and two closed (so the programme's response
times have something to show). Made through support's services, then dated back the way a
real week would have dated them. Idempotent: nothing is added once the demo advisor's
portfolio has requests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from souk.support import help
from souk.support.help_models import HelpRequest
from souk.support.models import Advisor, Progress

DEMO_ADVISOR_EMAIL = "advisor@souk.example"

# (topic, channel, slots, asked this many hours ago, what happened: "", "proposed",
# "confirmed" or "closed")
REQUESTS = (
    ("photos", "whatsapp", ["morning", "weekend"], 20, ""),
    ("listing", "visit", ["afternoon"], 50, ""),
    ("payouts", "phone", ["evening"], 75, ""),
    ("prices", "phone", ["morning"], 30, "proposed"),
    ("shop", "whatsapp", ["afternoon", "evening"], 60, "confirmed"),
    ("photos", "visit", ["morning"], 240, "closed"),
    ("account", "phone", ["evening"], 400, "closed"),
)


def seed() -> list[str]:
    """Make the demo advisor's help requests; return the lines to print."""
    advisor = Advisor.objects.filter(user__email=DEMO_ADVISOR_EMAIL).select_related("user").first()
    if advisor is None:
        return []
    lines = [
        "",
        "Help requests: advisor@souk.example at /fr/support/help/queue/; "
        "response times at /fr/support/help/times/ (admin, analyst)",
    ]
    if HelpRequest.objects.filter(artisan__support_progress__advisor=advisor).exists():
        return lines
    artisans = list(
        Progress.objects.filter(advisor=advisor)
        .select_related("artisan")
        .order_by("artisan_id")[: len(REQUESTS)]
    )
    now = timezone.now()
    for progress, (topic, channel, slots, hours_ago, outcome) in zip(
        artisans, REQUESTS, strict=False
    ):
        asked = now - datetime.timedelta(hours=hours_ago)
        request = help.ask_for_help(
            artisan=progress.artisan, topic=topic, channel=channel, slots=slots
        )
        HelpRequest.objects.filter(pk=request.pk).update(created_at=asked)
        if not outcome:
            continue
        proposed_at = asked + datetime.timedelta(hours=hours_ago // 4 or 1)
        tomorrow = timezone.localtime(now) + datetime.timedelta(days=1)
        appointment = (
            tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
            if outcome != "closed"
            else proposed_at + datetime.timedelta(days=1)
        )
        help.propose_appointment(
            request_id=request.pk,
            advisor=advisor,
            at=appointment,
            channel=channel,
            now=min(proposed_at, appointment - datetime.timedelta(hours=1)),
        )
        if outcome in {"confirmed", "closed"}:
            help.confirm_appointment(request_id=request.pk, artisan=progress.artisan)
        if outcome == "closed":
            help.close_request(
                request_id=request.pk,
                advisor=advisor,
                outcome="Photos refaites à la lumière du jour ; deux pièces envoyées en revue.",
            )
            HelpRequest.objects.filter(pk=request.pk).update(
                closed_at=appointment + datetime.timedelta(hours=2)
            )
    return lines
