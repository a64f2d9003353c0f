"""Demo support: three advisors covering different regions (advisor@souk.example the centre),
a few newcomers who only claimed their entry weeks ago (so "stuck for more than N days" has
something to show), and every artisan's path computed by the real nightly batch.

The advisors are seeded before the shops, so the demo shops' claims are assigned by the claim's
own event; the batch at the end gives an advisor to any artisan still without one. Idempotent:
advisors and newcomers are found by their email, a claimed entry is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.demo.accounts import DEMO_PASSWORD
from souk.demo.shops import FIRST_NAMES, LAST_NAMES, DemoShop, _register_entry
from souk.onboarding import services as onboarding
from souk.registry import services as registry
from souk.registry.models import Category, Region, RegisterEntry, Sector, Trade
from souk.shops import services as shops
from souk.shops.models import PayoutMethod, Shop
from souk.support import services
from souk.support.models import Advisor, Progress


@dataclass(frozen=True, slots=True)
class DemoAdvisor:
    email: str
    full_name: str
    regions: tuple[str, ...]
    languages: tuple[str, ...]
    phone: str
    hours: str


DEMO_ADVISORS = (
    DemoAdvisor(
        "advisor@souk.example",
        "Youssef Alaoui",
        ("03", "04", "06", "07"),
        ("ar", "fr", "ber"),
        "+212522000101",
        "Lun.-ven., 9 h-17 h",
    ),
    DemoAdvisor(
        "advisor.north@souk.example",
        "Samira Chraibi",
        ("01", "02", "05"),
        ("ar", "fr", "es"),
        "+212539000102",
        "Lun.-sam., 10 h-18 h",
    ),
    DemoAdvisor(
        "advisor.south@souk.example",
        "Hamid Ouali",
        ("08", "09", "10", "11", "12"),
        ("ar", "ber", "fr"),
        "+212528000103",
        "Lun.-ven., 8 h 30-16 h 30",
    ),
)
# Newcomers: register number DEMO-08NN, claimed this many days ago, nothing done since.
NEWCOMER_DAYS = (3, 12, 25, 40, 65, 90, 150)
# The first newcomer signed up on the phone path (onboarding's one screen): the code was
# texted to this number and never typed back, so the path stops at "phone verified".
PHONE_PENDING_INDEX, PHONE_PENDING = 0, "+212661088001"
# Two unsold demo shops stopped earlier on the path, through the shops' services: shop10
# replaced its payout destination (held, so not verified), shop20 has no story any more.
PAYOUT_CHANGED, NO_STORY = "shop10@souk.example", "shop20@souk.example"


def seed_advisors() -> list[str]:
    """Create or refresh the demo advisors, covering every sector of their regions."""
    sectors = list(Sector.objects.all())
    for demo in DEMO_ADVISORS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create(
                email=demo.email, full_name=demo.full_name, preferred_language="fr"
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if not user.has_role(Role.ADVISOR):
            accounts.grant_role(user=user, role=Role.ADVISOR)
        advisor, _created = Advisor.objects.get_or_create(
            user=user,
            defaults={
                "capacity": 500,
                "languages": list(demo.languages),
                "contact_phone": demo.phone,
                "contact_hours": demo.hours,
            },
        )
        advisor.regions.set(Region.objects.filter(code__in=demo.regions))
        advisor.sectors.set(sectors)
    return []


def seed() -> list[str]:
    """Claim the newcomers' entries, then run the nightly batch; return the lines to print."""
    trades = list(Trade.objects.filter(sells_goods=True, is_active=True).order_by("code"))
    regions = list(Region.objects.filter(code__in=DEMO_ADVISORS[0].regions).order_by("code"))
    for index, days in enumerate(NEWCOMER_DAYS):
        number = 801 + index
        first, last = FIRST_NAMES[(index + 5) % len(FIRST_NAMES)], LAST_NAMES[index]
        shop = DemoShop(
            number=number,
            email=f"newcomer{index + 1}@souk.example",
            category=Category.ARTISAN,
            trade=trades[(index * 7) % len(trades)],
            region=regions[index % len(regions)],
            first_name=first,
            last_name=last,
        )
        entry = _register_entry(shop)
        if entry.claimed_by_id is None and index == PHONE_PENDING_INDEX:
            _sign_up_without_the_code(shop, entry, days=days)
        elif entry.claimed_by_id is None:
            _claim_weeks_ago(shop, entry, days=days)
    _stop_two_shops_earlier()
    services.recompute_all_progress()
    advisor = Advisor.objects.get(user__email=DEMO_ADVISORS[0].email)
    return [
        "",
        f"Support: {Advisor.objects.count()} advisors; advisor@souk.example follows "
        f"{Progress.objects.filter(advisor=advisor).count()} artisans at /fr/support/portfolio/; "
        "the funnel at /fr/support/funnel/ (admin, analyst)",
        f"  {Progress.objects.count()} artisans along the path; newcomer1@souk.example ... "
        f"newcomer{len(NEWCOMER_DAYS)}@souk.example claimed their entry weeks ago",
    ]


