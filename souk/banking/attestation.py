"""Sales attestations: a PDF of a shop's sales over a period, signed with Ed25519, that a bank
can verify on its own.

The PDF is built with core.pdf in the artisan's language (Arabic shaped, right to left), with a
French copy on the next pages when that language is another: the
identity as registered, the period's figures from the kept monthly figures (the ledger's), a
verification code and its QR (the public verify page's address). Its signature is appended as
one last line, `%SOUK-SIGNATURE <base64>`, a PDF comment after `%%EOF` that readers ignore:
the Ed25519 signature of every byte before that line. Verifying a file needs only the public
key (`public_key_pem`, published on the verify page): change one byte and it fails. The
attestation row keeps the figures as attested and the SHA-256 of the signed bytes, so the
verify page and `manage.py verify_attestation` also show what the file attests.
"""

from __future__ import annotations

import base64
import datetime
import enum
import hashlib
import secrets
from dataclasses import dataclass

import segno
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from souk.accounts.models import User
from souk.banking.models import MonthlyFigures, SalesAttestation
from souk.core import signing
from souk.core.audit import record as audit
from souk.core.money import Money, format_money_for_language
from souk.core.pdf import PdfDocument
from souk.shops.models import Shop

SIGNATURE_MARKER = b"%SOUK-SIGNATURE "
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Every attestation also reads in French, the language Moroccan banks work in.
FRENCH = "fr"


def public_key_pem() -> bytes:
    return signing.ATTESTATIONS.public_key_pem()


def new_code() -> str:
    """Twelve characters nobody confuses when reading them out (no 0/O, 1/I/L)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(12))


def period_figures(*, shop_id: int, first: datetime.date, last: datetime.date) -> dict[str, int]:
    """The shop's kept figures from month `first` to month `last` (both included)."""
    rows = list(MonthlyFigures.objects.filter(shop_id=shop_id, month__gte=first, month__lte=last))
    sales = sum(r.sales_amount for r in rows)
    refunds = sum(r.refunds_amount for r in rows)
    commission = sum(r.commission_amount for r in rows)
    return {
        "sales_amount": sales,
        "orders_count": sum(r.orders_count for r in rows),
        "refunds_amount": refunds,
        "net_amount": sales - refunds - commission,
        "abroad_sales_amount": sum(r.abroad_sales_amount for r in rows),
        "months_with_sales": sum(1 for r in rows if r.sales_amount > 0),
    }


def figure_lines(attestation: SalesAttestation, language: str) -> list[tuple[str, str]]:
    """The attested identity and figures as label and value, in `language`."""
    figures, identity = attestation.figures, attestation.identity

    def money(amount: int) -> str:
        return format_money_for_language(Money(amount, "MAD"), language)

    with translation.override(language):
        return [
            (_("Name in the register"), identity["name"]),
            (_("Register number"), identity["register_number"]),
            (_("Shop"), identity["shop"]),
            (
                _("Period"),
                _("%(first)s to %(last)s")
                % {
                    "first": formats.date_format(attestation.first_month, "YEAR_MONTH_FORMAT"),
                    "last": formats.date_format(attestation.last_month, "YEAR_MONTH_FORMAT"),
                },
            ),
            (_("Sales"), money(figures["sales_amount"])),
            (_("Orders"), str(figures["orders_count"])),
            (_("Refunds"), money(figures["refunds_amount"])),
            (_("Net earnings after commission and refunds"), money(figures["net_amount"])),
            (_("Sales abroad"), money(figures["abroad_sales_amount"])),
            (_("Months with sales"), str(figures["months_with_sales"])),
            (_("Verification code"), attestation.code),
        ]


def _write(
    document: PdfDocument, attestation: SalesAttestation, verify_url: str, language: str
) -> None:
    with translation.override(language):
        document.heading(_("Attestation of sales on Souk"))
        document.paragraph(
            _(
                "Souk attests that the figures below are those of its accounts for this shop "
                "over the period: orders paid through Souk, refunds and commission."
            )
        )
        document.key_values(figure_lines(attestation, language))
        document.qr_code(segno.make(verify_url, error="m").matrix)
        document.paragraph(
            _("Check this attestation at %(url)s with its code, or by uploading this file.")
            % {"url": verify_url}
        )


def _render(attestation: SalesAttestation, verify_url: str) -> bytes:
    """The attestation in the artisan's language, then in French (the banks' language) when
    that was another."""
    language = attestation.language
    with translation.override(language):
        title = _("Attestation of sales on Souk")
    document = PdfDocument(title=title, language=language, created_at=attestation.issued_at)
    _write(document, attestation, verify_url, language)
    if language != FRENCH:
        document.new_page(language=FRENCH)
        _write(document, attestation, verify_url, FRENCH)
    return document.output()


def sign(pdf: bytes) -> bytes:
    signature = signing.ATTESTATIONS.sign(pdf)
    return pdf + b"\n" + SIGNATURE_MARKER + base64.b64encode(signature) + b"\n"


def issue_attestation(
    *,
    shop: Shop,
    user: User,
    first: datetime.date,
    last: datetime.date,
    language: str,
    site_url: str,
) -> tuple[SalesAttestation, bytes]:
    """Freeze the shop's figures for the months `first`..`last`, keep them, and return the
    attestation with its signed PDF. The caller has checked that `user` manages the shop."""
    entry = shop.register_entry
    with transaction.atomic():
        attestation = SalesAttestation(
            code=new_code(),
            shop=shop,
            first_month=first,
            last_month=last,
            language=language,
            identity={
                "name": entry.name_in(language),
                "register_number": entry.register_number,
                "shop": shop.display_name,
            },
            figures=period_figures(shop_id=shop.pk, first=first, last=last),
            issued_by=user,
        )
        path = reverse("banking:verify_code", kwargs={"code": attestation.code})
        pdf = _render(attestation, site_url.rstrip("/") + path)
        signed = sign(pdf)
        attestation.file_sha256 = hashlib.sha256(pdf).hexdigest()
        attestation.save()
        audit(actor=user, action="sales_attestation.issue", target=attestation)
    return attestation, signed


class Verdict(enum.Enum):
    GENUINE = "genuine"
    ALTERED = "altered"
    UNSIGNED = "unsigned"


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    attestation: SalesAttestation | None


def verify_file(content: bytes) -> Verification:
    """Whether `content` is a file Souk signed, unchanged; with its attestation when genuine."""
    body, separator, tail = content.rstrip(b"\n").rpartition(b"\n" + SIGNATURE_MARKER)
    if not separator:
        return Verification(Verdict.UNSIGNED, None)
    try:
        is_genuine = signing.ATTESTATIONS.verify(body, base64.b64decode(tail, validate=True))
    except ValueError:
        is_genuine = False
    if not is_genuine:
        return Verification(Verdict.ALTERED, None)
    found = SalesAttestation.objects.filter(file_sha256=hashlib.sha256(body).hexdigest()).first()
    return Verification(Verdict.GENUINE, found)


def find_by_code(code: str) -> SalesAttestation | None:
    return SalesAttestation.objects.filter(code=code.strip().upper()).select_related("shop").first()
