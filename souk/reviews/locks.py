"""Row locks of the reviews app (docs/architecture.md, "Lock order": a review is locked alone)."""

from __future__ import annotations

from souk.reviews.models import Review


def review(review_id: int) -> Review:
    """The review, locked until the transaction ends; raises Review.DoesNotExist."""
    return Review.objects.select_for_update(of=("self",)).get(pk=review_id)
