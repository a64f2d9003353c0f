"""Revenue-based advances repaid from payouts (docs/banking.md, "Advances").

A partner bank funds an advance (principal P, flat fee F, share r): `fund_advance` records it
and opens the bank's claim of P + F on the shop in the ledger (`ledger.partners`). From then
on, each release of a parcel's money from escrow to the shop (`sub_order_completed`, heard in
the posting's transaction by `withhold_on_release`) has r of the released amount withheld —
moved from the shop's payable to the bank's payable and off the claim — until the claim is
repaid; the payout run pays the bank's payable to the bank's settlement account. The claim's
receivable may not go negative, so more than P + F is never withheld.

Also: `repay_early` (the artisan repays the rest, or part, from their available balance) and
`settle_with_bank` (the bank's officer records what was repaid to the bank directly, or written
off, e.g. after the shop closed). Refunds and returned payouts change nothing here: see the doc.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from souk.accounts.models import User
from souk.banking.errors import (
    AdvanceAlreadyRunning,
    AdvanceNotRepaying,
    BalanceTooShort,
    BankAccountMissing,
    InvalidAdvanceTerms,
    NotAnOfficer,
    NothingToRepay,
    NotYourAdvance,
)
from souk.banking.models import Advance, AdvanceStatus, BankOfficer, PartnerBank
from souk.core.audit import record as audit
from souk.core.money import Money
from souk.ledger import accounting, partners
from souk.ledger import selectors as ledger
from souk.ledger.events import EntryPosted
from souk.ledger.payouts.iban import rib_to_iban
from souk.shops.models import MemberRole, Shop

CURRENCY = accounting.CURRENCY
RELEASE_CODE = "sub_order_completed"
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def partner_key(bank: PartnerBank) -> str:
    """The bank as the ledger knows it: `bank:007`."""
    return f"bank:{bank.bank_code}"


def _minor(value: Money | int) -> int:
    if isinstance(value, Money):
        if value.currency != CURRENCY:
            raise InvalidAdvanceTerms()
        return value.amount
    return int(value)


def withheld_share(released: int, share_percent: Decimal) -> int:
    """r of a released amount, in centimes rounded half up."""
    return int((Decimal(released) * share_percent / 100).quantize(Decimal(1), ROUND_HALF_UP))


def fund_advance(
    *,
    application: object | None = None,
    shop: Shop,
    bank: PartnerBank,
    principal: Money | int,
    fee: Money | int,
    share: Decimal | int | str,
    by: User,
) -> Advance:
    """Record an advance `bank` funded to `shop` (amounts in MAD: Money or centimes; `share`
    in percent) and open its claim of principal + fee in the ledger; `by` is an officer of
    the bank. Raises NotAnOfficer, InvalidAdvanceTerms, BankAccountMissing,
    AdvanceAlreadyRunning (one advance at a time per shop); then nothing is written."""
    principal_amount, fee_amount = _minor(principal), _minor(fee)
    share_percent = Decimal(str(share))
    if principal_amount <= 0 or fee_amount < 0 or not 0 < share_percent <= 100:
        raise InvalidAdvanceTerms()
    if not BankOfficer.objects.filter(user=by, bank=bank).exists():
        raise NotAnOfficer()
    if not bank.settlement_rib:
        raise BankAccountMissing()
    try:
        with transaction.atomic():
            partners.set_payee(
                partner=partner_key(bank), name=bank.name, iban=rib_to_iban(bank.settlement_rib)
            )
            advance = Advance.objects.create(
                reference=f"ADV-{''.join(secrets.choice(_ALPHABET) for _ in range(8))}",
                bank=bank,
                shop=shop,
                application_id=getattr(application, "pk", None),
                principal_amount=principal_amount,
                fee_amount=fee_amount,
                share_percent=share_percent,
                funded_by=by,
            )
            partners.open_claim(
                claim=advance.reference,
                partner=partner_key(bank),
                shop_id=shop.pk,
                amount=Money(advance.total_amount, CURRENCY),
            )
            audit(actor=by, action="bank_advance.fund", target=advance)
    except IntegrityError as error:
        if Advance.objects.filter(shop=shop, status=AdvanceStatus.REPAYING).exists():
            raise AdvanceAlreadyRunning() from error
        raise
    return advance


def _close_if_repaid(advance: Advance, owed: int, status: AdvanceStatus) -> None:
    if owed <= 0:
        Advance.objects.filter(pk=advance.pk, status=AdvanceStatus.REPAYING).update(
            status=status, closed_at=timezone.now()
        )


def _released(event: EntryPosted) -> tuple[int, int, str] | None:
    """(shop id, amount released to it, parcel reference) of a completion, if any."""
    for leg in event.legs:
        if leg.debit_type == "escrow" and leg.credit_type == "artisan_payable":
            kind, _sep, shop_id = leg.credit_owner.partition(":")
            if kind == "shop" and shop_id.isdigit() and leg.currency == CURRENCY:
                return int(shop_id), leg.amount, leg.reference_id
    return None


def withhold_on_release(event: EntryPosted) -> None:
    """In the completion's transaction: withhold the advance's share of what was released."""
    if event.code != RELEASE_CODE:
        return
    released = _released(event)
    if released is None:
        return
    shop_id, amount, reference = released
    advance = (
        Advance.objects.filter(shop_id=shop_id, status=AdvanceStatus.REPAYING)
        .select_related("bank")
        .first()
    )
    if advance is None:
        return
    partner = partner_key(advance.bank)
    owed = partners.lock_claim(claim=advance.reference, partner=partner, shop_id=shop_id).amount
    withheld = min(withheld_share(amount, advance.share_percent), owed)
    if withheld > 0:
        partners.collect(
            key=f"partner-withheld:{advance.reference}:{event.key}",
            code="partner_repayment_withheld",
            claim=advance.reference,
            partner=partner,
            shop_id=shop_id,
            amount=Money(withheld, CURRENCY),
            reference=reference,
        )
    _close_if_repaid(advance, owed - withheld, AdvanceStatus.REPAID)


def _locked_repaying(advance: Advance) -> tuple[Advance, int]:
    advance = Advance.objects.select_related("bank").get(pk=advance.pk)
    owed = partners.lock_claim(
        claim=advance.reference, partner=partner_key(advance.bank), shop_id=advance.shop_id
    ).amount
    advance = Advance.objects.select_for_update().select_related("bank").get(pk=advance.pk)
    if advance.status != AdvanceStatus.REPAYING:
        raise AdvanceNotRepaying()
    return advance, owed


def get_shop_advance(*, user: User, reference: str) -> Advance:
    """An advance of a shop `user` manages; 404 for anyone else's."""
    found = (
        Advance.objects.select_related("bank", "shop")
        .filter(
            reference=reference,
            shop__members__user=user,
            shop__members__role=MemberRole.MANAGER,
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_bank_advance(*, bank: PartnerBank, reference: str) -> Advance:
    """An advance `bank` funded; 404 for another bank's."""
    found = (
        Advance.objects.select_related("bank", "shop")
        .filter(reference=reference, bank=bank)
        .first()
    )
    if found is None:
        raise Http404
    return found


def available_to_repay(*, advance: Advance) -> int:
    """What the advance's shop could repay now, in centimes (never below zero)."""
    return max(partners.get_available_to_repay(shop_id=advance.shop_id), 0)


@transaction.atomic
def repay_early(
    *, advance: Advance, by: User, amount: Money | int | None = None, exact: bool = False
) -> Money:
    """A manager of the shop repays the advance (all that is owed, or `amount`) now from the
    shop's available balance (payable less what it owes Souk). Returns what was repaid. With
    `exact`, a balance short of what is asked raises BalanceTooShort instead of repaying
    less."""
    if not advance.shop.members.filter(user=by, role=MemberRole.MANAGER).exists():
        raise NotYourAdvance()
    advance, owed = _locked_repaying(advance)
    shop_id = advance.shop_id
    wanted = owed if amount is None else min(_minor(amount), owed)
    available = partners.get_available_to_repay(shop_id=shop_id)
    if exact and wanted > available:
        raise BalanceTooShort()
    repaid = min(wanted, available)
    if repaid <= 0:
        raise NothingToRepay()
    claim = ledger.get_account(key=partners.receivable_key(advance.reference))
    partners.collect(
        key=f"partner-early:{advance.reference}:after:{claim.credits_posted}",
        code="partner_repayment_early",
        claim=advance.reference,
        partner=partner_key(advance.bank),
        shop_id=shop_id,
        amount=Money(repaid, CURRENCY),
        reference=advance.reference,
    )
    _close_if_repaid(advance, owed - repaid, AdvanceStatus.REPAID)
    audit(actor=by, action="bank_advance.repay_early", target=advance, data={"amount": repaid})
    return Money(repaid, CURRENCY)


@transaction.atomic
def settle_with_bank(
    *, advance: Advance, by: User, amount: Money | int | None = None, reason: str = ""
) -> Money:
    """The bank's officer records that `amount` (all that is owed when None) was repaid to the
    bank directly or written off: Souk withholds nothing more for it."""
    if not BankOfficer.objects.filter(user=by, bank_id=advance.bank_id).exists():
        raise NotAnOfficer()
    advance, owed = _locked_repaying(advance)
    settled = owed if amount is None else min(_minor(amount), owed)
    if settled <= 0:
        raise NothingToRepay()
    claim = ledger.get_account(key=partners.receivable_key(advance.reference))
    partners.settle_outside(
        key=f"partner-settled:{advance.reference}:after:{claim.credits_posted}",
        claim=advance.reference,
        partner=partner_key(advance.bank),
        amount=Money(settled, CURRENCY),
    )
    _close_if_repaid(advance, owed - settled, AdvanceStatus.SETTLED)
    audit(
        actor=by,
        action="bank_advance.settle",
        target=advance,
        reason=reason,
        data={"amount": settled},
    )
    return Money(settled, CURRENCY)


@dataclass(frozen=True, slots=True)
class AdvanceProgress:
    advance: Advance
    total: int
    withheld: int
    settled_outside: int
    remaining: int

    @property
    def percent_repaid(self) -> int:
        return 100 - self.remaining * 100 // self.total if self.total else 100


def list_progress(
    *, shop_id: int | None = None, bank_id: int | None = None
) -> list[AdvanceProgress]:
    """The advances of a shop (or a bank), newest first, with what was withheld and what
    remains, read from the ledger."""
    advances = Advance.objects.select_related("bank", "shop")
    if shop_id is not None:
        advances = advances.filter(shop_id=shop_id)
    if bank_id is not None:
        advances = advances.filter(bank_id=bank_id)
    rows = list(advances)
    claims = partners.get_claims([a.reference for a in rows])
    progress = []
    for advance in rows:
        state = claims.get(advance.reference)
        progress.append(
            AdvanceProgress(
                advance=advance,
                total=advance.total_amount,
                withheld=state.collected if state else 0,
                settled_outside=state.settled_outside if state else 0,
                remaining=state.owed if state else advance.total_amount,
            )
        )
    return progress
