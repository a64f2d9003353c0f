"""Second-factor pages: the security overview, setting up an authenticator, the code asked
after the password, "confirm it's you", and the recovery codes (shown once)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.accounts.two_factor import selectors, services, session
from souk.accounts.two_factor.decorators import recent_authentication_required
from souk.accounts.two_factor.errors import SecondFactorError, TooManyAttempts
from souk.accounts.two_factor.forms import ReauthenticateForm, SetupForm, VerifyForm


def _account(request: HttpRequest) -> User:
    # Behind login_required the user is always an account; this satisfies the type checker.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _next_url(request: HttpRequest, default: str = "accounts:profile") -> str:
    """The page to go back to: `next` when it is on this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _refused(form: SetupForm | VerifyForm | ReauthenticateForm, refusal: SecondFactorError) -> int:
    form.add_error(None, str(refusal.message))
    return refusal.http_status


def _with_retry_after(response: HttpResponse, refusal: SecondFactorError | None) -> HttpResponse:
    if isinstance(refusal, TooManyAttempts) and isinstance(refusal.detail, int):
        response["Retry-After"] = str(refusal.detail)
    return response


def _qr_svg(payload: str) -> str:
    code = segno.make(payload, error="m", micro=False)
    return str(code.svg_inline(scale=4, border=4, omitsize=True, title=_("QR code for your app")))


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    return render(
        request,
        "accounts/two_factor/overview.html",
        {
            "is_enrolled": selectors.has_second_factor(user),
            "is_required": selectors.requires_second_factor(user),
            "codes_left": selectors.count_unused_recovery_codes(user),
            "is_recent": session.is_recently_authenticated(request.session, user_id=user.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR code and text), and turn the second factor on with its first code."""
    user = _account(request)
    if selectors.has_second_factor(user):
        return redirect("accounts:two_factor:overview")
    device = services.start_enrolment(user=user)
    form = SetupForm(request.POST or None)
    status = 200
    refusal: SecondFactorError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except SecondFactorError as error:
            refusal = error
            status = _refused(form, error)
        else:
            request.session.cycle_key()
            session.mark_verified(request.session, user_id=user.pk)
            request.session[session.NEW_CODES_KEY] = codes
            messages.success(request, _("Two-step verification is on."))
            then = urlencode({"next": _next_url(request, "accounts:two_factor:overview")})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor:recovery_codes')}?{then}")
    elif request.method == "POST":
        status = 400
    uri = services.provisioning_uri(device=device, user=user)
    secret = device.secret
    response = render(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(uri)),  # noqa: S308  # segno's own SVG of our URI
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "is_required": selectors.requires_second_factor(user),
            "next": _next_url(request, "accounts:two_factor:overview"),
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return _with_retry_after(response, refusal)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code asked after the password (or a recovery code)."""
    user = _account(request)
    if not selectors.has_second_factor(user):
        return redirect("accounts:two_factor:setup")
    if session.is_verified(request.session, user_id=user.pk):
        return HttpResponseRedirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    status = 200
    refusal: SecondFactorError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        except SecondFactorError as error:
            refusal = error
            status = _refused(form, error)
        else:
            request.session.cycle_key()
            session.mark_verified(request.session, user_id=user.pk)
            if verified.method == "recovery":
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left. Make new ones from your "
                        "account's security page.",
                        "You used a recovery code; %(count)d are left. Make new ones from your "
                        "account's security page.",
                        verified.recovery_codes_left,
                    )
                    % {"count": verified.recovery_codes_left},
                )
            return HttpResponseRedirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    response = render(
        request,
        "accounts/two_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )
    return _with_retry_after(response, refusal)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """ "Confirm it's you": the password, and a code when the account has a second factor."""
    user = _account(request)
    with_code = selectors.has_second_factor(user)
    form = ReauthenticateForm(request.POST or None, with_code=with_code)
    status = 200
    refusal: SecondFactorError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.reauthenticate(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
            )
        except SecondFactorError as error:
            refusal = error
            status = _refused(form, error)
        else:
            session.mark_reauthenticated(request.session, user_id=user.pk)
            if with_code:
                session.mark_verified(request.session, user_id=user.pk)
            return HttpResponseRedirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    response = render(
        request,
        "accounts/two_factor/confirm.html",
        {
            "form": form,
            "next": _next_url(request),
            "minutes": settings.SOUK_REAUTH_MINUTES,
        },
        status=status,
    )
    return _with_retry_after(response, refusal)


@login_required
@require_safe
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, once: reloading the page does not show them again."""
    codes = request.session.pop(session.NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor:overview")
    response = render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {"codes": codes, "next": _next_url(request, "accounts:two_factor:overview")},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@recent_authentication_required
@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    request.session[session.NEW_CODES_KEY] = services.regenerate_recovery_codes(user=user)
    return redirect("accounts:two_factor:recovery_codes")


@login_required
@recent_authentication_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    services.disable_second_factor(user=user)
    request.session.pop(session.VERIFIED_KEY, None)
    messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:two_factor:overview")
