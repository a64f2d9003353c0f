"""The earnings page of artisans and the payouts operations page of the back office.

Views parse, authorise, call one service or selector, render. A person who manages no shop
gets a 404 for the earnings pages; the operations page needs accounts.access_backoffice, and
starting a run or downloading a bank file accounts.manage_payouts (the finance role), else 403.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_stubs_ext import StrOrPromise

from souk.accounts.models import User
from souk.accounts.roles import MANAGE_PAYOUTS_PERMISSION
from souk.core import delegation
from souk.core.money import Money, format_money_for_language
from souk.ledger import partners, payouts
from souk.ledger.forms import StartRunForm
from souk.ledger.models import PayoutRun, Transfer
from souk.ledger.payouts import selectors
from souk.ledger.payouts import statement as statements
from souk.ledger.payouts.labels import movement_label, payout_status_label
from souk.ledger.payouts.notices import BACKOFFICE_PERMISSION
from souk.shops import selectors as shop_selectors
from souk.shops.models import PayoutMethod, Shop

# How the operations page names each kind of payout destination (shops.PayoutMethod).
DESTINATION_LABELS: dict[str, StrOrPromise] = {
    PayoutMethod.RIB: gettext_lazy("Bank transfer"),
    PayoutMethod.WALLET: gettext_lazy("Mobile wallet"),
}
MOVEMENTS_PER_PAGE = 25
RUNS_PER_PAGE = 20


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _language() -> str:
    return get_language() or "fr"


def _money(amount: Money | None) -> str:
    return "" if amount is None else format_money_for_language(amount, _language())


def _chosen_shop(request: HttpRequest) -> tuple[Shop, list[Shop]]:
    """The shop asked for (?shop=) among those the user manages, else their first; 404 if
    they manage none or ask for another's. Refused to an advisor acting for the artisan."""
    delegation.refuse_when_assisted(delegation.MONEY_REFUSED)
    shops = selectors.list_managed_shops(user=_account(request))
    if not shops:
        raise Http404
    wanted = request.GET.get("shop", "")
    if not wanted:
        return shops[0], shops
    for shop in shops:
        if str(shop.pk) == wanted:
            return shop, shops
    raise Http404


def _advance_figures(shop_id: int) -> list[tuple[str, str]]:
    """Bank advances being repaid from this shop's releases: withheld so far, still owed."""
    collected, owed = partners.get_shop_claims_owed(shop_id=shop_id)
    if not collected and not owed:
        return []
    return [
        (_("Withheld for bank advances"), _money(Money(collected, "MAD"))),
        (_("Still to repay on bank advances"), _money(Money(owed, "MAD"))),
    ]


