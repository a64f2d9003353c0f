"""The kept rating of a listing: how many visible reviews it has and their stars added up.

Written by souk.reviews (above orders) whenever a review appears, changes its stars, is hidden or
restored, in the review's transaction; read by every card and product page from the product row
itself, so a page of 24 cards or a search at a million listings costs no query per card. The
catalog knows nothing of reviews: it keeps two numbers and says that listing pages changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F

from souk.catalog.events import ListingPagesChanged
from souk.catalog.models import Product
from souk.core import events


@dataclass(frozen=True, slots=True)
class Rating:
    count: int
    stars: int

    @property
    def average(self) -> Decimal:
        """The average to one decimal, rounded half up (0 without reviews)."""
        if not self.count:
            return Decimal(0)
        return (Decimal(self.stars) / self.count).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rating_of(product: Product) -> Rating:
    return Rating(count=product.rating_count, stars=product.rating_stars)


def change_rating(*, product_id: int, count_delta: int, stars_delta: int) -> None:
    """Add to a listing's kept rating (negative to take away), atomically (F expressions), in
    the caller's transaction; cached listing pages are forgotten once it commits."""
    Product.objects.filter(pk=product_id).update(
        rating_count=F("rating_count") + count_delta, rating_stars=F("rating_stars") + stars_delta
    )
    events.publish(ListingPagesChanged())


def set_rating(*, product_id: int, count: int, stars: int) -> None:
    """Write a listing's rating as recomputed from the reviews (`rebuild_ratings`)."""
    Product.objects.filter(pk=product_id).update(rating_count=count, rating_stars=stars)
    events.publish(ListingPagesChanged())
