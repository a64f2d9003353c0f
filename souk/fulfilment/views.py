"""Fulfilment pages: the artisan's "ship" step, the documents of a shipment, and the carriers'
tracking webhook.

Documents (label, customs declaration, invoice) are for the shop's managers, the buyer and
moderators: anyone else gets a 404. The webhook is server to server: no session, no CSRF, a
signature instead (the protocol is fulfilment/webhook.py), at /shipping/tracking/<carrier code>/;
see docs/shipping.md.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, get_language_from_request
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.catalog.models import ProductPhoto
from souk.core import signatures, signing
from souk.fulfilment import certificates, documents, selectors, services, webhook
from souk.fulfilment.forms import CertificateCheckForm
from souk.fulfilment.models import Certificate, Shipment
from souk.orders import selectors as orders
from souk.orders.errors import OrderError
from souk.orders.models import SubOrder
from souk.shops import workshop
from souk.shops.errors import ShopError

logger = logging.getLogger("souk.shipping")


@login_required
@require_POST
def ship(request: HttpRequest, reference: str) -> HttpResponse:
    """The artisan's parcel is ready: create its shipment, then back to the parcel's page (a
    refused step is a message there, as for the other steps of orders)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    try:
        sub_order = orders.get_artisan_sub_order(user=request.user, reference=reference)
    except SubOrder.DoesNotExist as error:
        raise Http404 from error
    try:
        if "workshop_address" in request.POST:
            # The sender's address and phone, asked for on the form until the shop has them.
            workshop.set_workshop_address(
                shop=sub_order.shop,
                actor=request.user,
                street=request.POST.get("workshop_address", ""),
                postal_code=request.POST.get("workshop_postal_code", ""),
                phone=request.POST.get("workshop_phone", ""),
            )
        services.ship_sub_order(sub_order=sub_order, artisan=request.user)
    except (OrderError, ShopError, services.WorkshopAddressMissing) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The shipment is created: print the label and stick it on the parcel.")
        )
    return redirect("orders:artisan_detail", reference=reference)


