"""Payout runs: pay every shop what it is owed above the minimum, after recovering its debt.

A run, started by the weekly task or an operator, goes through four steps, each idempotent, so a
run resumed after a crash (the same key) finishes the work without paying anyone twice:

1. for each shop whose payable is positive, in one transaction holding the shop's row lock:
   recover its debt (payable → debt), then create a payout of the rest if it reaches
   SOUK_PAYOUT_MINIMUM (payable → payouts in transit), or record why it was skipped;
2. write the bank payouts into one pain.001 transfer file stored on the run: they are "sent";
3. hand each wallet payout still "created" (this run's, or an earlier one's that failed) to the
   wallet adapter: "sent" once it answers. The payout's reference is its idempotency key, and a
   payout whose sending was attempted is looked up at the provider before it is sent again;
4. mark the run finished. Starting a finished run's key again returns it unchanged.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from souk.accounts.models import User
from souk.core import batch, machine
from souk.core.money import Money
from souk.ledger import accounting, partners, selectors
from souk.ledger.errors import InsufficientBalance
from souk.ledger.models import (
    AccountType,
    LedgerAccount,
    Payout,
    PayoutRun,
    PayoutRunStatus,
    PayoutSkip,
    PayoutStatus,
    SkipReason,
)
from souk.ledger.payouts import locks, pain001, wallet
from souk.ledger.payouts.errors import WalletPayoutFailed
from souk.ledger.payouts.iban import rib_to_iban
from souk.ledger.payouts.statuses import PAYOUT_MACHINE, move_payout, payout_role
from souk.shops import selectors as shop_selectors
from souk.shops.models import PayoutMethod, Shop, ShopStatus

# Letters and digits nobody confuses when reading a reference over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _code(length: int) -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


def new_payout_reference(run_date: datetime.date) -> str:
    """PO-20261130-7K3M9Q: the run's date and a short code."""
    return f"PO-{run_date:%Y%m%d}-{_code(6)}"


def creditor_name(shop: Shop) -> str:
    """The name the bank sees for the shop's account: the register's French (Latin) name, the
    legal name of a cooperative or company or the first and last name of a person, folded to
    the banks' character set; "Shop <id>" when nothing Latin is left (docs/payouts.md)."""
    entry = shop.register_entry
    name = f"{entry.first_name_fr} {entry.last_name_fr}" if entry.is_person else entry.legal_name_fr
    return pain001.to_bank_text(name, max_length=pain001.MAX_NAME) or f"Shop {shop.pk}"


def _skip_reason(shop: Shop) -> SkipReason | None:
    if not shop.has_payout_destination:
        return SkipReason.NO_DESTINATION
    # The artisan listed before sending their papers (docs/artisan-path.md): the money waits in
    # the payable until each KYC document is accepted, and the next run pays it.
    if shop_selectors.list_missing_for_payout(shop):
        return SkipReason.DOCUMENTS_MISSING
    # A suspended shop is being looked into: its money waits until it is reinstated.
    if shop.status == ShopStatus.SUSPENDED:
        return SkipReason.SHOP_SUSPENDED
    # A destination that replaced another waits SOUK_PAYOUT_HOLD_DAYS: the managers were told,
    # and can stop a takeover before the money leaves (docs/payouts.md).
    if shop.payouts_resume_at() is not None:
        return SkipReason.DESTINATION_HELD
    return None


def _destination(shop: Shop) -> str:
    if shop.payout_method == PayoutMethod.RIB:
        return rib_to_iban(shop.payout_rib)
    return shop.payout_wallet_phone


def list_shops_with_payable() -> list[int]:
    """Ids of the shops Souk owes something (payable available above zero), ascending."""
    owner_ids = (
        LedgerAccount.objects.filter(
            type=AccountType.ARTISAN_PAYABLE, owner_type="shop", currency=accounting.CURRENCY
        )
        .alias(owed=F("credits_posted") - F("debits_posted") - F("debits_pending"))
        .filter(owed__gt=0)
        .values_list("owner_id", flat=True)
    )
    return sorted(int(owner_id) for owner_id in owner_ids)


def _debt_of(shop_id: int) -> tuple[Money, int]:
    """What the shop owes Souk, and the total it ever repaid (which keys the next recovery)."""
    account = LedgerAccount.objects.filter(key=accounting.debt_key(shop_id)).first()
    if account is None:
        return Money.zero(accounting.CURRENCY), 0
    return account.balance, account.credits_posted


