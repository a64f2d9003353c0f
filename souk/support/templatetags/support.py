"""Support's bits of other apps' pages: the artisan's card (advisor and next step) on the shop
dashboard, the next step's one link, days since a date, a milestone's name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.shops.models import Language
from souk.support import coach, selectors
from souk.support.models import STAGE_DONE, Milestone, Progress

register = template.Library()


@dataclass(frozen=True)
class NextStep:
    milestone: Milestone
    label: str | Promise
    url: str


# What the artisan does to reach each milestone, and where; None: nothing to do but wait.
_ACTIONS: dict[str, tuple[str | Promise, str, bool]] = {
    Milestone.PHONE_VERIFIED: (
        _("Confirm your phone number with the code we texted"),
        "onboarding:code",
        False,
    ),
    Milestone.FIRST_PIECE_SENT: (_("Send your first piece"), "onboarding:piece", False),
    Milestone.FIRST_PIECE_PUBLISHED: (
        _("See your pieces waiting for review"),
        "catalog:listings",
        True,
    ),
    Milestone.PROFILE_COMPLETE: (
        _("Tell your story and add a photo of your workshop"),
        "shops:edit_profile",
        True,
    ),
    Milestone.PAYOUT_VERIFIED: (_("Say where your earnings go"), "shops:edit_payout", True),
    Milestone.FIRST_SALE: (
        _("Show your shop to buyers: add pieces and share it"),
        "catalog:listings",
        True,
    ),
    Milestone.FIRST_SALE_ABROAD: (
        _("Give your pieces a weight and size, for buyers abroad"),
        "catalog:listings",
        True,
    ),
    Milestone.FIRST_PAYOUT: (
        _("See your earnings and when they are paid"),
        "ledger:earnings",
        False,
    ),
    Milestone.FIVE_PIECES: (_("Add another piece"), "catalog:create", True),
    Milestone.FIRST_REPEAT_BUYER: (
        _("Answer and ship quickly: buyers come back"),
        "orders:artisan_list",
        False,
    ),
}


def next_step(progress: Progress) -> NextStep | None:
    """The one thing to do next, with its link; None when the path is done."""
    if progress.stage == STAGE_DONE or progress.stage not in _ACTIONS:
        return None
    label, url_name, needs_shop = _ACTIONS[progress.stage]
    if needs_shop:
        if progress.shop_id is None:
            return None
        url = reverse(url_name, args=[progress.shop_id])
    else:
        url = reverse(url_name)
    return NextStep(milestone=Milestone(progress.stage), label=label, url=url)


@register.inclusion_tag("support/_card.html", takes_context=True)
def support_card(context: dict[str, Any]) -> dict[str, Any]:
    """The artisan's advisor and next step, for their shop dashboard."""
    request = context.get("request")
    user = getattr(request, "user", None)
    progress = selectors.get_progress(user) if user is not None and user.is_authenticated else None
    if progress is None:
        return {"progress": None}
    return {
        "progress": progress,
        "advisor": progress.advisor,
        "next_step": next_step(progress),
    }


@register.simple_tag
def next_step_of(progress: Progress) -> NextStep | None:
    return next_step(progress)


@register.filter
def days_since(
    moment: datetime.datetime | None, now: datetime.datetime | None = None
) -> int | None:
    if moment is None:
        return None
    return ((now or timezone.now()) - moment).days


_LABELS: dict[str, str | Promise] = {
    **{m.value: m.label for m in Milestone},
    STAGE_DONE: _("Path complete"),
}


@register.filter
def milestone_label(value: str) -> str | Promise:
    return _LABELS.get(value, value)


@register.filter
def language_names(codes: list[str]) -> str:
    """The advisor's languages by name, in the page's language (the shops' table of them)."""
    names = dict(Language.choices)
    return ", ".join(str(names.get(code, code)) for code in codes)


@register.inclusion_tag("support/_coach.html")
def listing_coach(product: Any) -> dict[str, Any]:
    """The coach's advice on one listing, for its edit page."""
    return {"advice": coach.advise(product) if product is not None else []}
