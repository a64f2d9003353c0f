"""Reads of reviews for the product, shop, order, sales and moderation pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import get_language, get_language_info

from souk.accounts.models import User
from souk.orders.models import OrderLine, SubOrder
from souk.reviews import services
from souk.reviews.models import Review, ReviewPhoto, ReviewStatus
from souk.shops.models import MemberRole

PRODUCT_PAGE_REVIEWS = 20


def _with_parts(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("buyer", "answer").prefetch_related(
        Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id"))
    )


def buyer_shown_name(user: User) -> str:
    """How a review names its writer: the first word of their name and an initial ("Amal B.")."""
    words = (user.full_name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0]}."


# Languages that write the names of languages in lower case ("écrit en arabe").
_LOWER_CASE_LANGUAGE_NAMES = frozenset({"fr", "es"})


def language_name(code: str) -> str:
    """The language's name in the reader's language ("Arabic", "arabe")."""
    name = str(get_language_info(code)["name_translated"])
    if get_language() in _LOWER_CASE_LANGUAGE_NAMES:
        return name[:1].lower() + name[1:]
    return name


@dataclass(frozen=True)
class ProductReviews:
    in_your_language: list[Review]
    # Reviews written in other languages, each shown with its language named.
    in_other_languages: list[Review] = field(default_factory=list)


def list_product_reviews(
    *, product_id: int, language: str, limit: int = PRODUCT_PAGE_REVIEWS
) -> ProductReviews:
    """The visible reviews of a listing, those in the reader's language first, newest first in
    each group, at most `limit`. Three queries (reviews with answers, photos)."""
    reviews = list(
        _with_parts(Review.objects.filter(product_id=product_id, status=ReviewStatus.VISIBLE))
        .annotate(
            in_reader_language=Case(
                When(language=language, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("in_reader_language", "-created_at", "-id")[:limit]
    )
    return ProductReviews(
        in_your_language=[review for review in reviews if review.language == language],
        in_other_languages=[review for review in reviews if review.language != language],
    )


@dataclass(frozen=True)
class LineReview:
    line: OrderLine
    review: Review | None
    may_write: bool
    may_edit: bool


def list_line_reviews(*, sub_order: SubOrder, user: User) -> list[LineReview]:
    """For the buyer's order page: each line of a parcel, its review, and what the buyer may do."""
    if sub_order.order.buyer_id != user.pk:
        return []
    received = services.is_received(sub_order)
    lines = list(sub_order.lines.all())
    reviews = {
        review.order_line_id: review for review in Review.objects.filter(order_line__in=lines)
    }
    return [
        LineReview(
            line=line,
            review=reviews.get(line.pk),
            may_write=received and line.pk not in reviews,
            may_edit=line.pk in reviews and services.is_editable(reviews[line.pk]),
        )
        for line in lines
    ]


def get_own_line(*, user: User, order_line_id: int) -> OrderLine:
    """A line of one of `user`'s orders; raises OrderLine.DoesNotExist otherwise."""
    return OrderLine.objects.select_related("sub_order__order", "product", "sub_order__shop").get(
        pk=order_line_id, sub_order__order__buyer=user
    )


def list_shop_reviews(*, user: User) -> QuerySet[Review]:
    """Reviews of the shops `user` manages, hidden ones included, newest first."""
    return _with_parts(
        Review.objects.filter(shop__members__user=user, shop__members__role=MemberRole.MANAGER)
        .select_related("product", "shop", "order_line__sub_order")
        .distinct()
    )


def list_reviews_of_sub_order(*, sub_order: SubOrder) -> list[Review]:
    """The reviews of a parcel's pieces, for the artisan's parcel page."""
    return list(_with_parts(Review.objects.filter(order_line__sub_order=sub_order)).order_by("id"))


def list_for_moderation(*, tab: str) -> QuerySet[Review]:
    """The moderators' queue: "reported" (open reports, the most reported first), "hidden", or
    "recent" (every review, newest first)."""
    reviews = (
        _with_parts(Review.objects.select_related("product", "shop"))
        .prefetch_related("reports")
        .annotate(open_reports=Count("reports", filter=Q(reports__is_open=True)))
    )
    if tab == "hidden":
        return reviews.filter(status=ReviewStatus.HIDDEN).order_by("-created_at", "-id")
    if tab == "recent":
        return reviews.order_by("-created_at", "-id")
    return reviews.filter(open_reports__gt=0).order_by("-open_reports", "-created_at", "-id")


def get_review_for_moderation(*, review_id: int) -> Review:
    return _with_parts(Review.objects.select_related("product", "shop")).get(pk=review_id)
