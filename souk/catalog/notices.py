"""What the catalog tells artisans through souk.notifications: a moderator's decision on a
listing. Called inside the decision's transaction: the SMS and email copies go once it
commits."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from souk.catalog.models import Product
from souk.notifications import services as notifications
from souk.shops import notices as shop_notices
from souk.shops.models import MemberRole, ShopMember


def listing_decided(*, product: Product, decision: str, reason: str) -> None:
    """Tell the shop's managers a moderator's decision on `product` (an action of
    PRODUCT_TRANSITIONS), the reason given and a link to the listing, in their language; the
    piece is named by its title in that language when it has one."""
    path = reverse("catalog:edit", args=[product.shop_id, product.pk])
    managers = ShopMember.objects.filter(
        shop_id=product.shop_id, role=MemberRole.MANAGER, user__is_active=True
    ).select_related("user")
    for member in managers.order_by("pk"):
        language = member.user.preferred_language or "fr"
        with translation.override(language):
            title = product.title
        notifications.notify(
            recipient=member.user,
            kind="listing_decided",
            context={
                "piece": title,
                "decision": decision,
                "reason": reason,
                "link": shop_notices.link_for(path, language),
            },
            url=path,
        )
