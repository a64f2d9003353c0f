"""Pages of the advances' services: the artisan repays early from the available balance, the
bank's officer records what was settled with it outside Souk (repaid directly, written off).

An advance is looked up among the artisan's shops or the officer's bank only: anyone else's is
a 404, its existence untold.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from souk.banking import advances, errors, selectors
from souk.banking.forms import RepayForm, SettleForm
from souk.banking.models import AdvanceStatus
from souk.banking.views import _account, _money
from souk.core import delegation


@login_required
@require_http_methods(["GET", "POST"])
def repay(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirm, then repay early: at most what is owed, from the available balance."""
    delegation.refuse_when_assisted(delegation.BANK_REFUSED)
    user = _account(request)
    advance = advances.get_shop_advance(user=user, reference=reference)
    [progress] = [
        p for p in advances.list_progress(shop_id=advance.shop_id) if p.advance == advance
    ]
    available = advances.available_to_repay(advance=advance)
    suggested = min(progress.remaining, available)
    form = RepayForm(request.POST or None, initial={"amount": f"{suggested / 100:.2f}"})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            repaid = advances.repay_early(
                advance=advance, by=user, amount=form.amount_minor(), exact=True
            )
        except (errors.BalanceTooShort, errors.NothingToRepay, errors.AdvanceNotRepaying) as e:
            error = str(e.message)
        else:
            messages.success(
                request,
                _("%(amount)s repaid to %(bank)s; the bank is paid in the next payout run.")
                % {"amount": _money(repaid.amount), "bank": advance.bank.name},
            )
            return redirect(reverse("banking:money") + f"?shop={advance.shop_id}#advances")
    return render(
        request,
        "banking/repay_advance.html",
        {
            "advance": advance,
            "is_repaying": advance.status == AdvanceStatus.REPAYING,
            "remaining": _money(progress.remaining),
            "available": _money(available),
            "form": form,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settle(request: HttpRequest, reference: str) -> HttpResponse:
    """The officer records that the artisan repaid the bank directly, or writes it off."""
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    advance = advances.get_bank_advance(bank=bank, reference=reference)
    [progress] = [p for p in advances.list_progress(bank_id=bank.pk) if p.advance == advance]
    form = SettleForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            settled = advances.settle_with_bank(
                advance=advance, by=user, amount=form.amount_minor(), reason=form.reason()
            )
        except (errors.NothingToRepay, errors.AdvanceNotRepaying) as e:
            error = str(e.message)
        else:
            messages.success(
                request,
                _("%(amount)s recorded as settled: Souk withholds nothing more for it.")
                % {"amount": _money(settled.amount)},
            )
            return redirect("banking:bank_portfolio")
    return render(
        request,
        "banking/settle_advance.html",
        {
            "bank": bank,
            "advance": advance,
            "is_repaying": advance.status == AdvanceStatus.REPAYING,
            "remaining": _money(progress.remaining),
            "form": form,
            "error": error,
        },
    )
