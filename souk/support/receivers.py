"""Support acts on the news of the apps below it (souk.core.events): a claim gives the artisan
an advisor and a kept path; shop and listing changes refresh the path once committed; a sale
captured or a payout paid (the ledger's `EntryPosted`) refreshes the path of the shop concerned
in the posting's transaction, so first sale, first sale abroad, first repeat buyer and first
payout show at once rather than after the nightly recompute."""

from __future__ import annotations

from souk.catalog.events import ProductsChanged
from souk.catalog.models import Product
from souk.core.events import Delivery, subscribe
from souk.ledger import selectors as ledger
from souk.ledger.events import EntryPosted
from souk.orders.models import SubOrder
from souk.registry.events import EntryClaimed
from souk.shops.events import ShopShownChanged
from souk.shops.models import Shop
from souk.support import milestones, services
from souk.support.models import AssignmentReason, Progress

# The entries that can move a milestone: the money of a sale reaching the shop's escrow (card or
# wallet capture, cash collected at the door), and a payout reported paid.
SALE_CODES = frozenset({"payment_captured", "late_payment_captured", "cash_collected"})
PAYOUT_PAID = "payout_paid"


def follow_claimant(event: EntryClaimed) -> None:
    # Shops subscribed first (its app is installed before this one): the draft shop exists.
    entry = event.entry
    shop = Shop.objects.filter(register_entry=entry).only("pk").first()
    services.assign_artisan(
        artisan=event.owner,
        shop_id=shop.pk if shop else None,
        region_code=entry.region_id,
        sector_code=entry.trade.sector_id,
        reason=AssignmentReason.CLAIM,
    )
    services.refresh_progress(artisan_ids=[event.owner.pk])


def _owners_of_shops(shop_ids: set[int]) -> list[int]:
    return list(
        Shop.objects.filter(pk__in=shop_ids, register_entry__claimed_by__isnull=False).values_list(
            "register_entry__claimed_by_id", flat=True
        )
    )


def refresh_after_shop_change(event: ShopShownChanged) -> None:
    services.refresh_progress(artisan_ids=_owners_of_shops({event.shop_id}))


def refresh_after_products_change(event: ProductsChanged) -> None:
    shop_ids = set(
        Product.objects.filter(pk__in=event.product_ids).values_list("shop_id", flat=True)
    )
    services.refresh_progress(artisan_ids=_owners_of_shops(shop_ids))


def _shops_of_entry(event: EntryPosted) -> set[int]:
    if event.code in SALE_CODES:
        owners = {leg.credit_owner for leg in event.legs}
        return {int(o[5:]) for o in owners if o.startswith("shop:") and o[5:].isdigit()}
    references = {leg.reference_id for leg in event.legs if leg.reference_type == "payout"}
    return ledger.list_shops_of_payouts(references)


def _sales_giving_nothing(event: EntryPosted, shop_ids: set[int]) -> set[int]:
    """The shops for which this sale can reach no milestone: first sale and first repeat buyer
    already reached, and the first sale abroad too or this sale's parcel stays at home. Without
    the parcel's country a sale would recompute, on every sale, the path of any shop that never
    sold abroad (most of them), reading all its sales."""
    reached = dict(
        Progress.objects.filter(
            shop_id__in=shop_ids, first_sale_at__isnull=False, first_repeat_buyer_at__isnull=False
        ).values_list("shop_id", "first_sale_abroad_at")
    )
    waiting_abroad = {shop_id for shop_id, abroad_at in reached.items() if abroad_at is None}
    if not waiting_abroad:
        return set(reached)
    references = {leg.reference_id for leg in event.legs if leg.reference_type == "sub_order"}
    countries: dict[int, set[str]] = {}
    for shop_id, country in SubOrder.objects.filter(
        reference__in=references, shop_id__in=waiting_abroad
    ).values_list("shop_id", "order__ship_to_country"):
        countries.setdefault(shop_id, set()).add(country)
    # A parcel not found (another kind of reference) counts as possibly abroad: recompute.
    at_home = {shop_id for shop_id, seen in countries.items() if seen == {milestones.HOME_COUNTRY}}
    return (set(reached) - waiting_abroad) | at_home


def refresh_after_entry(event: EntryPosted) -> None:
    """Refresh the path of the shops a sale or a paid payout concerns; skipped for any other
    entry, and for an artisan who already reached every milestone the entry could give."""
    if event.code not in SALE_CODES and event.code != PAYOUT_PAID:
        return
    shop_ids = _shops_of_entry(event)
    if not shop_ids:
        return
    if event.code == PAYOUT_PAID:
        done = Progress.objects.filter(shop_id__in=shop_ids, first_payout_at__isnull=False)
        shop_ids -= set(done.values_list("shop_id", flat=True))
    else:
        shop_ids -= _sales_giving_nothing(event, shop_ids)
    if shop_ids:
        services.refresh_progress(artisan_ids=_owners_of_shops(shop_ids))


def connect() -> None:
    subscribe(EntryClaimed, follow_claimant, delivery=Delivery.IN_TRANSACTION)
    subscribe(ShopShownChanged, refresh_after_shop_change, delivery=Delivery.ON_COMMIT)
    subscribe(ProductsChanged, refresh_after_products_change, delivery=Delivery.ON_COMMIT)
    subscribe(EntryPosted, refresh_after_entry, delivery=Delivery.IN_TRANSACTION)
