"""Help on request and nudges (docs/support.md): an artisan asks for help, their advisor
proposes an appointment, the artisan confirms, the advisor closes it with what was done; and
the nightly nudges sent to artisans stuck at a milestone. Imported by models.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HelpTopic(models.TextChoices):
    ACCOUNT = "account", _("My account or the phone code")
    LISTING = "listing", _("Putting a piece on sale")
    PHOTOS = "photos", _("Photos of my pieces")
    PRICES = "prices", _("Prices")
    SHOP = "shop", _("My shop's profile")
    ORDERS = "orders", _("Orders and shipping")
    PAYOUTS = "payouts", _("Payouts and bank details")
    OTHER = "other", _("Something else")


class HelpChannel(models.TextChoices):
    PHONE = "phone", _("A phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    VISIT = "visit", _("A visit to my workshop")


class HelpSlot(models.TextChoices):
    MORNING = "morning", _("Mornings (9:00-12:00)")
    AFTERNOON = "afternoon", _("Afternoons (14:00-17:00)")
    EVENING = "evening", _("Evenings (after 17:00)")
    WEEKEND = "weekend", _("Saturday")


class HelpStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the advisor")
    PROPOSED = "proposed", _("Appointment proposed")
    CONFIRMED = "confirmed", _("Appointment confirmed")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the artisan")


# Statuses in which the request still waits for something.
ACTIVE_STATUSES = (HelpStatus.OPEN, HelpStatus.PROPOSED, HelpStatus.CONFIRMED)


class HelpRequest(models.Model):
    """An artisan's request for help. Its status moves only through help.HELP_MACHINE (the
    moves are kept in the audit log); the times of the first proposal and of the close are
    kept for the programme's response times."""

    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="help_requests",
    )
    # The advisor following the artisan when they asked; the queue reads the current one.
    advisor = models.ForeignKey(
        "support.Advisor",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    region_code = models.CharField(_("region"), max_length=2, blank=True)
    topic = models.CharField(_("topic"), max_length=16, choices=HelpTopic.choices)
    message = models.TextField(_("what you need"), blank=True)
    channel = models.CharField(_("how"), max_length=16, choices=HelpChannel.choices)
    # Codes of HelpSlot.
    slots = models.JSONField(_("times that suit you"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=HelpStatus.choices, default=HelpStatus.OPEN
    )
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_channel = models.CharField(
        _("appointment by"), max_length=16, choices=HelpChannel.choices, blank=True
    )
    # Typed back (or replied by SMS) by the artisan to confirm the appointment proposed.
    confirm_code = models.CharField(max_length=6, blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    first_proposed_at = models.DateTimeField(_("first proposal"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The reminder of the current appointment (cleared when another is proposed).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "appointment_at"], name="support_help_due"),
            models.Index(fields=["region_code", "created_at"], name="support_help_region"),
        ]

    def __str__(self) -> str:
        return f"{self.artisan_id} {self.topic} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def slot_labels(self) -> list[str]:
        return [str(HelpSlot(slot).label) for slot in self.slots if slot in HelpSlot.values]


class HelpNote(models.Model):
    """A note the advisor keeps on a request (a call made, what to bring to the visit)."""

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("help note")
        verbose_name_plural = _("help notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.text[:40]}"


class NudgeOptOutWay(models.TextChoices):
    LINK = "link", _("the link in a message")
    SMS = "sms", _("a STOP reply")
    PAGE = "page", _("their support page")


class NudgePreference(models.Model):
    """Whether an artisan still accepts nudges, and the short token of their opt-out link."""

    artisan = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="nudge_preference",
    )
    token = models.CharField(max_length=16, unique=True)
    opted_out_at = models.DateTimeField(_("no more nudges since"), null=True, blank=True)
    opted_out_by = models.CharField(
        _("asked by"), max_length=8, choices=NudgeOptOutWay.choices, blank=True
    )

    class Meta:
        verbose_name = _("nudge preference")
        verbose_name_plural = _("nudge preferences")

    def __str__(self) -> str:
        return f"{self.artisan_id} {'out' if self.opted_out_at else 'in'}"


class Nudge(models.Model):
    """One nudge texted to an artisan stuck at `stage`; the advisor is told of it."""

    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="nudges",
    )
    advisor = models.ForeignKey(
        "support.Advisor",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nudges",
    )
    stage = models.CharField(_("stage"), max_length=24)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["artisan", "-sent_at"], name="support_nudge_last"),
            models.Index(
                fields=["advisor", "-sent_at"],
                condition=Q(advisor__isnull=False),
                name="support_nudge_by_advisor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.artisan_id} {self.stage} {self.sent_at:%Y-%m-%d}"
