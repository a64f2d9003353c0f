"""The path's milestones computed from what exists (docs/support.md), in bulk: one query per
source for a batch of artisans, so the nightly recomputation of 420,000 artisans stays a few
dozen queries per thousand.

An artisan is an account that claimed a register entry. Each milestone's date is the moment
the data shows it reached; where no timestamp exists the nearest one stands in (documented per
source below). Milestones held by apps above support (the phone check of onboarding) are
provided at start-up through `provide`, as payments provides the ledger's facts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Min

from souk.catalog.models import Product, ProductStatus
from souk.core.models import AuditEntry
from souk.ledger import selectors as ledger
from souk.orders.models import SubOrder, SubOrderStatus
from souk.registry.models import RegisterEntry
from souk.shops.models import Shop, ShopPhoto
from souk.support.models import MILESTONES, STAGE_DONE, Milestone

HOME_COUNTRY = "MA"
PIECES_FOR_MILESTONE = 5
# Sub-orders that never became a sale.
_NOT_SALES = (SubOrderStatus.AWAITING_PAYMENT, SubOrderStatus.CANCELLED, SubOrderStatus.DECLINED)

# A source gives, for artisans' account ids, the moment each reached the milestone.
DateSource = Callable[[Sequence[int]], dict[int, datetime.datetime]]
_provided: dict[Milestone, DateSource] = {}
# A source gives, of artisans' account ids, those for whom a milestone is not asked (an account
# that signed up before the phone check never had to prove its phone): the stage skips it.
ExemptSource = Callable[[Sequence[int]], set[int]]
_exempt: dict[Milestone, ExemptSource] = {}


def provide(
    milestone: Milestone, source: DateSource, *, exempt: ExemptSource | None = None
) -> None:
    """Let an app above support say when artisans reached `milestone`, and for whom it is not
    asked (called from the app's `ready()`)."""
    _provided[milestone] = source
    if exempt is not None:
        _exempt[milestone] = exempt


@dataclass
class Computed:
    """One artisan's path as the data shows it now."""

    artisan_id: int
    shop_id: int | None
    region_code: str
    sector_code: str
    dates: dict[str, datetime.datetime | None] = field(default_factory=dict)
    # Milestones not asked of this artisan: never their stage, never counted as reached.
    exempt: set[str] = field(default_factory=set)

    @property
    def stage(self) -> str:
        return next(
            (
                m.value
                for m in MILESTONES
                if self.dates.get(m.value) is None and m.value not in self.exempt
            ),
            STAGE_DONE,
        )

    @property
    def stage_index(self) -> int:
        stage = self.stage
        return (
            len(MILESTONES) if stage == STAGE_DONE else [m.value for m in MILESTONES].index(stage)
        )

    @property
    def last_step_at(self) -> datetime.datetime | None:
        reached = [when for when in self.dates.values() if when is not None]
        return max(reached) if reached else None


def compute(artisan_ids: Iterable[int]) -> dict[int, Computed]:
    """Every milestone of these artisans (accounts that claimed an entry; others are left out)."""
    entries = RegisterEntry.objects.filter(claimed_by_id__in=list(artisan_ids)).values(
        "claimed_by_id",
        "claimed_at",
        "region_id",
        "trade__sector_id",
        "shop__id",
        "claimed_by__created_at",
    )
    result: dict[int, Computed] = {}
    for row in entries:
        computed = Computed(
            artisan_id=row["claimed_by_id"],
            shop_id=row["shop__id"],
            region_code=row["region_id"] or "",
            sector_code=row["trade__sector_id"] or "",
        )
        computed.dates = dict.fromkeys((m.value for m in MILESTONES), None)
        computed.dates[Milestone.ACCOUNT] = row["claimed_by__created_at"]
        computed.dates[Milestone.REGISTER_CLAIMED] = row["claimed_at"]
        result[computed.artisan_id] = computed
    ids = list(result)
    by_shop = {c.shop_id: c for c in result.values() if c.shop_id is not None}
    shop_ids = list(by_shop)
    for milestone, source in _provided.items():
        for artisan_id, when in source(ids).items():
            if artisan_id in result:
                result[artisan_id].dates[milestone] = when
    for milestone, exempt in _exempt.items():
        for artisan_id in exempt(ids):
            if artisan_id in result and result[artisan_id].dates[milestone] is None:
                result[artisan_id].exempt.add(milestone.value)
    if shop_ids:
        _pieces(by_shop, shop_ids)
        _profile_and_payout(by_shop, shop_ids)
        _sales(by_shop, shop_ids)
        for shop_id, when in ledger.list_first_paid_payout_at(shop_ids).items():
            by_shop[shop_id].dates[Milestone.FIRST_PAYOUT] = when
    return result


def _pieces(by_shop: dict[int, Computed], shop_ids: list[int]) -> None:
    # No record keeps when a piece was sent for review: a piece out of draft was sent, and its
    # creation stands in for the sending (the artisan's path sends the first piece at once).
    sent = (
        Product.objects.filter(shop_id__in=shop_ids)
        .exclude(status=ProductStatus.DRAFT)
        .values("shop_id")
        .annotate(first=Min("created_at"))
    )
    for row in sent:
        by_shop[row["shop_id"]].dates[Milestone.FIRST_PIECE_SENT] = row["first"]
    published: dict[int, list[datetime.datetime]] = defaultdict(list)
    rows = (
        Product.objects.filter(shop_id__in=shop_ids, published_at__isnull=False)
        .order_by("shop_id", "published_at")
        .values_list("shop_id", "published_at")
    )
    for shop_id, when in rows:
        if when is not None:
            published[shop_id].append(when)
    for shop_id, dates in published.items():
        computed = by_shop[shop_id]
        computed.dates[Milestone.FIRST_PIECE_PUBLISHED] = dates[0]
        # A piece published earns its place even if it was paused since: the path counts
        # what the artisan achieved.
        if len(dates) >= PIECES_FOR_MILESTONE:
            computed.dates[Milestone.FIVE_PIECES] = dates[PIECES_FOR_MILESTONE - 1]


def _profile_and_payout(by_shop: dict[int, Computed], shop_ids: list[int]) -> None:
    first_photo = dict(
        ShopPhoto.objects.filter(shop_id__in=shop_ids)
        .values("shop_id")
        .annotate(first=Min("uploaded_at"))
        .values_list("shop_id", "first")
    )
    # The destination's first setting is in the audit log; it is verified once given (the
    # RIB's key or the wallet's number checked) and no longer held after a change.
    destination_set = dict(
        AuditEntry.objects.filter(
            target_type="shops.shop",
            target_id__in=[str(shop_id) for shop_id in shop_ids],
            action="shop.payout_destination_set",
        )
        .values("target_id")
        .annotate(first=Min("at"))
        .values_list("target_id", "first")
    )
    shops = Shop.objects.filter(pk__in=shop_ids).only(
        "id",
        "story_ar",
        "story_fr",
        "story_en",
        "story_es",
        "created_at",
        "updated_at",
        "payout_method",
        "payout_destination_changed_at",
    )
    for shop in shops:
        computed = by_shop[shop.pk]
        has_story = any((shop.story_ar, shop.story_fr, shop.story_en, shop.story_es))
        if has_story and shop.pk in first_photo:
            # The story's own date is not kept: the first photo's, or the shop's opening.
            computed.dates[Milestone.PROFILE_COMPLETE] = max(first_photo[shop.pk], shop.created_at)
        if shop.has_payout_destination and shop.payouts_resume_at() is None:
            computed.dates[Milestone.PAYOUT_VERIFIED] = destination_set.get(
                str(shop.pk), shop.updated_at
            )


def _sales(by_shop: dict[int, Computed], shop_ids: list[int]) -> None:
    rows = (
        SubOrder.objects.filter(shop_id__in=shop_ids, order__placed_at__isnull=False)
        .exclude(status__in=_NOT_SALES)
        .order_by("shop_id", "order__placed_at")
        .values_list("shop_id", "order__buyer_id", "order__placed_at", "order__ship_to_country")
    )
    seen_buyers: dict[int, set[int]] = defaultdict(set)
    for shop_id, buyer_id, placed_at, country in rows:
        dates = by_shop[shop_id].dates
        if dates[Milestone.FIRST_SALE] is None:
            dates[Milestone.FIRST_SALE] = placed_at
        if country != HOME_COUNTRY and dates[Milestone.FIRST_SALE_ABROAD] is None:
            dates[Milestone.FIRST_SALE_ABROAD] = placed_at
        if buyer_id in seen_buyers[shop_id] and dates[Milestone.FIRST_REPEAT_BUYER] is None:
            dates[Milestone.FIRST_REPEAT_BUYER] = placed_at
        seen_buyers[shop_id].add(buyer_id)