def _pay_shop(*, run: PayoutRun, shop_id: int, minimum: Money) -> None:
    """Step 1 for one shop, all or nothing."""
    with transaction.atomic():
        shop = locks.shop_for_update(shop_id).first()
        if shop is None:
            return
        already = (
            Payout.objects.filter(run=run, shop=shop).exists()
            or PayoutSkip.objects.filter(run=run, shop=shop).exists()
        )
        if already:
            return
        payable = selectors.get_account(key=accounting.payable_key(shop_id)).available
        debt, repaid = _debt_of(shop_id)
        recovered = min(payable, debt)
        if recovered.is_positive():
            # Keyed by what was repaid before: a resumed run replays it, a later run does not.
            accounting.record_debt_recovered(
                key=f"debt-recovered:shop:{shop_id}:after:{repaid}",
                shop_id=shop_id,
                amount=recovered,
                reference=run.reference,
            )
        rest = payable - recovered
        if rest < minimum:
            return
        reason = _skip_reason(shop)
        if reason is not None:
            PayoutSkip.objects.create(run=run, shop=shop, reason=reason, amount=rest.amount)
            return
        shop = Shop.objects.select_related("register_entry").get(pk=shop_id)
        payout = Payout.objects.create(
            run=run,
            shop=shop,
            reference=new_payout_reference(run.run_date),
            amount=rest.amount,
            currency=rest.currency,
            method=shop.payout_method,
            destination=_destination(shop),
            creditor_name=creditor_name(shop),
        )
        machine.write_record(
            payout,
            machine=PAYOUT_MACHINE,
            action="create",
            from_status="",
            to_status=payout.status,
            actor=run.started_by,
            role=payout_role(run.started_by),
            reason=run.reference,
            at=payout.created_at,
        )
        accounting.record_payout_created(
            key=f"payout:{payout.reference}:created",
            shop_id=shop_id,
            amount=rest,
            reference=payout.reference,
        )


def _pay_partners(run: PayoutRun) -> None:
    """Step 1b: each partner owed what Souk collected for it (an advance's repayments) gets
    one payout of all of it, a credit transfer of its own in the run's bank file."""
    for payee, owed in partners.list_payees_owed():
        if not payee.iban:
            continue  # no account to pay yet: it waits in the partner payable
        try:
            with transaction.atomic():
                if Payout.objects.filter(run=run, payee=payee).exists():
                    continue
                payout = Payout.objects.create(
                    run=run,
                    payee=payee,
                    reference=new_payout_reference(run.run_date),
                    amount=owed.amount,
                    currency=owed.currency,
                    method=PayoutMethod.RIB,
                    destination=payee.iban,
                    creditor_name=pain001.to_bank_text(payee.name, max_length=pain001.MAX_NAME)
                    or payee.key,
                )
                machine.write_record(
                    payout,
                    machine=PAYOUT_MACHINE,
                    action="create",
                    from_status="",
                    to_status=payout.status,
                    actor=run.started_by,
                    role=payout_role(run.started_by),
                    reason=run.reference,
                    at=payout.created_at,
                )
                partners.record_partner_payout_created(payee=payee, payout=payout)
        except InsufficientBalance:
            continue  # another run paid it meanwhile: nothing is left to pay


def _debtor() -> pain001.Debtor:
    return pain001.Debtor(
        name=settings.SOUK_PAYOUT_DEBTOR_NAME,
        iban=settings.SOUK_PAYOUT_DEBTOR_IBAN,
        bic=settings.SOUK_PAYOUT_DEBTOR_BIC,
    )


def remittance_text(reference: str) -> str:
    return f"SOUK PAYOUT {reference}"


def _write_transfer_file(run: PayoutRun) -> None:
    """Step 2: the run's bank payouts in one pain.001 file; they are then sent."""
    with transaction.atomic():
        run = locks.run_for_update(run.pk).get()
        if run.transfer_file:
            return  # written before the run was interrupted: its payouts are sent
        payouts = list(
            run.payouts.filter(status=PayoutStatus.CREATED, method=PayoutMethod.RIB).order_by("pk")
        )
        if not payouts:
            return
        content = pain001.build_credit_transfer_initiation(
            message_id=run.reference,
            created_at=timezone.localtime(),
            execution_date=run.run_date,
            debtor=_debtor(),
            transfers=[
                pain001.CreditTransfer(
                    end_to_end_id=payout.reference,
                    amount=payout.money,
                    creditor_name=payout.creditor_name,
                    creditor_iban=payout.destination,
                    remittance=remittance_text(payout.reference),
                )
                for payout in payouts
            ],
        )
        run.transfer_file.save(f"{run.reference}.xml", ContentFile(content), save=False)
        run.save(update_fields=["transfer_file"])
        for payout in payouts:
            move_payout(payout, action="send", actor=None, reason=f"transfer file {run.reference}")