def _shipment(request: HttpRequest, tracking_number: str) -> Shipment:
    if not isinstance(request.user, User):
        raise PermissionDenied
    try:
        return selectors.get_shipment_for(user=request.user, tracking_number=tracking_number)
    except Shipment.DoesNotExist as error:
        raise Http404 from error


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def label(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The shipping label: A4 by default, `?format=label` for a 100 x 150 mm label printer."""
    shipment = _shipment(request, tracking_number)
    on_label_printer = request.GET.get("format") == "label"
    return _pdf(
        documents.label_pdf(shipment, page_format="label" if on_label_printer else "A4"),
        f"label-{shipment.tracking_number}.pdf",
    )


@require_safe
def customs(request: HttpRequest, tracking_number: str) -> HttpResponse:
    shipment = _shipment(request, tracking_number)
    if not shipment.customs_form:
        raise Http404
    return _pdf(
        documents.customs_declaration_pdf(shipment),
        f"{shipment.customs_form.lower()}-{shipment.tracking_number}.pdf",
    )


@require_safe
def invoice(request: HttpRequest, tracking_number: str) -> HttpResponse:
    shipment = _shipment(request, tracking_number)
    if not shipment.is_international:
        raise Http404
    return _pdf(
        documents.commercial_invoice_pdf(shipment), f"invoice-{shipment.sub_order.reference}.pdf"
    )


def _refusal(message: object, *, status: int) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


@csrf_exempt
@require_POST
def tracking_webhook(request: HttpRequest, carrier_code: str) -> HttpResponse:
    """Tracking events from one carrier: `{"events": [{tracking_number, event_id, status,
    happened_at, location, description}, ...]}`, signed with that carrier's secret. Each event
    counts once; only that carrier's parcels move; nothing is applied if one event is malformed
    or dated in the future."""
    body = request.body
    try:
        webhook.verify(
            body, request.headers.get(webhook.SIGNATURE_HEADER, ""), carrier_code=carrier_code
        )
    except signatures.SignatureRefused as refusal:
        # The carrier's code is a slug (the URL pattern): safe to log as it is.
        logger.warning("Tracking webhook for %s refused: %s", carrier_code, refusal)
        return _refusal(refusal.message, status=403)
    try:
        updates = webhook.parse_events(body)
    except webhook.MalformedEvents:
        return _refusal(_("The events are malformed."), status=400)
    horizon = services.latest_acceptable_moment()
    if any(update.happened_at > horizon for update in updates):
        return _refusal(_("An event is dated in the future; nothing was applied."), status=400)
    applied, duplicates, unknown = 0, 0, []
    for update in updates:
        try:
            was_new = services.apply_tracking(update, carrier_code=carrier_code)
        except services.UnknownTrackingNumber:
            unknown.append(update.tracking_number)
            continue
        applied += was_new
        duplicates += not was_new
    return JsonResponse({"applied": applied, "duplicates": duplicates, "unknown": unknown})


# Certificates of origin: public pages (the QR's address, the check by code or file, the key).


def _certificate_context(payload: dict[str, Any], language: str) -> dict[str, object]:
    """What the page shows of a genuine certificate, in the reader's language when it exists."""
    piece, artisan = payload["piece"], payload["artisan"]
    references = [photo["name"] for photo in piece.get("photos", [])]
    return {
        "title": certificates.in_language(piece["titles"], language),
        "piece": piece,
        "artisan_name": artisan["name_ar"] if language == "ar" else artisan["name"],
        "register_number": artisan["register_number"],
        "trade": certificates.in_language(artisan["trade"], language),
        "region": certificates.in_language(artisan["region"], language),
        "shop": payload["shop"],
        "shipped_on": payload["shipped_on"],
        "photos": ProductPhoto.objects.filter(product_id=piece["product"], image__in=references),
    }


def _certificate_page(
    request: HttpRequest,
    *,
    form: CertificateCheckForm,
    verification: certificates.Verification | None,
    certificate: Certificate | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, object] = {"form": form, "certificate": certificate}
    if verification is not None:
        context["verdict"] = verification.verdict.value
        if verification.payload is not None:
            context["shown"] = _certificate_context(verification.payload, get_language() or "fr")
    return render(request, "fulfilment/certificate.html", context, status=status)


@require_safe
def certificate_short(request: HttpRequest, code: str) -> HttpResponse:
    """The QR's address (no language in it): on to the page in the reader's language."""
    with translation.override(get_language_from_request(request)):
        return redirect(reverse("fulfilment:certificate", kwargs={"code": code}))


@require_safe
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether the certificate of this code is genuine, and what it certifies."""
    verification, found = certificates.verify_code(code)
    status = 404 if found is None else 200
    return _certificate_page(
        request,
        form=CertificateCheckForm(initial={"code": code}),
        verification=verification,
        certificate=found if verification.is_genuine else None,
        status=status,
    )


@require_safe
def certificate_file(request: HttpRequest, code: str) -> HttpResponse:
    """The portable certificate (JSON), only while it is genuine."""
    verification, found = certificates.verify_code(code)
    if found is None or not verification.is_genuine:
        raise Http404
    response = HttpResponse(certificates.certificate_file(found), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="souk-certificate-{found.code}.json"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def certificate_check(request: HttpRequest) -> HttpResponse:
    """Public: check a certificate by its code, or its file with the published key."""
    form = CertificateCheckForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _certificate_page(request, form=form, verification=None)
    upload = form.cleaned_data.get("file")
    if upload is not None:
        verification = certificates.verify_file(upload.read())
        return _certificate_page(request, form=form, verification=verification)
    verification, found = certificates.verify_code(form.cleaned_data["code"])
    return _certificate_page(
        request,
        form=form,
        verification=verification,
        certificate=found if verification.is_genuine else None,
    )


@require_safe
def certificate_key(request: HttpRequest) -> HttpResponse:
    """Souk's public key for certificates of origin, to verify them offline."""
    return HttpResponse(
        signing.CERTIFICATES.public_key_pem(), content_type="application/x-pem-file"
    )
