"""Applications to banks' offers, through their state machine; consent, its withdrawal, the
officers' readings and the messages of an application (docs/banking.md "Consent and
applications"). Each use case is one transaction (STYLE.md §2).

    submitted → under_review ⇄ info_requested → approved → funded (credit and advances)
              ↘ declined (the bank, with a reason)   ↘ withdrawn (the artisan, any time open)

Every move is recorded by core.machine in the audit log (`bank_application.<action>`) with
who, in which role, and why. Withdrawing an open application withdraws the consent with it:
the snapshot is erased at once and the officer reads only that it was withdrawn.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.banking import advances, consent, errors, services
from souk.banking import application_notices as notices
from souk.banking.application_models import (
    MAX_CONSENT_DAYS,
    OPEN_STATUSES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
    DataView,
    MessageSide,
)
from souk.banking.models import BankOfficer, Offer, OfferKind
from souk.banking.selectors import list_published_offers
from souk.core.audit import record as audit
from souk.core.machine import Actor, Machine, move, transition, write_record
from souk.shops.models import MemberRole, Shop, ShopMember

S = ApplicationStatus
# Kinds whose approval is followed by money paid out: only these are "funded".
FUNDED_KINDS = frozenset({OfferKind.MICRO_CREDIT, OfferKind.ADVANCE})


def _is_manager(user: Any, shop_id: int) -> bool:
    return ShopMember.objects.filter(user=user, shop_id=shop_id, role=MemberRole.MANAGER).exists()


def _may_act(application: Application, actor: Any, role: Actor) -> bool:
    if role is Actor.BANK_OFFICER:
        return BankOfficer.objects.filter(
            user=actor, bank_id=application.bank_id, bank__is_active=True
        ).exists()
    if role is Actor.ARTISAN:
        return _is_manager(actor, application.shop_id)
    return False


APPLICATION_MACHINE = Machine(
    name="bank_application",
    transitions=(
        transition("review", {S.SUBMITTED}, S.UNDER_REVIEW, {Actor.BANK_OFFICER}, _("Review")),
        transition(
            "request_info",
            {S.UNDER_REVIEW},
            S.INFO_REQUESTED,
            {Actor.BANK_OFFICER},
            _("Ask for information"),
            reason_required=True,
        ),
        transition(
            "answer", {S.INFO_REQUESTED}, S.UNDER_REVIEW, {Actor.ARTISAN}, _("Send the answer")
        ),
        transition(
            "approve",
            {S.UNDER_REVIEW, S.INFO_REQUESTED},
            S.APPROVED,
            {Actor.BANK_OFFICER},
            _("Approve"),
        ),
        transition(
            "decline",
            {S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED},
            S.DECLINED,
            {Actor.BANK_OFFICER},
            _("Decline"),
            reason_required=True,
        ),
        transition("withdraw", OPEN_STATUSES, S.WITHDRAWN, {Actor.ARTISAN}, _("Withdraw")),
        transition("fund", {S.APPROVED}, S.FUNDED, {Actor.BANK_OFFICER}, _("Mark as funded")),
    ),
    illegal=errors.IllegalApplicationTransition,
    not_allowed=errors.ApplicationMoveNotAllowed,
    reason_missing=errors.ApplicationReasonRequired,
    may_act=_may_act,
)

ARTISAN_ACTIONS = frozenset({"answer", "withdraw"})
OFFICER_ACTIONS = frozenset({"review", "request_info", "approve", "decline", "fund"})


def _amount_for(offer: Offer, amount: int | None) -> int | None:
    if offer.kind not in FUNDED_KINDS:
        return None
    if amount is None or amount <= 0 or (offer.max_amount and amount > offer.max_amount):
        raise errors.AmountOutOfRange()
    return amount


@transaction.atomic
def apply(
    *,
    shop: Shop,
    user: User,
    offer: Offer,
    lines: Iterable[str],
    days: int,
    amount: int | None = None,
) -> Application:
    """`user`, a manager of `shop`, applies to a published offer the shop qualifies for now,
    sharing `lines` with its bank for `days` days; what they say is frozen now."""
    chosen = sorted(set(lines))
    if not _is_manager(user, shop.pk):
        raise errors.ApplicationMoveNotAllowed()
    if not list_published_offers().filter(pk=offer.pk).exists():
        raise errors.OfferNotOpenToYou()
    [verdict] = services.compute_eligibility(shop=shop, offers=[offer])
    if not verdict.is_eligible:
        raise errors.OfferNotOpenToYou()
    if not chosen:
        raise errors.NothingShared()
    if not set(chosen) <= set(consent.available_lines(shop)):
        raise errors.LineNotAvailable()
    if not 1 <= days <= MAX_CONSENT_DAYS:
        raise errors.ConsentDurationOutOfRange()
    requested = _amount_for(offer, amount)
    Shop.objects.select_for_update().get(pk=shop.pk)
    if Application.objects.filter(shop=shop, offer=offer, status__in=OPEN_STATUSES).exists():
        raise errors.AlreadyApplied()
    snapshot, issued = consent.take_snapshot(shop=shop, user=user, lines=chosen)
    now = timezone.now()
    application = Application.objects.create(
        offer=offer,
        bank_id=offer.bank_id,
        shop=shop,
        applicant=user,
        amount_requested=requested,
        shared_lines=chosen,
        consent_given_at=now,
        consent_expires_at=now + datetime.timedelta(days=days),
        snapshot_text=json.dumps(snapshot),
        attestation=issued,
        created_at=now,
        updated_at=now,
    )
    write_record(
        application,
        machine=APPLICATION_MACHINE,
        action="submit",
        from_status="",
        to_status=S.SUBMITTED,
        actor=user,
        role=Actor.ARTISAN,
        extra={"lines": chosen, "days": days},
    )
    notices.tell_bank(application=application, event="submitted")
    return application


def _fund_advance(application: Application, funding: dict[str, Any], by: User) -> None:
    advances.fund_advance(
        application=application,
        shop=application.shop,
        bank=application.bank,
        principal=funding["principal"],
        fee=funding["fee"],
        share=funding["share"],
        by=by,
    )


def _check_funding(application: Application, funding: dict[str, Any] | None) -> dict[str, Any]:
    offer = application.offer
    if offer.kind not in FUNDED_KINDS:
        raise errors.FundingNotForThisOffer()
    values = dict(funding or {})
    principal = values.get("principal") or application.amount_requested
    if principal is None or principal <= 0 or (offer.max_amount and principal > offer.max_amount):
        raise errors.AmountOutOfRange()
    values["principal"] = principal
    if offer.kind == OfferKind.ADVANCE:
        values.setdefault("fee", offer.flat_fee_amount or 0)
        values.setdefault("share", offer.withheld_percent or Decimal("0"))
    return values


@transaction.atomic
def move_application(
    *,
    application: Application,
    action: str,
    actor: User,
    reason: str = "",
    funding: dict[str, Any] | None = None,
) -> Application:
    """One move of the machine. `funding` (principal, and for an advance fee and share) goes
    with "fund": an advance is funded by `advances.fund_advance`, called while the
    application is still approved and in the same transaction."""
    application = (
        Application.objects.select_for_update()
        .select_related("offer", "bank")
        .get(pk=application.pk)
    )
    role = Actor.ARTISAN if action in ARTISAN_ACTIONS else Actor.BANK_OFFICER
    APPLICATION_MACHINE.check(application, action=action, actor=actor, role=role, reason=reason)
    if action in {"approve", "fund"} and not application.consent_is_active():
        raise errors.ConsentNotActive()
    values: dict[str, Any] = {}
    if action == "fund":
        values = _check_funding(application, funding)
        if application.offer.kind == OfferKind.ADVANCE:
            _fund_advance(application, values, actor)

    def stamps(found: Any, now: Any) -> dict[str, Any]:
        stamped: dict[str, Any] = {"status_reason": reason.strip(), "updated_at": now}
        if found.target in {S.APPROVED, S.DECLINED}:
            stamped["decided_at"] = now
        if found.target == S.FUNDED:
            stamped.update(funded_at=now, amount_funded=values["principal"])
        if found.target == S.WITHDRAWN:
            stamped.update(consent_withdrawn_at=now, snapshot_text="")
        return stamped

    record = {"principal": values["principal"]} if values else None
    move(
        application,
        machine=APPLICATION_MACHINE,
        action=action,
        actor=actor,
        role=role,
        reason=reason,
        stamps=stamps,
        record=record,
    )
    if role is Actor.BANK_OFFICER:
        notices.tell_artisan(application=application, event="moved", reason=reason.strip())
    elif action == "withdraw":
        notices.tell_bank(application=application, event="withdrawn")
    return application


@transaction.atomic
def withdraw_consent(*, application: Application, user: User) -> Application:
    """The artisan takes back what they shared: an open application is withdrawn with it;
    a closed one (funded, declined) keeps its status and loses the snapshot."""
    if application.is_open:
        return move_application(application=application, action="withdraw", actor=user)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not _is_manager(user, application.shop_id):
        raise errors.ApplicationMoveNotAllowed()
    if application.consent_withdrawn_at is None:
        application.consent_withdrawn_at = timezone.now()
        application.snapshot_text = ""
        application.save(update_fields=["consent_withdrawn_at", "snapshot_text"])
        audit(actor=user, action="bank_application.withdraw_consent", target=application)
    return application


def erase_expired_snapshots(*, now: datetime.datetime | None = None) -> int:
    """Erase what was shared once the consent has ended (it is hidden from that moment
    already; law 09-08 keeps data no longer than its purpose needs). Returns how many."""
    moment = now or timezone.now()
    with transaction.atomic():
        return (
            Application.objects.filter(consent_expires_at__lte=moment)
            .exclude(snapshot_text="")
            .update(snapshot_text="")
        )


@transaction.atomic
def record_views(*, application: Application, viewer: User, lines: Iterable[str]) -> None:
    """An officer read these shared lines now: the artisan sees each reading."""
    now = timezone.now()
    DataView.objects.bulk_create(
        [
            DataView(application=application, line=line, viewer=viewer, viewed_at=now)
            for line in lines
        ]
    )


@transaction.atomic
def send_message(*, application: Application, author: User, body: str) -> ApplicationMessage:
    """A message on the application from its artisan or one of its bank's officers; the other
    side is told. The artisan's answer to a request for information puts it back in review."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    text = body.strip()
    if not text:
        raise errors.EmptyMessage()
    if application.status in {S.WITHDRAWN, S.DECLINED}:
        raise errors.ApplicationClosed()
    if _may_act(application, author, Actor.ARTISAN):
        side = MessageSide.ARTISAN
    elif _may_act(application, author, Actor.BANK_OFFICER):
        side = MessageSide.BANK
    else:
        raise errors.ApplicationMoveNotAllowed()
    message = ApplicationMessage.objects.create(
        application=application, author=author, side=side, body=text
    )
    if side == MessageSide.BANK:
        notices.tell_artisan(application=application, event="message")
        return message
    notices.tell_bank(application=application, event="message")
    if application.status == S.INFO_REQUESTED:
        move(
            application,
            machine=APPLICATION_MACHINE,
            action="answer",
            actor=author,
            role=Actor.ARTISAN,
            stamps=lambda found, now: {"updated_at": now},
        )
    return message
