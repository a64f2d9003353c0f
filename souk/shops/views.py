"""Shop pages: public index and shop page, the artisan's shop pages, moderation, files.

Views parse, authorise, call one service or selector and render. A shop someone may not see
is a 404 (not a 403): its existence is not revealed. Refusals of a form's service are shown on
the form; other refusals go to DomainErrorMiddleware.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.accounts.two_factor.decorators import ask_recent_authentication
from souk.catalog import selectors as catalog
from souk.catalog.models import ProductStatus
from souk.core import delegation
from souk.core.gallery.errors import GalleryError
from souk.core.machine import Actor
from souk.core.seo import build_page_meta
from souk.core.translation import language_codes
from souk.search.listing import listing_context
from souk.shops import documents as kyc_documents
from souk.shops import identity, selectors, services
from souk.shops.errors import InvalidShopDetails, ShopError
from souk.shops.forms import (
    KycDocumentForm,
    ModerationForm,
    PayoutForm,
    ShopProfileForm,
)
from souk.shops.models import (
    MAX_PHOTOS_PER_SHOP,
    SHOP_MACHINE,
    KycDocument,
    MemberRole,
    Shop,
    ShopStatus,
)

SHOPS_PER_PAGE = 24
# Public media are photos we re-encoded; nothing else is served from /media/.


def _account(request: HttpRequest) -> User:
    # Behind login_required the user is always an account; this satisfies the type checker.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _managed_shop(request: HttpRequest, shop_id: int) -> tuple[User, Shop]:
    user = _account(request)
    try:
        return user, selectors.get_managed_shop(user=user, shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error


def _require_moderator(request: HttpRequest) -> User:
    user = _account(request)
    if not user.has_perm(selectors.MODERATE_PERMISSION):
        raise PermissionDenied
    return user


# --- Public pages ---------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Approved shops, by name, a page at a time."""
    page = Paginator(selectors.list_public_shops(), SHOPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "shops/index.html", {"page": page})


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A shop's public page; 404 unless it is approved."""
    try:
        shop = selectors.get_public_shop(slug=slug)
    except Shop.DoesNotExist as error:
        raise Http404 from error
    members = list(selectors.list_shop_members(shop)) if shop.has_members else []
    entry = shop.register_entry
    photos = list(shop.photos.all())
    return render(
        request,
        "shops/detail.html",
        {
            **listing_context(request, fixed={"shop_id": shop.pk}),
            "shop": shop,
            "entry": entry,
            "story": selectors.get_shown_story(shop),
            "photos": photos,
            "trades": shop.trades.all(),
            "members": members,
            "breadcrumbs": [
                (_("Home"), reverse("web:home")),
                (_("Shops"), reverse("shops:index")),
                (shop.display_name, ""),
            ],
            "meta": build_page_meta(
                request,
                title=shop.display_name,
                description=_(
                    "%(name)s: %(trade)s, %(region)s. A shop of a registered artisan on Souk."
                )
                % {
                    "name": shop.display_name,
                    "trade": entry.trade.name,
                    "region": shop.region.name,
                },
                og_type="profile",
                image_path=photos[0].image.url if photos else "",
            ),
        },
    )