def _claim_send(payout_id: int) -> Payout | None:
    """Stamp the first sending attempt of a created wallet payout and commit it before the
    provider is called; None when it is not "created" any more (another run sent it)."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().filter(pk=payout_id).first()
        if payout is None or payout.status != PayoutStatus.CREATED:
            return None
        if payout.send_attempted_at is None:
            Payout.objects.filter(pk=payout.pk).update(send_attempted_at=timezone.now())
        return payout


def _mark_sent(payout: Payout, receipt: wallet.WalletPayoutReceipt) -> bool:
    with transaction.atomic():
        locked = locks.payout_for_update(payout.reference).get()
        if locked.status != PayoutStatus.CREATED:
            return False
        move_payout(
            locked,
            action="send",
            actor=None,
            reason=f"wallet {receipt.provider_reference}",
            also={"provider_reference": receipt.provider_reference[:64], "send_error": ""},
        )
        return True


def send_wallet_payouts() -> int:
    """Step 3: hand every created wallet payout to the wallet adapter; returns how many went.

    The adapter is called outside any transaction (it may be slow). Each payout's reference is
    its idempotency key, checked before each send: a payout whose sending was attempted before
    (the process died before recording the answer) is first looked up at the provider, and
    marked sent from its receipt if it took it; only a payout it never took is sent."""
    gateway = wallet.get_wallet_gateway()
    sent = 0
    waiting = Payout.objects.filter(status=PayoutStatus.CREATED, method=PayoutMethod.WALLET)
    for payout_id in waiting.order_by("pk").values_list("pk", flat=True):
        payout = _claim_send(payout_id)
        if payout is None:
            continue
        try:
            receipt = gateway.find(payout.reference) if payout.send_attempted_at else None
            if receipt is None:
                receipt = gateway.send(
                    wallet.WalletPayoutRequest(
                        reference=payout.reference,
                        phone=payout.destination,
                        amount=payout.money,
                        beneficiary_name=payout.creditor_name,
                    )
                )
        except WalletPayoutFailed as error:
            # Refused: the provider did not take it, so nothing needs looking up next time.
            Payout.objects.filter(pk=payout.pk).update(
                send_error=str(error.message)[:255], send_attempted_at=payout.send_attempted_at
            )
            continue
        if _mark_sent(payout, receipt):
            sent += 1
    return sent


def start_payout_run(
    *, key: str, actor: User | None = None, today: datetime.date | None = None
) -> PayoutRun:
    """Run the payouts under the idempotency `key` (weekly:2026-W48, operator:<token>).

    Creates one payout per shop whose payable, less its debt, reaches SOUK_PAYOUT_MINIMUM and
    that has a destination; lists the others that reached it as skipped. Returns the run; a
    finished run's key returns it unchanged, a running one's resumes it."""
    run_date = today or timezone.localdate()
    run, _created = PayoutRun.objects.get_or_create(
        key=key,
        defaults={
            "reference": f"PR-{run_date:%Y%m%d}-{_code(4)}",
            "run_date": run_date,
            "started_by": actor,
        },
    )
    if run.status == PayoutRunStatus.FINISHED:
        return run
    minimum = Money(settings.SOUK_PAYOUT_MINIMUM, accounting.CURRENCY)
    # A run resumed after its transfer file was written takes on no new payout: the file is
    # final, and a second one would leave the first file's payouts out of the run's record.
    shop_ids = [] if run.transfer_file else list_shops_with_payable()

    def pay(shop_id: int) -> bool:
        try:
            _pay_shop(run=run, shop_id=shop_id, minimum=minimum)
        except InsufficientBalance:
            # A refund moved the balance between our read and our posting: next run.
            PayoutSkip.objects.get_or_create(
                run=run,
                shop_id=shop_id,
                defaults={"reason": SkipReason.BALANCE_CHANGED, "amount": 0},
            )
        return True

    # A shop that fails otherwise is recorded and alerted; the others are paid all the same.
    batch.for_each("ledger.run_payouts", shop_ids, pay)
    if not run.transfer_file:
        _pay_partners(run)
    _write_transfer_file(run)
    send_wallet_payouts()
    PayoutRun.objects.filter(pk=run.pk, status=PayoutRunStatus.RUNNING).update(
        status=PayoutRunStatus.FINISHED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
