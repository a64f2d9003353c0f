"""Assisted mode's pages (docs/support.md): the advisor asks (in the app or by an SMS code),
starts and stops acting for an artisan; the artisan allows, refuses or ends it on /support/.
Each parses, authorises, calls one use case (assistance.py) and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from souk.accounts.models import User
from souk.support import assistance, selectors
from souk.support.assist_forms import AskForm, CodeForm
from souk.support.errors import NotFollowed, SupportError
from souk.support.middleware import SESSION_KEY
from souk.support.models import Advisor

COACH_PERMISSION = "accounts.coach_artisans"


def require_advisor(request: HttpRequest) -> Advisor:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(COACH_PERMISSION):
        raise PermissionDenied
    advisor = selectors.get_advisor(user)
    if advisor is None:
        raise Http404
    return advisor


@login_required
@require_POST
def advisor_assist(request: HttpRequest, artisan_id: int, action: str) -> HttpResponse:
    """The advisor's buttons on an artisan of their portfolio: ask in the app, text a code,
    type the code read back, start acting, give the permission back."""
    advisor = require_advisor(request)
    back = redirect("support:portfolio_artisan", artisan_id=artisan_id)
    try:
        selectors.get_portfolio_artisan(advisor=advisor, artisan_id=artisan_id)
        if action in ("ask", "sms"):
            form = AskForm(request.POST)
            days = form.cleaned_data["days"] if form.is_valid() else 7
            if action == "ask":
                assistance.ask_in_app(advisor=advisor, artisan_id=artisan_id, days=days)
                messages.success(request, _("Asked. The artisan answers on their support page."))
            else:
                assistance.send_code(advisor=advisor, artisan_id=artisan_id, days=days)
                messages.success(
                    request, _("A code was texted to the artisan. Ask them to read it to you.")
                )
        elif action == "confirm":
            code_form = CodeForm(request.POST)
            code = code_form.cleaned_data["code"] if code_form.is_valid() else ""
            assistance.confirm_code(advisor=advisor, artisan_id=artisan_id, code=code)
            messages.success(request, _("The artisan allowed you to act for them."))
        elif action == "start":
            permission = assistance.in_force(advisor_user=advisor.user, artisan_id=artisan_id)
            request.session[SESSION_KEY] = artisan_id
            assistance.record_session(assistance=permission, started=True)
            progress = selectors.get_portfolio_artisan(advisor=advisor, artisan_id=artisan_id)
            if progress.shop_id:
                return redirect("shops:dashboard", shop_id=progress.shop_id)
            return redirect("shops:mine")
        elif action == "end":
            assistance.end_by_advisor(advisor=advisor, artisan_id=artisan_id)
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("You no longer act for this artisan."))
        else:
            raise Http404
    except NotFollowed as error:
        raise Http404 from error
    except SupportError as refusal:
        if action == "start":
            raise  # a 403 page that says why (DomainErrorMiddleware)
        messages.error(request, str(refusal.message))
    return back


@require_POST
def stop_acting(request: HttpRequest) -> HttpResponse:
    """The banner's button: the advisor is themselves again (the permission stays)."""
    permission = getattr(request, "acting_assistance", None)
    request.session.pop(SESSION_KEY, None)
    if permission is None:
        return redirect("support:portfolio")
    assistance.record_session(assistance=permission, started=False)
    messages.success(request, _("You stopped acting for the artisan."))
    return redirect("support:portfolio_artisan", artisan_id=permission.artisan_id)


@login_required
@require_POST
def artisan_answer(request: HttpRequest, assistance_id: int, action: str) -> HttpResponse:
    """The artisan allows or refuses a request, or ends a permission, on /support/."""
    user = request.user
    if not isinstance(user, User) or getattr(request, "acting_advisor", None) is not None:
        raise PermissionDenied
    if action == "allow":
        assistance.allow(artisan=user, assistance_id=assistance_id)
        messages.success(request, _("Your advisor may now prepare your shop for you."))
    elif action == "refuse":
        assistance.refuse(artisan=user, assistance_id=assistance_id)
        messages.success(request, _("You refused. Your advisor cannot act for you."))
    elif action == "withdraw":
        assistance.withdraw(artisan=user, assistance_id=assistance_id)
        messages.success(request, _("It is ended: your advisor can no longer act for you."))
    else:
        raise Http404
    return redirect("support:mine")
