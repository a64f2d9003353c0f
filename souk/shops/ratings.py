"""The kept rating of a shop: visible reviews of its pieces and their stars added up.

Written by souk.reviews in the review's transaction (see catalog/ratings.py for the listing's);
the shop page reads it from the shop row."""

from __future__ import annotations

from django.db.models import F

from souk.shops.models import Shop


def change_rating(*, shop_id: int, count_delta: int, stars_delta: int) -> None:
    """Add to a shop's kept rating (negative to take away), atomically, in the caller's
    transaction."""
    Shop.objects.filter(pk=shop_id).update(
        rating_count=F("rating_count") + count_delta, rating_stars=F("rating_stars") + stars_delta
    )


def set_rating(*, shop_id: int, count: int, stars: int) -> None:
    """Write a shop's rating as recomputed from the reviews (`rebuild_ratings`)."""
    Shop.objects.filter(pk=shop_id).update(rating_count=count, rating_stars=stars)