@login_required
@require_safe
def earnings(request: HttpRequest) -> HttpResponse:
    shop, shops = _chosen_shop(request)
    summary = selectors.get_earnings_summary(shop_id=shop.pk)
    accounts = selectors.get_shop_accounts(shop_id=shop.pk)
    transfers = (
        selectors.list_movement_transfers(accounts=accounts)
        if accounts.ids
        else Transfer.objects.none()
    )
    page = Paginator(transfers, MOVEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for transfer in page.object_list:
        movement = selectors.to_movement(transfer, accounts)
        rows.append(
            {
                "at": movement.at,
                "label": movement_label(movement),
                "escrow": _money(movement.escrow_change),
                "available": _money(movement.available_change),
            }
        )
    missing = shop_selectors.list_missing_for_payout(shop)
    payout_rows = [
        {
            "reference": payout.reference,
            "created_at": payout.created_at,
            "amount": _money(payout.money),
            "status": payout_status_label(payout.status),
        }
        for payout in selectors.list_shop_payouts(shop_id=shop.pk)
    ]
    return render(
        request,
        "ledger/earnings.html",
        {
            "shop": shop,
            "shops": shops,
            "figures": [
                (_("In escrow"), _money(summary.pending_in_escrow)),
                (_("Available"), _money(summary.available)),
                (_("On its way to you"), _money(summary.in_transit)),
                (_("Paid out"), _money(summary.paid_out)),
                *_advance_figures(shop.pk),
            ],
            "page": page,
            "rows": rows,
            "payouts": payout_rows,
            "months": selectors.list_statement_months(shop_id=shop.pk, today=timezone.localdate()),
            "payouts_resume_at": shop.payouts_resume_at(),
            # What the payout runs wait for before paying this shop (runs._skip_reason).
            "missing_for_payout": missing,
            "held_amount": _money(summary.available) if summary.available.is_positive() else "",
        },
    )


@login_required
@require_safe
def statement(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The shop's statement of one month, as a PDF in the page's language."""
    shop, _shops = _chosen_shop(request)
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        raise Http404
    shop = Shop.objects.select_related("register_entry").get(pk=shop.pk)
    pdf = statements.monthly_statement(shop=shop, year=year, month=month, language=_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{year:04d}-{month:02d}.pdf"'
    return response


def _require_operator(request: HttpRequest) -> User:
    user = _account(request)
    if not user.has_perm(BACKOFFICE_PERMISSION):
        raise PermissionDenied
    return user


def _require_payout_manager(request: HttpRequest) -> User:
    # Starting a run moves money and the bank file lists every artisan's IBAN: finance only.
    user = _require_operator(request)
    if not user.has_perm(MANAGE_PAYOUTS_PERMISSION):
        raise PermissionDenied
    return user


@login_required
@require_safe
def operations(request: HttpRequest) -> HttpResponse:
    user = _require_operator(request)
    page = Paginator(selectors.list_payout_runs(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    destinations = selectors.list_run_payouts_by_method(
        run_ids=[run.pk for run in page.object_list]
    )
    runs = [
        {
            "run": run,
            "total": _money(Money(run.total_amount, "MAD")),
            "skips": list(run.skips.all()),
            "destinations": [
                {
                    "label": DESTINATION_LABELS.get(group.method, group.method),
                    "total": _money(group.total),
                    "payouts": [
                        {"payout": payout, "amount": _money(Money(payout.amount, "MAD"))}
                        for payout in group.payouts
                    ],
                }
                for group in destinations.get(run.pk, [])
            ],
            "file": (
                {"count": totals.transfer_count, "total": _money(totals.total)}
                if (totals := selectors.get_transfer_file_totals(run=run))
                else None
            ),
        }
        for run in page.object_list
    ]
    revenue = [
        {
            "month": datetime.date(row.month.year, row.month.month, 1),
            "commission": _money(row.commission),
            "refunded": _money(row.refunded_commission),
            "revenue": _money(row.revenue),
        }
        for row in selectors.list_monthly_revenue()
    ]
    return render(
        request,
        "ledger/operations.html",
        {
            "page": page,
            "runs": runs,
            "revenue": revenue,
            "form": StartRunForm(initial={"token": secrets.token_hex(16)}),
            "can_manage_payouts": user.has_perm(MANAGE_PAYOUTS_PERMISSION),
        },
    )


@login_required
@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    user = _require_payout_manager(request)
    form = StartRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form expired: press the button again."))
        return redirect("ledger:operations")
    run = payouts.start_payout_run(key=f"operator:{form.cleaned_data['token']}", actor=user)
    messages.success(request, _("Payout run %(reference)s done.") % {"reference": run.reference})
    return redirect("ledger:operations")


@login_required
@require_safe
def transfer_file(request: HttpRequest, run_id: int) -> FileResponse:
    _require_payout_manager(request)
    try:
        run = selectors.get_payout_run(run_id=run_id)
    except PayoutRun.DoesNotExist as error:
        raise Http404 from error
    if not run.transfer_file:
        raise Http404
    return FileResponse(
        run.transfer_file.open("rb"),
        as_attachment=True,
        filename=f"{run.reference}.xml",
        content_type="application/xml",
    )
