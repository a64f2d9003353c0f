"""Pages of help on request and nudges (docs/support.md): the artisan asks and confirms; the
advisor answers their portfolio's requests (any other is a 404); the programme sees response
times by region; anyone holding a nudge's link stops nudges. Each view parses, authorises,
calls one service or selector, renders; refused moves are rendered by core's error page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.support import help, help_selectors, nudges, selectors
from souk.support.help_forms import CloseForm, HelpRequestForm, NoteForm, ProposeForm
from souk.support.help_models import HelpStatus, NudgeOptOutWay
from souk.support.models import Advisor

SELL_PERMISSION = "accounts.sell"
COACH_PERMISSION = "accounts.coach_artisans"
INSIGHTS_PERMISSION = "accounts.view_insights"


def _account(request: HttpRequest) -> User:
    # Every view here but the nudge's link is behind login_required.
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _require_advisor(request: HttpRequest) -> Advisor:
    user = _account(request)
    if not user.has_perm(COACH_PERMISSION):
        raise PermissionDenied
    advisor = selectors.get_advisor(user)
    if advisor is None:
        raise Http404
    return advisor


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The artisan asks for help and follows their requests (confirm, withdraw)."""
    user = _account(request)
    if not user.has_perm(SELL_PERMISSION):
        raise PermissionDenied
    form = HelpRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            help.ask_for_help(
                artisan=user,
                topic=form.cleaned_data["topic"],
                channel=form.cleaned_data["channel"],
                slots=form.cleaned_data["slots"],
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("Your request is sent. Your advisor will propose a time."))
            return redirect("support:help_mine")
        status = 400
    return render(
        request,
        "support/help_mine.html",
        {
            "form": form,
            "requests": help_selectors.list_my_requests(user),
            "advisor": selectors.get_current_advisor(user),
            "statuses": HelpStatus,
        },
        status=status,
    )


@login_required
@require_POST
def my_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """The artisan confirms the appointment proposed, or withdraws the request."""
    user = _account(request)
    found = help_selectors.get_my_request(artisan=user, request_id=request_id)
    action = request.POST.get("action")
    if action == "confirm":
        help.confirm_appointment(request_id=found.pk, artisan=user)
        messages.success(request, _("The appointment is confirmed."))
    elif action == "withdraw":
        help.withdraw_request(request_id=found.pk, artisan=user)
        messages.success(request, _("Your request is withdrawn."))
    else:
        raise Http404
    return redirect("support:help_mine")


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The advisor's queue: their portfolio's requests waiting, those closed lately, and the
    artisans nudged lately."""
    advisor = _require_advisor(request)
    waiting, closed = help_selectors.list_queue(advisor=advisor)
    return render(
        request,
        "support/help_queue.html",
        {
            "waiting": waiting,
            "closed": closed,
            "nudges": help_selectors.list_recent_nudges(advisor=advisor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def queue_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request of the advisor's portfolio: propose a time, keep a note, close it. Another
    advisor's request is a 404, whether or not it exists."""
    advisor = _require_advisor(request)
    found = help_selectors.get_queue_request(advisor=advisor, request_id=request_id)
    action = request.POST.get("action") if request.method == "POST" else None
    propose = ProposeForm(
        request.POST if action == "propose" else None,
        initial={"channel": found.appointment_channel or found.channel},
    )
    note = NoteForm(request.POST if action == "note" else None)
    close = CloseForm(request.POST if action == "close" else None)
    if action == "propose" and propose.is_valid():
        help.propose_appointment(
            request_id=found.pk,
            advisor=advisor,
            at=propose.cleaned_data["at"],
            channel=propose.cleaned_data["channel"],
        )
        messages.success(request, _("The appointment is proposed to the artisan by SMS."))
        return redirect("support:help_request", request_id=found.pk)
    if action == "note" and note.is_valid():
        help.add_note(request_id=found.pk, advisor=advisor, text=note.cleaned_data["text"])
        return redirect("support:help_request", request_id=found.pk)
    if action == "close" and close.is_valid():
        help.close_request(
            request_id=found.pk, advisor=advisor, outcome=close.cleaned_data["outcome"]
        )
        messages.success(request, _("The request is closed."))
        return redirect("support:help_queue")
    if action is not None and action not in {"propose", "note", "close"}:
        raise Http404
    return render(
        request,
        "support/help_request.html",
        {
            "help_request": found,
            "notes": help_selectors.list_notes(found),
            "propose": propose,
            "note": note,
            "close": close,
        },
        status=400 if action else 200,
    )


@login_required
@require_safe
def response_times(request: HttpRequest) -> HttpResponse:
    """The programme's response times to help requests, by region, over 90 days."""
    if not _account(request).has_perm(INSIGHTS_PERMISSION):
        raise PermissionDenied
    regions = {r.code: r.name for r in selectors.list_regions()}
    rows = help_selectors.list_response_times()
    return render(
        request,
        "support/help_times.html",
        {"rows": [(regions.get(row.region, row.region or "—"), row) for row in rows]},
    )


@login_required
@require_POST
def my_nudges(request: HttpRequest) -> HttpResponse:
    """The artisan's own switch for nudges, on their support page: "on" or "off"."""
    user = _account(request)
    if selectors.get_progress(user) is None:
        raise Http404
    wanted = request.POST.get("nudges", "")
    if wanted == "on":
        nudges.opt_in(artisan_id=user.pk)
        messages.success(request, _("You will get an SMS again when your shop has not moved."))
    elif wanted == "off":
        nudges.opt_out(artisan_id=user.pk, way=NudgeOptOutWay.PAGE)
        messages.success(
            request, _("Done: you will get no more reminders of your next step by SMS.")
        )
    else:
        messages.error(request, _("Choose whether you want these messages or not."))
    return redirect("support:mine")


@require_http_methods(["GET", "POST"])
def stop_nudges(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a nudge: a button that stops them (a GET changes nothing, so that a phone
    opening links ahead does not stop them for the artisan)."""
    preference = nudges.get_preference_by_token(token)
    if preference is None:
        raise Http404
    if request.method == "POST":
        nudges.opt_out(artisan_id=preference.artisan_id, way=NudgeOptOutWay.LINK)
        return redirect("support:nudge_stop", token=token)
    return render(request, "support/nudge_stop.html", {"preference": preference})
