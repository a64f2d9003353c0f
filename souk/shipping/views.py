"""Shipping pages: the documents of a shipment, and the carriers' tracking webhook.

Documents (label, customs declaration, invoice) are for the shop's managers, the buyer and
moderators: anyone else gets a 404. The webhook is server to server: no session, no CSRF, a
signature instead (HMAC-SHA256 of the body with SHIPPING_WEBHOOK_SECRET, header
X-Carrier-Signature); see docs/shipping.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.shipping import documents, selectors, services
from souk.shipping.forms import FreeShippingForm
from souk.shipping.models import Shipment, ShipmentStatus
from souk.shops import selectors as shops
from souk.shops.models import Shop

logger = logging.getLogger("souk.shipping")


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


def signature_of(body: bytes) -> str:
    return hmac.new(settings.SHIPPING_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def tracking_webhook(request: HttpRequest) -> HttpResponse:
    """Tracking events from a carrier: `{"events": [{tracking_number, event_id, status,
    happened_at, location, description}, ...]}`. Each event counts once."""
    body = request.body
    if not hmac.compare_digest(signature_of(body), request.headers.get("X-Carrier-Signature", "")):
        logger.warning("Tracking webhook with a bad signature refused")
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        events = json.loads(body)["events"]
        updates = [
            services.TrackingUpdate(
                tracking_number=str(event["tracking_number"]),
                event_id=str(event["event_id"]),
                status=ShipmentStatus(event["status"]),
                happened_at=_aware(str(event["happened_at"])),
                location=str(event.get("location", "")),
                description=str(event.get("description", "")),
            )
            for event in events
        ]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed events"}, status=400)
    applied, duplicates, unknown = 0, 0, []
    for update in updates:
        try:
            was_new = services.apply_tracking(update)
        except services.UnknownTrackingNumber:
            unknown.append(update.tracking_number)
            continue
        applied += was_new
        duplicates += not was_new
    return JsonResponse({"applied": applied, "duplicates": duplicates, "unknown": unknown})


def _aware(text: str) -> datetime.datetime:
    """An ISO 8601 moment with its offset; ValueError otherwise."""
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise ValueError(text)
    return moment


@require_http_methods(["GET", "POST"])
def free_shipping(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A shop manager sets, per zone, the amount of works from which shipping is free."""
    if not isinstance(request.user, User):
        return redirect_to_login(request.get_full_path())
    try:
        shop = shops.get_managed_shop(user=request.user, shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error
    current = selectors.get_free_shipping(shop)
    form = FreeShippingForm(request.POST or None, thresholds=current)
    if request.method == "POST" and form.is_valid():
        services.set_free_shipping(shop=shop, actor=request.user, thresholds=form.thresholds())
        messages.success(request, _("Your free shipping is saved."))
        return redirect("shipping:free_shipping", shop_id=shop.pk)
    return render(request, "shipping/free_shipping.html", {"shop": shop, "form": form})
