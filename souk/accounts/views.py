"""Account pages: sign up, log in and out, password reset and change, profile, signed-in
sessions, display currency."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts import services, sessions, throttle
from souk.accounts.errors import LoginThrottled
from souk.accounts.forms import CurrencyForm, LoginForm, ProfileForm, SignUpForm
from souk.accounts.models import User, UserSession
from souk.accounts.roles import Role
from souk.core.client_ip import client_ip
from souk.core.middleware import SESSION_CURRENCY_KEY


def local_next(request: HttpRequest) -> str:
    """The `next` page asked for (query or form), only when it is a path on this site: an
    address elsewhere (`https://evil.example`, `//evil.example`, `/\\evil.example`) is ""."""
    candidate = str(request.POST.get("next") or request.GET.get("next") or "")
    is_path = candidate.startswith("/") and not candidate.startswith(("//", "/\\"))
    if is_path and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts=set(), require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = local_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.register_user(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            password=data["password1"],
            role=Role.BUYER,
            preferred_language=get_language() or "fr",
            preferred_currency=getattr(request, "currency", None),
        )
        login(request, user, backend="souk.accounts.backends.EmailOrPhoneBackend")
        messages.success(request, _("Welcome to Souk, %(name)s.") % {"name": user.full_name})
        # Back where the sign-up was asked for (the checkout, its cart merged at login).
        return redirect(next_url or "accounts:profile")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        throttled = getattr(form, "throttled", None)
        if isinstance(throttled, LoginThrottled):
            response.status_code = throttled.http_status
            if throttled.retry_after is not None:
                response["Retry-After"] = str(throttled.retry_after)
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        """Throttle, then send a link built from SOUK_SITE_URL, never from the Host header."""
        throttle.check_password_reset(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        site = urlsplit(settings.SOUK_SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={"site_url": settings.SOUK_SITE_URL.rstrip("/")},
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]  # stubs: generic over the user model
        response = super().form_valid(form)
        # Whoever knew the old password is signed out everywhere.
        sessions.end_other_sessions(user=form.user, keep_session_key=None)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        # Django gave this session a new key to keep it signed in; the others end.
        sessions.rekey(old_key=old_key, new_key=self.request.session.session_key)
        sessions.end_other_sessions(
            user=form.user, keep_session_key=self.request.session.session_key
        )
        messages.success(
            self.request, _("Your password is changed; your other sessions are ended.")
        )
        return response


def _signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # login_required lets only signed-in accounts through
        raise Http404
    return request.user


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    """Where the account is signed in: browser, address, last seen; each can be ended."""
    user = _signed_in(request)
    current = request.session.session_key
    # timesince says "0 minutes" under a minute: such a session reads "less than a minute ago".
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    rows = [
        {
            "id": row.pk,
            "browser": sessions.describe_browser(row.user_agent),
            "ip_address": row.ip_address or "",
            "created_at": row.created_at,
            "last_seen_at": row.last_seen_at,
            "seen_just_now": row.last_seen_at > a_minute_ago,
            "is_current": row.session_key == current,
        }
        for row in sessions.list_sessions(user=user)
    ]
    return render(request, "accounts/sessions.html", {"rows": rows})


@login_required
@require_POST
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _signed_in(request)
    try:
        sessions.end_session(user=user, session_id=session_id)
    except UserSession.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The session is ended."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    sessions.end_other_sessions(user=user, keep_session_key=request.session.session_key)
    messages.success(request, _("Your other sessions are ended."))
    return redirect("accounts:sessions")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):  # login_required lets only signed-in accounts through
        return redirect("accounts:login")
    initial = {
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "preferred_currency": user.preferred_currency,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "account": user})


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """Remember the display currency (session, and profile when signed in), then go back."""
    form = CurrencyForm(request.POST)
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:home")
    if not form.is_valid():
        messages.error(request, _("This currency is not offered."))
        return HttpResponseRedirect(next_url)
    currency = form.cleaned_data["currency"]
    request.session[SESSION_CURRENCY_KEY] = currency
    if isinstance(request.user, User):
        services.set_preferred_currency(user=request.user, currency=currency)
    return HttpResponseRedirect(next_url)
