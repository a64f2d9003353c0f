"""Demo reviews, written through the real services by the demo buyer on pieces they received
(the sales history's parcels), one answered by the artisan. Safe to run twice: a line already
reviewed is skipped, and nothing is written once the demo buyer has reviews."""

from __future__ import annotations

from souk.accounts.models import User
from souk.orders.models import OrderLine
from souk.reviews import services as reviews
from souk.reviews.models import Review
from souk.shops.models import MemberRole, ShopMember

# (stars, language, words): the demo buyer writes in English and French.
_REVIEWS = (
    (
        5,
        "en",
        "Even more beautiful than in the photos. Carefully wrapped, arrived in New York "
        "in eight days.",
    ),
    (
        4,
        "fr",
        "Très belle pièce, les couleurs sont fidèles. Le colis a mis un peu plus longtemps "
        "que prévu.",
    ),
    (5, "en", "You can see the hand of the maker in every detail. Will buy again."),
    (3, "en", "Lovely work, but smaller than I imagined: check the dimensions."),
    (5, "fr", "Un travail d'une grande finesse, merci à l'artisane pour son petit mot."),
)
_ANSWER = "شكرًا جزيلًا على كلماتك الطيبة، سعيدة لأن القطعة أعجبتك."


def _received_lines(buyer: User) -> list[OrderLine]:
    """One received, unreviewed line per product, the demo artisan's pieces first."""
    artisan_shops = set(
        ShopMember.objects.filter(
            user__email="artisan@souk.example", role=MemberRole.MANAGER
        ).values_list("shop_id", flat=True)
    )
    lines = (
        OrderLine.objects.filter(sub_order__order__buyer=buyer, review__isnull=True)
        .exclude(sub_order__delivered_at__isnull=True, sub_order__completed_at__isnull=True)
        .select_related("sub_order")
        .order_by("id")
    )
    chosen: dict[int, OrderLine] = {}
    for line in sorted(lines, key=lambda line: line.sub_order.shop_id not in artisan_shops):
        chosen.setdefault(line.product_id, line)
    return list(chosen.values())


def seed() -> list[str]:
    buyer = User.objects.filter(email="buyer@souk.example").first()
    if buyer is None or Review.objects.filter(buyer=buyer).exists():
        return []
    written = []
    for line, (stars, language, body) in zip(_received_lines(buyer), _REVIEWS, strict=False):
        written.append(
            reviews.write_review(
                order_line_id=line.pk, buyer=buyer, stars=stars, body=body, language=language
            )
        )
    if not written:
        return []
    first = written[0]
    manager = (
        ShopMember.objects.filter(shop_id=first.shop_id, role=MemberRole.MANAGER)
        .select_related("user")
        .first()
    )
    if manager is not None:
        reviews.answer_review(review_id=first.pk, user=manager.user, body=_ANSWER)
    return [
        "",
        f"Reviews: buyer@souk.example reviewed {len(written)} pieces they received (stars on",
        "  cards, product and shop pages); the artisan answered one; moderator@souk.example's",
        "  /fr/reviews/moderation/ hides and restores.",
    ]
