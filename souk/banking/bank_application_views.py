"""The bank's side of applications: its queue, one application (the shared snapshot while the
consent holds, each reading recorded), its moves and messages, the portfolio and its CSV.

Every page needs an officer of an active bank, and an application of that bank: anything
else is a 404, so that another bank's applications cannot even be counted.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.banking import advances, applications, consent, errors, portfolio, selectors
from souk.banking.application_forms import MessageForm, MoveForm
from souk.banking.application_models import ApplicationStatus
from souk.banking.application_views import _timeline
from souk.banking.forms import SettleForm
from souk.banking.models import AdvanceStatus
from souk.banking.views import _account, _money, _percent, offer_terms


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    bank = selectors.get_officer_bank(user=_account(request))
    state = request.GET.get("state", "")
    return render(
        request,
        "banking/bank_applications.html",
        {
            "bank": bank,
            "applications": portfolio.list_bank_applications(bank=bank, status=state),
            "states": ApplicationStatus.choices,
            "state": state,
        },
    )


@login_required
@require_safe
def detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """One application: while the consent holds, the shared lines of the snapshot (each
    reading recorded for the artisan); else only that it was withdrawn or has ended."""
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    found = portfolio.get_bank_application(bank=bank, application_id=application_id)
    sections = consent.shared_sections(found)
    if sections:
        applications.record_views(
            application=found, viewer=user, lines=[section.line for section in sections]
        )
    moves = [
        (t.action, t.label, t.reason_required)
        for t in applications.APPLICATION_MACHINE.allowed(found.status)
        if t.action in applications.OFFICER_ACTIONS
        and (t.action != "fund" or found.offer.kind in applications.FUNDED_KINDS)
    ]
    return render(
        request,
        "banking/bank_application.html",
        {
            "bank": bank,
            "application": found,
            "consent_state": found.consent_state,
            "sections": sections,
            "terms": offer_terms(found.offer),
            "amount_requested": _money(found.amount_requested),
            "amount_funded": _money(found.amount_funded),
            "timeline": _timeline(found),
            "messages_list": found.messages.order_by("sent_at", "id")
            if found.consent_is_active()
            else [],
            "moves": moves,
            "move_form": MoveForm(),
            "message_form": MessageForm(),
            "can_write": found.consent_is_active()
            and found.status not in {ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED},
        },
    )


@login_required
@require_POST
def move(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    found = portfolio.get_bank_application(bank=bank, application_id=application_id)
    if action not in applications.OFFICER_ACTIONS:
        raise Http404
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the amounts."))
        return redirect("banking:bank_application", application_id=found.pk)
    applications.move_application(
        application=found,
        action=action,
        actor=user,
        reason=form.cleaned_data["reason"],
        funding=form.funding() if action == "fund" else None,
    )
    messages.success(request, _("Done: the artisan is told."))
    return redirect("banking:bank_application", application_id=found.pk)


@login_required
@require_POST
def write(request: HttpRequest, application_id: int) -> HttpResponse:
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    found = portfolio.get_bank_application(bank=bank, application_id=application_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        applications.send_message(application=found, author=user, body=form.cleaned_data["body"])
        messages.success(request, _("Your message is sent."))
    else:
        messages.error(request, _("Write your message."))
    return redirect(reverse("banking:bank_application", args=[found.pk]) + "#messages")


@login_required
@require_safe
def portfolio_page(request: HttpRequest) -> HttpResponse:
    bank = selectors.get_officer_bank(user=_account(request))
    summary = portfolio.get_portfolio(bank=bank)
    return render(
        request,
        "banking/bank_portfolio.html",
        {
            "bank": bank,
            "portfolio": summary,
            "approval_rate": _percent(summary.approval_rate_percent),
            "funded_amount": _money(summary.funded_amount),
            "advances": [
                {
                    "reference": row.advance.reference,
                    "shop": row.advance.shop.display_name,
                    "total": _money(row.total),
                    "withheld": _money(row.withheld),
                    "settled_outside": _money(row.settled_outside),
                    "remaining": _money(row.remaining),
                    "percent": row.percent_repaid,
                    "status": row.advance.get_status_display(),
                    "is_repaying": row.advance.status == AdvanceStatus.REPAYING,
                }
                for row in summary.advance_repayments
            ],
        },
    )


@login_required
@require_safe
def portfolio_csv(request: HttpRequest) -> HttpResponse:
    bank = selectors.get_officer_bank(user=_account(request))
    response = HttpResponse(portfolio.portfolio_csv(bank=bank), content_type="text/csv")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="applications-{bank.bank_code}-{day}.csv"'
    )
    return response


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
