"""Personal support for artisans (docs/support.md): advisors, who follows whom (with history),
and each artisan's progress along the path, kept so that pages never recompute it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.registry.models import Region, Sector
from souk.shops.models import Shop


class Milestone(models.TextChoices):
    """The path, in order. Each is computed from data (milestones.py), never ticked by hand."""

    ACCOUNT = "account", _("Account created")
    REGISTER_CLAIMED = "register_claimed", _("Register entry claimed")
    PHONE_VERIFIED = "phone_verified", _("Phone number verified")
    FIRST_PIECE_SENT = "first_piece_sent", _("First piece sent for review")
    FIRST_PIECE_PUBLISHED = "first_piece_published", _("First piece published")
    PROFILE_COMPLETE = "profile_complete", _("Shop profile complete (story, photo)")
    PAYOUT_VERIFIED = "payout_verified", _("Payout destination verified")
    FIRST_SALE = "first_sale", _("First sale")
    FIRST_SALE_ABROAD = "first_sale_abroad", _("First sale abroad")
    FIRST_PAYOUT = "first_payout", _("First payout")
    FIVE_PIECES = "five_pieces", _("Five pieces published")
    FIRST_REPEAT_BUYER = "first_repeat_buyer", _("First repeat buyer")


MILESTONES: tuple[Milestone, ...] = tuple(Milestone)
# Past the last milestone: the path is done.
STAGE_DONE = "done"


class Advisor(models.Model):
    """A person of the programme who follows artisans of some regions and sectors."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="advisor",
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions covered"), related_name="advisors", blank=True
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors covered"), related_name="advisors", blank=True
    )
    capacity = models.PositiveIntegerField(_("artisans at most"), default=300)
    # Open assignments, kept by the services under the advisor's row lock: choosing the least
    # loaded advisor on a claim reads this column instead of counting every open assignment.
    open_count = models.PositiveIntegerField(_("artisans followed"), default=0, editable=False)
    # Codes of shops.models.Language (ar, ber, fr, en, es), shown to the artisan by name.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    contact_phone = models.CharField(_("phone number for artisans"), max_length=16, blank=True)
    contact_hours = models.CharField(_("when to call"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to="advisors/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        ordering = ["user__full_name", "id"]

    def __str__(self) -> str:
        return self.user.full_name or self.user.login_identifier


class AssignmentReason(models.TextChoices):
    CLAIM = "claim", _("Register entry claimed")
    BATCH = "batch", _("Nobody followed the artisan yet")
    ADVISOR_LEFT = "advisor_left", _("The advisor left")
    ARTISAN_ASKED = "artisan_asked", _("The artisan asked for another advisor")
    ADMINISTRATOR = "administrator", _("Moved by an administrator")


class Assignment(models.Model):
    """An advisor follows an artisan from `started_at` until `ended_at`. Rows are never deleted:
    the artisan's advisors over time are the history. At most one open row per artisan."""

    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="support_assignments",
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.SET_NULL, null=True, blank=True
    )
    advisor = models.ForeignKey(
        Advisor, verbose_name=_("advisor"), on_delete=models.PROTECT, related_name="assignments"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    start_reason = models.CharField(
        _("why it started"), max_length=16, choices=AssignmentReason.choices
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=16, choices=AssignmentReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["artisan"],
                condition=Q(ended_at__isnull=True),
                name="support_one_open_assignment_per_artisan",
            )
        ]
        indexes = [
            models.Index(
                fields=["advisor"],
                condition=Q(ended_at__isnull=True),
                name="support_open_by_advisor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor} → {self.artisan_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Progress(models.Model):
    """Where one artisan stands on the path: the date each milestone was reached (null: not
    yet), kept by `services.refresh_progress` and the nightly `recompute_all_progress`.

    Denormalised on purpose (region, sector, advisor, stage): the advisor's portfolio and the
    programme's funnel read these rows only.
    """

    artisan = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="support_progress",
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.SET_NULL, null=True, blank=True
    )
    region_code = models.CharField(_("region"), max_length=2, blank=True)
    sector_code = models.CharField(_("sector"), max_length=3, blank=True)
    advisor = models.ForeignKey(
        Advisor,
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio",
    )
    # The first milestone not reached yet, in path order, or STAGE_DONE.
    stage = models.CharField(_("stage"), max_length=24)
    stage_index = models.PositiveSmallIntegerField(_("stage number"), default=0)
    last_step_at = models.DateTimeField(_("last step"), null=True, blank=True)
    account_at = models.DateTimeField(null=True, blank=True)
    register_claimed_at = models.DateTimeField(null=True, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    first_piece_sent_at = models.DateTimeField(null=True, blank=True)
    first_piece_published_at = models.DateTimeField(null=True, blank=True)
    profile_complete_at = models.DateTimeField(null=True, blank=True)
    payout_verified_at = models.DateTimeField(null=True, blank=True)
    first_sale_at = models.DateTimeField(null=True, blank=True)
    first_sale_abroad_at = models.DateTimeField(null=True, blank=True)
    first_payout_at = models.DateTimeField(null=True, blank=True)
    five_pieces_at = models.DateTimeField(null=True, blank=True)
    first_repeat_buyer_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        indexes = [
            models.Index(fields=["advisor", "last_step_at"], name="support_portfolio"),
        ]

    def __str__(self) -> str:
        return f"{self.artisan_id} {self.stage}"

    def reached_at(self, milestone: str) -> object:
        return getattr(self, f"{milestone}_at")


class FunnelCount(models.Model):
    """How many artisans of a region and sector reached a milestone: the funnel page reads
    these few hundred rows instead of counting 420,000. Kept by the same services as Progress
    (deltas on refresh, rebuilt by the nightly batch)."""

    region_code = models.CharField(max_length=2)
    sector_code = models.CharField(max_length=3)
    milestone = models.CharField(max_length=24, choices=Milestone.choices)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("funnel count")
        verbose_name_plural = _("funnel counts")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "sector_code", "milestone"], name="support_funnel_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.sector_code} {self.milestone}: {self.count}"


from souk.support.assist_models import (  # noqa: E402  (the models of assisted mode and lessons)
    Assistance,
    AssistanceStatus,
    ConsentChannel,
    EndReason,
    LessonProgress,
    LessonSuggestion,
)

# Help on request and nudges live in their own module (docs/support.md).
from souk.support.help_models import (  # noqa: E402  (after the models they refer to)
    HelpNote,
    HelpRequest,
    Nudge,
    NudgePreference,
)
from souk.support.sms_models import SmsReply  # noqa: E402  (the replies kept before handling)

__all__ = [
    "Advisor",
    "Assignment",
    "AssignmentReason",
    "Assistance",
    "AssistanceStatus",
    "ConsentChannel",
    "EndReason",
    "FunnelCount",
    "HelpNote",
    "HelpRequest",
    "LessonProgress",
    "LessonSuggestion",
    "Milestone",
    "Nudge",
    "NudgePreference",
    "Progress",
    "SmsReply",
]
