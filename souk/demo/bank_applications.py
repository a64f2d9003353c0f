"""Demo application: the demo artisan applied to Attijariwafa bank's "Compte Artisan",
sharing their sales figures and register data for 90 days, and bank@souk.example has taken it
into review. Through the real use cases (eligibility, consent snapshot, state machine);
idempotent: nothing is added once the shop has an application to that offer."""

from __future__ import annotations

from souk.accounts.models import User
from souk.banking import applications
from souk.banking.application_models import DEFAULT_CONSENT_DAYS, Application, ShareLine
from souk.banking.models import Offer
from souk.demo.shops import DEMO_ARTISAN_EMAIL
from souk.shops.models import MemberRole, Shop

OFFICER_EMAIL = "bank@souk.example"
OFFER = ("007", "Compte Artisan")


def seed() -> list[str]:
    offer = Offer.objects.filter(bank__bank_code=OFFER[0], title_fr=OFFER[1]).first()
    shop = Shop.objects.filter(
        members__user__email=DEMO_ARTISAN_EMAIL, members__role=MemberRole.MANAGER
    ).first()
    if offer is None or shop is None:
        return []
    found = Application.objects.filter(shop=shop, offer=offer).first()
    if found is None:
        artisan = User.objects.get(email=DEMO_ARTISAN_EMAIL)
        found = applications.apply(
            shop=shop,
            user=artisan,
            offer=offer,
            lines=[ShareLine.FIGURES, ShareLine.IDENTITY],
            days=DEFAULT_CONSENT_DAYS,
        )
        officer = User.objects.get(email=OFFICER_EMAIL)
        found = applications.move_application(application=found, action="review", actor=officer)
    return [
        f"  Application #{found.pk} ({found.status}) of {DEMO_ARTISAN_EMAIL} to Compte Artisan:",
        f"  /fr/banking/applications/{found.pk}/ (artisan), "
        f"/fr/banking/bank/applications/{found.pk}/ (bank@souk.example).",
    ]
