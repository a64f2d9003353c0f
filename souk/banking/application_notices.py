"""What banking tells people about applications, through souk.notifications (SMS, email and
the notifications page), each in their own language. Called inside the move's transaction:
the copies go once it commits. Notices to a bank name the application by number only: what
the artisan shared is read on Souk, where each reading is recorded."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.banking.application_models import Application
from souk.banking.models import BankOfficer
from souk.notifications import services as notifications
from souk.shops import notices as shop_notices


def _offer_title(application: Application, language: str) -> str:
    with translation.override(language):
        return application.offer.title


def _status(application: Application, language: str) -> str:
    with translation.override(language):
        return str(application.get_status_display())


def tell_artisan(*, application: Application, event: str, reason: str = "") -> None:
    """Tell the applicant that the bank moved the application ("moved", with the new status
    and the reason given) or wrote to them ("message")."""
    recipient = application.applicant
    language = recipient.preferred_language or "fr"
    path = reverse("banking:application", args=[application.pk])
    notifications.notify(
        recipient=recipient,
        kind="bank_application_artisan",
        context={
            "event": event,
            "bank": application.bank.name,
            "offer": _offer_title(application, language),
            "status": _status(application, language),
            "reason": reason,
            "link": shop_notices.link_for(path, language),
        },
        url=path,
    )


def tell_bank(*, application: Application, event: str, except_user: User | None = None) -> None:
    """Tell the bank's officers that an application arrived ("submitted"), was withdrawn
    ("withdrawn") or got a message from the artisan ("message")."""
    path = reverse("banking:bank_application", args=[application.pk])
    officers = BankOfficer.objects.filter(
        bank_id=application.bank_id, user__is_active=True
    ).select_related("user")
    for officer in officers.order_by("pk"):
        if except_user is not None and officer.user_id == except_user.pk:
            continue
        language = officer.user.preferred_language or "fr"
        notifications.notify(
            recipient=officer.user,
            kind="bank_application_officer",
            context={
                "event": event,
                "number": application.pk,
                "offer": _offer_title(application, language),
                "link": shop_notices.link_for(path, language),
            },
            url=path,
        )
