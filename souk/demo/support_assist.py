"""Demo of assisted mode and lessons (docs/support.md): newcomer2@souk.example allowed their
advisor, in the app two days ago, to prepare their shop for seven days; the advisor wrote the
shop's French story for them (in the audit log as "advisor for artisan", shown on the
artisan's /support/ page). The newcomer opened the photos lesson and finished the scams one;
the advisor suggested the pricing lesson. Idempotent: an artisan with any assisted-mode row is
left as it is."""

from __future__ import annotations

import datetime

from django.utils import timezone

from souk.accounts.models import User
from souk.core import delegation
from souk.shops import services as shops
from souk.shops.models import Shop
from souk.support import assistance, lessons
from souk.support.assist_models import Assistance
from souk.support.models import Assignment

ASSISTED_EMAIL = "newcomer2@souk.example"
STORY_FR = (
    "Atelier familial : chaque pièce est façonnée et décorée à la main, avec des matières "
    "de la région. Écrit avec mon conseiller."
)


def seed() -> list[str]:
    artisan = User.objects.filter(email=ASSISTED_EMAIL).first()
    if artisan is None:
        return []
    following = Assignment.objects.filter(artisan=artisan, ended_at__isnull=True).first()
    shop = Shop.objects.filter(register_entry__claimed_by=artisan).first()
    if following is None or shop is None:
        return []
    advisor = following.advisor
    if not Assistance.objects.filter(artisan=artisan).exists():
        asked = assistance.ask_in_app(advisor=advisor, artisan_id=artisan.pk)
        permission = assistance.allow(artisan=artisan, assistance_id=asked.pk)
        then = timezone.now() - datetime.timedelta(days=2)
        Assistance.objects.filter(pk=permission.pk).update(
            asked_at=then,
            consented_at=then,
            expires_at=then + datetime.timedelta(days=permission.days),
        )
        who = delegation.Acting(
            advisor_id=advisor.user_id, artisan_id=artisan.pk, assistance_id=permission.pk
        )
        with delegation.acting(who):
            assistance.record_session(assistance=permission, started=True)
            shops.update_shop_profile(
                shop=shop,
                actor=artisan,
                display_name=shop.display_name,
                story_ar=shop.story_ar,
                story_fr=STORY_FR,
                story_en=shop.story_en,
                story_es=shop.story_es,
                workshop_city=shop.workshop_city,
                region=shop.region,
                languages_spoken=shop.languages_spoken,
                trades=list(shop.trades.all()),
            )
            assistance.record_action(
                assistance=permission,
                url_name="shops:edit_profile",
                method="POST",
                path=f"/fr/shops/manage/{shop.pk}/profile/",
                status=302,
            )
        lessons.mark_opened(artisan=artisan, slug="photos")
        lessons.mark_finished(artisan=artisan, slug="scams")
        lessons.suggest(advisor=advisor, artisan_id=artisan.pk, slug="pricing")
    return [
        f"  assisted mode: {ASSISTED_EMAIL} allowed {advisor} to act for them "
        f'({advisor.user.email}: /fr/support/portfolio/{artisan.pk}/, "Act for them now")',
    ]