def _claim_weeks_ago(shop: DemoShop, entry: RegisterEntry, *, days: int) -> None:
    user = User.objects.filter(email=shop.email).first()
    if user is None:
        user = User.objects.create(
            email=shop.email, full_name=shop.person_name, preferred_language="ar"
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        accounts.grant_role(user=user, role=Role.ARTISAN)
    registry.claim_register_entry(
        user=user, register_number=entry.register_number, cin=shop.cin, ip_address=None
    )
    # Demo data only: move the account and the claim back in time, as if they had signed up
    # weeks ago and done nothing since.
    then = timezone.now() - datetime.timedelta(days=days)
    User.objects.filter(pk=user.pk).update(created_at=then)
    RegisterEntry.objects.filter(pk=entry.pk).update(claimed_at=then)


def _sign_up_without_the_code(shop: DemoShop, entry: RegisterEntry, *, days: int) -> None:
    """Sign up as an artisan does on a phone (account, claim, shop sent for review, a code
    texted), and never type the code back."""
    user = onboarding.sign_up_as_artisan(
        phone=PHONE_PENDING,
        password=DEMO_PASSWORD,
        register_number=entry.register_number,
        cin=shop.cin,
        ip_address=None,
        language="ar",
    )
    # Demo data only: an email to log in with, and the sign-up moved back in time.
    then = timezone.now() - datetime.timedelta(days=days)
    User.objects.filter(pk=user.pk).update(email=shop.email, created_at=then)
    RegisterEntry.objects.filter(pk=entry.pk).update(claimed_at=then)


def _stop_two_shops_earlier() -> None:
    """shop10 gives a new payout destination (payouts held), shop20 removes its story; each
    once (a second run finds it done)."""
    changed = Shop.objects.filter(register_entry__claimed_by__email=PAYOUT_CHANGED).first()
    if changed is not None and changed.payout_destination_changed_at is None:
        shops.set_payout_destination(
            shop=changed,
            actor=User.objects.get(email=PAYOUT_CHANGED),
            method=PayoutMethod.WALLET,
            wallet_phone="+212661099010",
        )
    bare = Shop.objects.filter(register_entry__claimed_by__email=NO_STORY).first()
    if bare is not None and any(
        getattr(bare, f"story_{code}") for code in ("ar", "fr", "en", "es")
    ):
        shops.update_shop_profile(
            shop=bare,
            actor=User.objects.get(email=NO_STORY),
            display_name=bare.display_name,
            story_ar="",
            story_fr="",
            story_en="",
            story_es="",
            workshop_city=bare.workshop_city,
            region=bare.region,
            languages_spoken=bare.languages_spoken,
            trades=list(bare.trades.all()),
        )