# --- The artisan's pages --------------------------------------------------------------------


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The shops the visitor works in: straight to it when they manage exactly one."""
    user = _account(request)
    memberships = list(selectors.list_memberships(user=user))
    if not memberships:
        return redirect("onboarding:start")
    managed = [m for m in memberships if m.role == MemberRole.MANAGER]
    if len(memberships) == 1 and managed:
        return redirect("shops:dashboard", shop_id=managed[0].shop_id)
    return render(request, "shops/mine.html", {"memberships": memberships})


@login_required
@require_safe
def dashboard(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Where the shop stands: status, the moderator's words, what is missing, what to do."""
    _user, shop = _managed_shop(request, shop_id)
    submit = SHOP_MACHINE.allowed(shop.status, Actor.ARTISAN)
    return render(
        request,
        "shops/dashboard.html",
        {
            "shop": shop,
            "missing": selectors.list_missing_for_review(shop),
            "submit_transition": submit[0] if submit else None,
            "photo_count": len(shop.photos.all()),
            "max_photos": MAX_PHOTOS_PER_SHOP,
            "documents": selectors.list_kyc_documents(shop),
            "identity_change": selectors.get_pending_identity_change(shop),
            "rejected_identity_change": selectors.get_rejected_identity_change(shop),
            "show_reason": shop.status_reason
            and shop.status
            in {ShopStatus.CHANGES_REQUESTED, ShopStatus.REJECTED, ShopStatus.SUSPENDED},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest, shop_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    form = ShopProfileForm(
        request.POST or None, shop=shop, initial=ShopProfileForm.initial_for(shop)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            shop = services.update_shop_profile(shop=shop, actor=user, **form.cleaned_data)
        except ShopError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("Your shop's profile is saved."))
            if selectors.get_pending_identity_change(shop) is not None:
                messages.info(
                    request,
                    _(
                        "Buyers will see the new name and city once a moderator approves "
                        "them; until then they see the approved ones."
                    ),
                )
            return redirect("shops:dashboard", shop_id=shop.pk)
    return render(request, "shops/profile_form.html", {"shop": shop, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_payout(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Where the earnings go: shown and changed only after "confirm it's you" (the password,
    and the code with a second factor), as the RIB is private and a change diverts money."""
    delegation.refuse_when_assisted(delegation.PAYOUT_REFUSED)
    user, shop = _managed_shop(request, shop_id)
    asked = ask_recent_authentication(request)
    if asked is not None:
        return asked
    initial = {
        "method": shop.payout_method,
        "rib": shop.payout_rib,
        "wallet_phone": shop.payout_wallet_phone,
    }
    form = PayoutForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.set_payout_destination(
                shop=shop,
                actor=user,
                method=data["method"],
                rib=data["rib"],
                wallet_phone=data["wallet_phone"],
            )
        except ShopError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("Your payout destination is saved."))
            resume_at = saved.payouts_resume_at()
            if resume_at is not None:
                messages.info(
                    request,
                    _(
                        "For your security, payouts to the new account start on %(date)s. "
                        "The shop's managers were told by SMS and email."
                    )
                    % {"date": date_format(timezone.localtime(resume_at), "DATETIME_FORMAT")},
                )
            return redirect("shops:dashboard", shop_id=shop.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "shops/payout_form.html",
        {"shop": shop, "form": form, "hold_days": settings.SOUK_PAYOUT_HOLD_DAYS},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, shop_id: int) -> HttpResponse:
    delegation.refuse_when_assisted(delegation.KYC_REFUSED)
    user, shop = _managed_shop(request, shop_id)
    form = KycDocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_kyc_document(
                shop=shop,
                actor=user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except (ShopError, GalleryError) as refusal:
            form.add_error("file", str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The document is saved. Only moderators will see it."))
            return redirect("shops:documents", shop_id=shop.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "shops/documents.html",
        {"shop": shop, "form": form, "documents": selectors.list_kyc_documents(shop)},
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, shop_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    services.submit_shop_for_review(shop=shop, actor=user)
    messages.success(request, _("Your shop is sent for review. A moderator will answer soon."))
    return redirect("shops:dashboard", shop_id=shop.pk)


# --- Files ----------------------------------------------------------------------------------


@login_required
@require_safe
def kyc_document(request: HttpRequest, document_id: int) -> FileResponse:
    """Hand a KYC scan to a manager of its shop or to someone who verifies artisans.

    Anyone else gets a 404, as if it did not exist. Sent as an attachment that no cache keeps.
    """
    delegation.refuse_when_assisted(delegation.KYC_REFUSED)
    user = _account(request)
    try:
        document = selectors.get_readable_kyc_document(user=user, document_id=document_id)
    except KycDocument.DoesNotExist as error:
        raise Http404 from error
    extension = PurePosixPath(document.file.name).suffix
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.shop_id}{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
# --- Moderation -----------------------------------------------------------------------------


@login_required
@require_safe
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Shops waiting for a moderator (or, by ?status=, those in another status)."""
    _require_moderator(request)
    status = request.GET.get("status", ShopStatus.PENDING_REVIEW)
    if status not in ShopStatus.values:
        status = ShopStatus.PENDING_REVIEW
    page = Paginator(selectors.list_shops_for_moderation(status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "shops/moderation_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ShopStatus.choices,
            "identity_changes": selectors.list_pending_identity_changes(),
            "documents_waiting": selectors.list_shops_with_documents_waiting(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation_detail(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Everything a moderator needs to decide, the decision form and the shop's history."""
    moderator = _require_moderator(request)
    try:
        shop = selectors.get_shop_for_moderation(shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error
    form = ModerationForm(request.POST or None, shop=shop)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate_shop(
                shop=shop,
                moderator=moderator,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ShopError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("shops:moderation_queue")
    elif request.method == "POST":
        status = 400
    documents_shown = list(selectors.list_kyc_documents(shop))
    return render(
        request,
        "shops/moderation_detail.html",
        {
            "shop": shop,
            "entry": shop.register_entry,
            "form": form,
            "stories": [
                (code, getattr(shop, f"story_{code}"))
                for code in language_codes()
                if getattr(shop, f"story_{code}")
            ],
            "photos": shop.photos.all(),
            "trades": shop.trades.all(),
            "documents": documents_shown,
            "documents_waiting": any(document.accepted_at is None for document in documents_shown),
            "members": selectors.list_shop_members(shop),
            "audit_trail": selectors.get_audit_trail(shop),
            "identity_change": selectors.get_pending_identity_change(shop),
            # The pieces sent with (or after) the shop, decided on the same page.
            "pieces": catalog.list_products_for_moderation(
                status=ProductStatus.PENDING_REVIEW, shop_id=shop.pk
            ),
            "piece_actions": catalog.list_moderator_transitions(
                status=ProductStatus.PENDING_REVIEW
            ),
        },
        status=status,
    )


@login_required
@require_POST
def moderation_identity(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A moderator approves or rejects the name and city an approved shop asked for."""
    moderator = _require_moderator(request)
    try:
        shop = selectors.get_shop_for_moderation(shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error
    decision = request.POST.get("decision", "")
    if decision == "approve":
        identity.approve_identity_change(shop=shop, moderator=moderator)
    elif decision == "reject":
        reason = request.POST.get("reason", "")
        identity.reject_identity_change(shop=shop, moderator=moderator, reason=reason)
    else:
        raise InvalidShopDetails(_("Choose to approve or to reject the change."))
    messages.success(request, _("Your decision is recorded."))
    return redirect("shops:moderation_detail", shop_id=shop.pk)


@login_required
@require_POST
def moderation_documents(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A moderator accepts the KYC documents the page shows; payouts wait for them."""
    moderator = _require_moderator(request)
    if not moderator.has_perm(selectors.VERIFY_ARTISANS_PERMISSION):
        raise PermissionDenied
    try:
        shop = selectors.get_shop_for_moderation(shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error
    kyc_documents.accept_kyc_documents(shop=shop, moderator=moderator)
    messages.success(request, _("Your decision is recorded."))
    return redirect("shops:moderation_detail", shop_id=shop.pk)
