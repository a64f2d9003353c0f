"""Pages of the sandbox processor (CMI's hosted card page and API) and the sandbox wallet."""

from __future__ import annotations

from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.core.middleware import CONTENT_SECURITY_POLICY
from souk.payments.gateways import cmi_protocol, emv_qr, wallet
from souk.sandbox import api, services
from souk.sandbox import sms as sandbox_sms
from souk.sandbox import wallet as sandbox_wallet
from souk.sandbox.forms import CardForm
from souk.sandbox.models import PushStatus, WalletPushRequest


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "sandbox/refused.html", {"reason": reason}, status=400)


def _send_back(request: HttpRequest, result: services.GateResult) -> HttpResponse:
    """The auto-submitted form that takes the browser back to the merchant's ok/fail URL."""
    response = render(request, "sandbox/redirect.html", {"result": result})
    parts = urlsplit(result.url)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"
    )
    return response


def _card_page(
    request: HttpRequest, *, session: str, fields: dict[str, str], form: CardForm, status: int = 200
) -> HttpResponse:
    amount = cmi_protocol.parse_amount(fields.get("amount", "")) or 0
    return render(
        request,
        "sandbox/card.html",
        {
            "session": session,
            "form": form,
            "amount": cmi_protocol.format_amount(amount),
            "oid": fields.get("oid", ""),
            "shop_url": fields.get("shopurl", ""),
            "language": fields.get("lang", "fr"),
            "cards": {**services.TEST_CARDS, "three_d_secure_code": services.THREE_D_SECURE_CODE},
        },
        status=status,
    )


@csrf_exempt
@require_POST
def cmi_gate(request: HttpRequest) -> HttpResponse:
    """The hosted card page: the merchant's shop posts its signed form here."""
    fields = request.POST.dict()
    try:
        session = services.open_session(fields)
    except services.SandboxRefused as error:
        return _refused(request, str(error))
    return _card_page(
        request, session=session, fields=fields, form=CardForm(initial={"session": session})
    )


@require_POST
def cmi_card(request: HttpRequest) -> HttpResponse:
    """The card form's submission: check the card, decide, then the 3-D Secure page, back to
    the merchant, or (timeout card) a page that never goes back."""
    session = request.POST.get("session", "")
    try:
        fields = services.read_session(session)
    except services.SandboxRefused as error:
        return _refused(request, str(error))
    form = CardForm(request.POST)
    if not form.is_valid():
        return _card_page(request, session=session, fields=fields, form=form, status=400)
    outcome = services.pay_with_card(
        session, card_number=form.cleaned_data["card_number"], delivery=form.delivery()
    )
    if isinstance(outcome, str):
        return render(request, "sandbox/three_d_secure.html", {"session": outcome})
    if outcome.is_timed_out:
        return render(
            request, "sandbox/timeout.html", {"shop_url": fields.get("shopurl", "")}, status=504
        )
    return _send_back(request, outcome)


@require_POST
def cmi_3ds(request: HttpRequest) -> HttpResponse:
    try:
        result = services.confirm_three_d_secure(
            request.POST.get("session", ""), code=request.POST.get("code", "")
        )
    except services.SandboxRefused as error:
        return _refused(request, str(error))
    return _send_back(request, result)


@csrf_exempt
@require_POST
def cmi_api(request: HttpRequest) -> HttpResponse:
    """The back-office API: XML CC5Request in, CC5Response out."""
    return HttpResponse(
        api.answer_api_request(request.body), content_type="application/xml; charset=utf-8"
    )


@csrf_exempt
@require_POST
def wallet_api_push(request: HttpRequest) -> HttpResponse:
    """A merchant asks the wallet to show a payment request on a phone."""
    try:
        push = sandbox_wallet.receive_push(
            request.body, request.headers.get(wallet.SIGNATURE_HEADER, "")
        )
    except services.SandboxRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"request_id": str(push.pk)}, status=202)


@csrf_exempt
@require_POST
def wallet_api_status(request: HttpRequest) -> HttpResponse:
    """A merchant asks what became of one bill number (pending, approved, rejected, unknown)."""
    try:
        answer = sandbox_wallet.answer_status(
            request.body, request.headers.get(wallet.SIGNATURE_HEADER, "")
        )
    except services.SandboxRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(answer)


def _unreadable(problem: Exception) -> str:
    """A code the wallet cannot read; the parser's own words (technical, English) follow."""
    return _("This code cannot be read (%(problem)s).") % {"problem": problem}


def _normalized_phone(text: str) -> str:
    try:
        number = phonenumbers.parse(text, str(settings.SOUK_PHONE_DEFAULT_REGION))
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@require_http_methods(["GET", "POST"])
def wallet_home(request: HttpRequest) -> HttpResponse:
    """The wallet app: the pending requests of a phone number, and a box to paste a QR code."""
    phone = _normalized_phone(request.GET.get("phone", "")) if request.GET.get("phone") else ""
    pending = (
        list(WalletPushRequest.objects.filter(phone=phone, status=PushStatus.PENDING)[:20])
        if phone
        else []
    )
    scanned = None
    error = ""
    # A scanned QR is posted; the merchant's app link opens the app with the payload in the URL.
    payload = request.POST.get("payload", "") if request.method == "POST" else None
    payload = request.GET.get("payload") if payload is None else payload
    if payload is not None:
        try:
            scanned = sandbox_wallet.read_qr_payload(payload)
        except emv_qr.PayloadError as problem:
            error = _unreadable(problem)
    return render(
        request,
        "sandbox/wallet.html",
        {"phone": phone, "pending": pending, "scanned": scanned, "error": error},
    )


@require_POST
def wallet_decide(request: HttpRequest) -> HttpResponse:
    """Approve or reject a push request or a scanned code; the wallet calls the merchant."""
    approve = request.POST.get("decision") == "approve"
    phone = _normalized_phone(request.POST.get("phone", "")) if request.POST.get("phone") else ""
    try:
        if request.POST.get("request_id"):
            sandbox_wallet.decide_push(request_id=int(request.POST["request_id"]), approve=approve)
        else:
            sandbox_wallet.decide_scanned(
                payload=request.POST.get("payload", ""), approve=approve, phone=phone
            )
    except services.SandboxRefused as error:
        return _refused(request, str(error))
    except (emv_qr.PayloadError, ValueError) as problem:
        return _refused(request, _unreadable(problem))
    except WalletPushRequest.DoesNotExist:
        return _refused(request, _("Unknown request."))
    messages.success(request, _("Approved.") if approve else _("Rejected."))
    target = f"{request.path.rsplit('/', 1)[0]}/"
    return redirect(f"{target}?phone={phone}" if phone else target)


@login_required
@require_safe
def sms_outbox(request: HttpRequest) -> HttpResponse:
    """The last text messages sent (to the visitor's own phone; staff see all): the demo's
    sign-up code, read in the browser. Mounted only with SOUK_SANDBOX."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return render(
        request,
        "sandbox/sms.html",
        {"messages_sent": sandbox_sms.list_messages(user=user), "sees_all": user.is_staff},
    )
