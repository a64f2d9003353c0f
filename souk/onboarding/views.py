"""The artisan's path, one screen per view: sign-up with the claim, the SMS code, the first
piece, "sent for review". Each screen sends a person who is elsewhere on the path to where
they stand (selectors.get_step), so leaving and coming back resumes there."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from souk.accounts.models import User
from souk.catalog.errors import CatalogError
from souk.catalog.models import Product, ProductStatus
from souk.core.client_ip import client_ip
from souk.core.gallery.errors import GalleryError
from souk.onboarding import selectors, services
from souk.onboarding.errors import OnboardingError, PhotoMissing
from souk.onboarding.forms import ArtisanSignUpForm, ClaimFields, FirstPieceForm, PhoneCodeForm
from souk.onboarding.selectors import Step
from souk.registry.errors import ClaimRefused

STEP_URL_NAMES = {
    Step.START: "onboarding:start",
    Step.CODE: "onboarding:code",
    Step.PIECE: "onboarding:piece",
    Step.SENT: "onboarding:sent",
}


def _go(step: Step) -> HttpResponseRedirect:
    return redirect(STEP_URL_NAMES[step])


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """ "I am an artisan": phone, password, register number and CIN on one screen (a signed-in
    account gives only the last two)."""
    step = selectors.get_step(request.user)
    if step != Step.START:
        return _go(step)
    user = request.user if isinstance(request.user, User) else None
    kept_hash = _kept_password(request) if user is None else ""
    form: ClaimFields = (
        ClaimFields(request.POST or None)
        if user
        else ArtisanSignUpForm(request.POST or None, password_kept=bool(kept_hash))
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user is not None:
                services.claim_as_signed_in(
                    user=user,
                    register_number=data["register_number"],
                    cin=data["cin"],
                    ip_address=client_ip(request),
                    language=_language(),
                )
            else:
                user = services.sign_up_as_artisan(
                    phone=data["phone"],
                    password=data["password"],
                    password_hash="" if data["password"] else kept_hash,
                    register_number=data["register_number"],
                    cin=data["cin"],
                    ip_address=client_ip(request),
                    language=_language(),
                    currency=getattr(request, "currency", None),
                )
                login(request, user, backend="souk.accounts.backends.EmailOrPhoneBackend")
                request.session.pop(KEPT_PASSWORD_KEY, None)
        except ClaimRefused as refusal:
            # Shown on the form, which keeps what was typed, to correct a typo.
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            return _go(selectors.get_step(user))
    elif request.method == "POST":
        status = 400
    if request.method == "POST" and isinstance(form, ArtisanSignUpForm) and user is None:
        _keep_password(request, form)
    context = {"form": form, "signed_in": user is not None}
    return render(request, "onboarding/start.html", context, status=status)


# The sign-up's password, typed before an error elsewhere on the screen (a wrong CIN), is kept
# so the person need not type it again: hashed (make_password, as the account will store it)
# in the server-side session, for KEPT_PASSWORD_SECONDS. It is never sent back to the browser
# (no render_value): the page, its cache and the browser's history never hold it.
KEPT_PASSWORD_KEY = "onboarding:kept_password"  # noqa: S105  # a session key, not a secret
KEPT_PASSWORD_SECONDS = 30 * 60


def _kept_password(request: HttpRequest) -> str:
    kept = request.session.get(KEPT_PASSWORD_KEY)
    if not isinstance(kept, dict) or kept.get("until", 0) < time.time():
        return ""
    return str(kept.get("hash", ""))


def _keep_password(request: HttpRequest, form: ArtisanSignUpForm) -> None:
    """Keep the password the form accepted; the form shown says it is kept."""
    password = getattr(form, "cleaned_data", {}).get("password")
    if password and "password" not in form.errors:
        request.session[KEPT_PASSWORD_KEY] = {
            "hash": make_password(password),
            "until": time.time() + KEPT_PASSWORD_SECONDS,
        }
        form.mark_password_kept()


@login_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """The code texted to the phone, typed back; or a new code asked for."""
    user = request.user
    step = selectors.get_step(user)
    if step != Step.CODE or not isinstance(user, User):
        return _go(step)
    form = PhoneCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and "resend" in request.POST:
        form = PhoneCodeForm()
        try:
            services.resend_code(user=user, language=_language())
        except OnboardingError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            return redirect("onboarding:code")
    elif request.method == "POST" and form.is_valid():
        try:
            services.confirm_phone(user=user, code=form.cleaned_data["code"])
        except OnboardingError as refusal:
            form.add_error("code", str(refusal.message))
            status = refusal.http_status
        else:
            return _go(selectors.get_step(user))
    elif request.method == "POST":
        status = 400
    check = selectors.get_phone_check(user)
    return render(
        request,
        "onboarding/code.html",
        {
            "form": form,
            "phone": check.phone if check else "",
            "sandbox_sms_url": _sandbox_sms_url(),
        },
        status=status,
    )


def _sandbox_sms_url() -> str:
    """The sandbox's page of text messages sent, when it is mounted (a demo): "" otherwise."""
    if not settings.SOUK_SANDBOX:
        return ""
    try:
        return reverse("sandbox:sms_outbox")
    except NoReverseMatch:
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def piece(request: HttpRequest) -> HttpResponse:
    """The first piece: photo, title, price, stock or made to order; the rest prefilled. What is
    typed is kept as a draft on every sending, valid or not."""
    user = request.user
    step = selectors.get_step(user)
    shop = selectors.get_own_shop(user) if isinstance(user, User) else None
    if step != Step.PIECE or not isinstance(user, User) or shop is None:
        return _go(step)
    draft = selectors.get_piece_draft(user)
    initial = {**FirstPieceForm.initial_for(shop), **(draft.values if draft else {})}
    status = 200
    if request.method == "POST":
        form = FirstPieceForm(
            request.POST, request.FILES, shop=shop, language=_language(), initial=initial
        )
        upload = request.FILES.get("photo")
        valid = form.is_valid()
        try:
            services.save_piece_draft(user=user, values=form.typed_values(), photo=upload)
        except GalleryError as refusal:
            form.add_error("photo", str(refusal.message))
            valid = False
        if valid:
            try:
                services.send_first_piece(user=user, details=form.details())
            except PhotoMissing as refusal:
                form.add_error("photo", str(refusal.message))
                status = refusal.http_status
            except (CatalogError, OnboardingError) as refusal:
                form.add_error(None, str(refusal.message))
                status = refusal.http_status
            else:
                return redirect("onboarding:sent")
        else:
            status = 400
        draft = selectors.get_piece_draft(user)
    else:
        form = FirstPieceForm(shop=shop, language=_language(), initial=initial)
    return render(
        request,
        "onboarding/piece.html",
        {"form": form, "shop": shop, "has_photo": bool(draft and draft.photo)},
        status=status,
    )


@login_required
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    """The end of the path: the piece waits for review; what happens next."""
    user = request.user
    step = selectors.get_step(user)
    shop = selectors.get_own_shop(user) if isinstance(user, User) else None
    if step != Step.SENT or shop is None:
        return _go(step)
    product = (
        Product.objects.filter(shop=shop)
        .exclude(status=ProductStatus.DRAFT)
        .order_by("created_at")
        .first()
    )
    return render(request, "onboarding/sent.html", {"shop": shop, "product": product})
