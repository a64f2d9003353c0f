"""The artisan's side of applications: apply to an offer by consenting line by line, follow
the application (its moves, the bank's readings of what was shared, the messages), withdraw.

Only a manager of the application's shop reaches it; anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.banking import applications, consent, eligibility, portfolio, selectors, services
from souk.banking.application_forms import ConsentForm, MessageForm
from souk.banking.application_models import DEFAULT_CONSENT_DAYS, Application, ShareLine
from souk.banking.views import _account, _chosen_shop, offer_terms
from souk.core.machine import history


def _timeline(application: Application) -> list[dict[str, Any]]:
    """The recorded moves, newest first, with the label of the status reached."""
    labels = dict(application._meta.get_field("status").choices or [])
    return [
        {
            "at": record.at,
            "status": labels.get(record.to_status, record.to_status),
            "by_bank": record.role == "bank_officer",
            "reason": record.reason,
        }
        for record in reversed(history(application, machine=applications.APPLICATION_MACHINE))
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The consent screen: what is shared, with which bank, for how long, the law's terms."""
    shop, shops = _chosen_shop(request)
    offer = selectors.list_published_offers().filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    [verdict] = services.compute_eligibility(shop=shop, offers=[offer])
    needs_amount = offer.kind in applications.FUNDED_KINDS
    form = ConsentForm(
        request.POST or None,
        available=consent.available_lines(shop),
        needs_amount=needs_amount,
        initial={"days": DEFAULT_CONSENT_DAYS, "lines": [ShareLine.FIGURES]},
    )
    if request.method == "POST" and verdict.is_eligible and form.is_valid():
        application = applications.apply(
            shop=shop,
            user=_account(request),
            offer=offer,
            lines=form.cleaned_data["lines"],
            days=form.cleaned_data["days"],
            amount=form.amount_minor(),
        )
        messages.success(request, _("Your application is sent to the bank."))
        return redirect("banking:application", application_id=application.pk)
    missing = [
        eligibility.describe(eligibility.Missing.from_data(item)) for item in verdict.missing
    ]
    return render(
        request,
        "banking/apply.html",
        {
            "shop": shop,
            "shops": shops,
            "offer": offer,
            "terms": offer_terms(offer),
            "form": form,
            "missing": missing,
            "is_eligible": verdict.is_eligible,
            "needs_amount": needs_amount,
        },
    )


@login_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    found = portfolio.list_artisan_applications(user=_account(request))
    return render(request, "banking/my_applications.html", {"applications": found})


@login_required
@require_safe
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    user = _account(request)
    found = portfolio.get_artisan_application(user=user, application_id=application_id)
    shared = consent.line_labels(found.shared_lines)
    readings = [
        {"bank": found.bank.name, "line": consent.read_name(view.line), "at": view.viewed_at}
        for view in portfolio.list_views(application=found)
    ]
    return render(
        request,
        "banking/application.html",
        {
            "application": found,
            "shared": shared,
            "readings": readings,
            "timeline": _timeline(found),
            "messages_list": found.messages.select_related("author").order_by("sent_at", "id"),
            "message_form": MessageForm(),
            "can_write": found.status not in {"withdrawn", "declined"},
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    """Withdraw the consent (and the application while it is open): the bank sees nothing
    more from now on."""
    user = _account(request)
    found = portfolio.get_artisan_application(user=user, application_id=application_id)
    applications.withdraw_consent(application=found, user=user)
    messages.success(request, _("Your consent is withdrawn: the bank no longer sees your data."))
    return redirect("banking:application", application_id=found.pk)


@login_required
@require_POST
def write(request: HttpRequest, application_id: int) -> HttpResponse:
    user = _account(request)
    found = portfolio.get_artisan_application(user=user, application_id=application_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        applications.send_message(application=found, author=user, body=form.cleaned_data["body"])
        messages.success(request, _("Your message is sent."))
    else:
        messages.error(request, _("Write your message."))
    return redirect(reverse("banking:application", args=[found.pk]) + "#messages")
