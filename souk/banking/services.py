"""Writes of the banking app: offers through their state machine, and the eligibility kept
for each shop and offer. Each use case is one transaction (STYLE.md §2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.banking import eligibility, selectors
from souk.banking.errors import (
    IllegalOfferTransition,
    NotAnOfficer,
    OfferMoveNotAllowed,
    OfferNotEditable,
    OfferRefusalReasonRequired,
)
from souk.banking.models import BankOfficer, Offer, OfferStatus, PartnerBank, ShopEligibility
from souk.core.audit import record as audit
from souk.core.machine import Actor, Machine, move, transition
from souk.shops.models import Shop

APPROVE_PERMISSION = "banking.approve_offer"

# What an officer writes; everything else (status, bank, dates of moves) is the services'.
OFFER_FIELDS = (
    "kind",
    "title_ar",
    "title_fr",
    "title_en",
    "title_es",
    "description_ar",
    "description_fr",
    "description_en",
    "description_es",
    "opening_fee_amount",
    "monthly_fee_amount",
    "max_amount",
    "annual_rate_percent",
    "total_cost_amount",
    "flat_fee_amount",
    "withheld_percent",
    "valid_from",
    "valid_until",
    "min_months_selling",
    "min_sales_12m_amount",
    "min_orders_12m",
    "max_refund_rate_percent",
    "sector_codes",
    "region_codes",
    "legal_form",
    "requires_active_register_entry",
    "requires_payout_destination",
)


def _may_act(offer: Offer, actor: Any, role: Actor) -> bool:
    if role is Actor.BANK_OFFICER:
        return BankOfficer.objects.filter(user=actor, bank_id=offer.bank_id).exists()
    if role is Actor.ADMINISTRATOR:
        return bool(actor.has_perm(APPROVE_PERMISSION))
    return False


OFFER_MACHINE = Machine(
    name="bank_offer",
    transitions=(
        transition(
            "submit",
            {OfferStatus.DRAFT, OfferStatus.REFUSED},
            OfferStatus.SUBMITTED,
            {Actor.BANK_OFFICER},
            _("Submit for approval"),
        ),
        transition(
            "withdraw",
            {OfferStatus.SUBMITTED, OfferStatus.APPROVED},
            OfferStatus.DRAFT,
            {Actor.BANK_OFFICER},
            _("Withdraw"),
        ),
        transition(
            "approve",
            {OfferStatus.SUBMITTED},
            OfferStatus.APPROVED,
            {Actor.ADMINISTRATOR},
            _("Approve"),
        ),
        transition(
            "refuse",
            {OfferStatus.SUBMITTED},
            OfferStatus.REFUSED,
            {Actor.ADMINISTRATOR},
            _("Refuse"),
            reason_required=True,
        ),
    ),
    illegal=IllegalOfferTransition,
    not_allowed=OfferMoveNotAllowed,
    reason_missing=OfferRefusalReasonRequired,
    may_act=_may_act,
)


def _check_officer(*, user: User, bank: PartnerBank) -> None:
    if not BankOfficer.objects.filter(user=user, bank=bank).exists():
        raise NotAnOfficer()


@transaction.atomic
def create_offer(*, officer: User, bank: PartnerBank, values: Mapping[str, Any]) -> Offer:
    """A draft offer of `bank` written by one of its officers (`values`: OFFER_FIELDS)."""
    _check_officer(user=officer, bank=bank)
    offer = Offer(bank=bank, created_by=officer, **{f: values[f] for f in OFFER_FIELDS})
    offer.full_clean()
    offer.save()
    audit(actor=officer, action="bank_offer.create", target=offer)
    return offer


@transaction.atomic
def update_offer(*, officer: User, offer: Offer, values: Mapping[str, Any]) -> Offer:
    """Change a draft or refused offer; an offer submitted or approved is withdrawn first."""
    _check_officer(user=officer, bank=offer.bank)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_editable:
        raise OfferNotEditable()
    for name in OFFER_FIELDS:
        setattr(offer, name, values[name])
    offer.updated_at = timezone.now()
    offer.full_clean()
    offer.save()
    audit(actor=officer, action="bank_offer.update", target=offer)
    return offer


@transaction.atomic
def move_offer(*, offer: Offer, action: str, actor: User, reason: str = "") -> Offer:
    """Submit or withdraw (its bank's officer), approve or refuse (an administrator)."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    role = Actor.ADMINISTRATOR if action in {"approve", "refuse"} else Actor.BANK_OFFICER

    def stamps(found: Any, now: Any) -> dict[str, Any]:
        values: dict[str, Any] = {"status_reason": reason.strip(), "updated_at": now}
        if found.target == OfferStatus.APPROVED:
            values["approved_at"] = now
        return values

    move(
        offer,
        machine=OFFER_MACHINE,
        action=action,
        actor=actor,
        role=role,
        reason=reason,
        stamps=stamps,
    )
    return offer


# -- eligibility -------------------------------------------------------------------------------


def keep_verdicts(*, shop_id: int, verdicts: dict[str, list[dict[str, Any]]]) -> bool:
    """Keep the shop's verdicts (its one row); False when they were already these."""
    text, digest = eligibility.digest(verdicts)
    with transaction.atomic():
        updated = (
            ShopEligibility.objects.filter(shop_id=shop_id)
            .exclude(digest=digest)
            .update(verdicts_json=text, digest=digest, changed_at=timezone.now())
        )
        if updated:
            return True
        _row, created = ShopEligibility.objects.get_or_create(
            shop_id=shop_id, defaults={"verdicts_json": text, "digest": digest}
        )
        return created


def compute_eligibility(
    *, shop: Shop, offers: Iterable[Offer] | None = None
) -> list[eligibility.Verdict]:
    """Evaluate the published offers (or `offers`) for `shop` now and keep the verdicts."""
    chosen = list(offers if offers is not None else selectors.list_published_offers())
    profile = selectors.get_money_profile(shop_id=shop.pk)
    facts = eligibility.get_shop_facts(shop)
    verdicts = [
        eligibility.Verdict(
            offer_id=offer.pk,
            missing=[m.as_data() for m in eligibility.evaluate(offer, profile, facts)],
        )
        for offer in chosen
    ]
    keep_verdicts(shop_id=shop.pk, verdicts={str(v.offer_id): v.missing for v in verdicts})
    return verdicts
