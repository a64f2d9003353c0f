"""Row locks taken by support's use cases (select_for_update querysets, nothing else).

Order, wherever several are taken: advisors by primary key, then the artisan's assignments.
"""

from __future__ import annotations

from django.db.models import QuerySet

from souk.support.models import Advisor, Assignment


def advisors(advisor_ids: list[int]) -> QuerySet[Advisor]:
    """Advisors being given artisans: two claims at once count each other's assignment."""
    return Advisor.objects.select_for_update().filter(pk__in=advisor_ids).order_by("pk")


def open_assignment(artisan_id: int) -> QuerySet[Assignment]:
    return Assignment.objects.select_for_update().filter(
        artisan_id=artisan_id, ended_at__isnull=True
    )
