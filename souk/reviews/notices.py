"""Who hears about reviews (souk.notifications): the buyer, invited to review a parcel that
reached them, and told when the shop answered."""

from __future__ import annotations

from django.urls import reverse

from souk.notifications import services as notifications
from souk.notifications.models import Channel
from souk.orders.models import SubOrder
from souk.reviews.models import Review

# A review is no errand: the notifications page and an email, no text message.
_CHANNELS = frozenset({Channel.EMAIL})


def review_invited(sub_order_id: int) -> None:
    """Invite the buyer to review the pieces of a parcel that reached them (in their language)."""
    sub_order = SubOrder.objects.select_related("order__buyer", "shop").get(pk=sub_order_id)
    notifications.notify(
        recipient=sub_order.order.buyer,
        kind="review_invited",
        context={"reference": sub_order.reference, "shop_name": sub_order.shop.display_name},
        url=reverse("orders:detail", kwargs={"reference": sub_order.order.reference})
        + f"#parcel-{sub_order.pk}",
        channels=_CHANNELS,
    )


def review_answered(review_id: int) -> None:
    """Tell the buyer the shop answered their review."""
    review = Review.objects.select_related("buyer", "shop", "product").get(pk=review_id)
    notifications.notify(
        recipient=review.buyer,
        kind="review_answered",
        context={"shop_name": review.shop.display_name},
        url=reverse("catalog:detail", args=[review.product_id, review.product.slug])
        + f"#review-{review.pk}",
        channels=_CHANNELS,
    )
