"""An artisan's shop: profile, story, photos, KYC documents, payout destination, moderation.

One shop per claimed register entry. Its status follows SHOP_MACHINE (core.machine), the one
table of the moves a shop may make; services.py moves it, and each move is recorded in the audit
log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.fields import EncryptedTextField
from souk.core.gallery.models import GalleryPhoto
from souk.core.machine import Actor, Machine, Transition, transition
from souk.core.storage import private_storage
from souk.registry.models import Region, RegisterEntry, Trade
from souk.shops.errors import IllegalShopTransition, ReasonRequired

MAX_PHOTOS_PER_SHOP = 8


class ShopStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


# Every move a shop's status may make, and nothing else; anything not listed raises.
SHOP_TRANSITIONS: tuple[Transition, ...] = (
    transition(
        "submit",
        {ShopStatus.DRAFT},
        ShopStatus.PENDING_REVIEW,
        {Actor.ARTISAN},
        reason_required=False,
        label=_("Submit for review"),
    ),
    transition(
        "approve",
        {ShopStatus.PENDING_REVIEW},
        ShopStatus.APPROVED,
        {Actor.MODERATOR},
        reason_required=False,
        label=_("Approve"),
    ),
    transition(
        "request_changes",
        {ShopStatus.PENDING_REVIEW},
        ShopStatus.CHANGES_REQUESTED,
        {Actor.MODERATOR},
        reason_required=True,
        label=_("Request changes"),
    ),
    transition(
        "reject",
        {ShopStatus.PENDING_REVIEW},
        ShopStatus.REJECTED,
        {Actor.MODERATOR},
        reason_required=True,
        label=_("Reject"),
    ),
    transition(
        "resubmit",
        {ShopStatus.CHANGES_REQUESTED},
        ShopStatus.PENDING_REVIEW,
        {Actor.ARTISAN},
        reason_required=False,
        label=_("Submit for review again"),
    ),
    transition(
        "suspend",
        {ShopStatus.APPROVED},
        ShopStatus.SUSPENDED,
        {Actor.MODERATOR},
        reason_required=True,
        label=_("Suspend"),
    ),
    transition(
        "reinstate",
        {ShopStatus.SUSPENDED},
        ShopStatus.APPROVED,
        {Actor.MODERATOR},
        reason_required=False,
        label=_("Reinstate"),
    ),
)

SHOP_MACHINE = Machine(
    name="shop",
    transitions=SHOP_TRANSITIONS,
    illegal=IllegalShopTransition,
    # A move of the other side (an artisan approving...) is as impossible as a wrong status.
    not_allowed=IllegalShopTransition,
    reason_missing=ReasonRequired,
)

# The artisan may change the shop except while a moderator is looking at it, or once refused.
EDITABLE_STATUSES = frozenset(
    {ShopStatus.DRAFT, ShopStatus.CHANGES_REQUESTED, ShopStatus.APPROVED, ShopStatus.SUSPENDED}
)


class Language(models.TextChoices):
    """Languages an artisan may say they speak with buyers."""

    ARABIC = "ar", _("Arabic")
    AMAZIGH = "ber", _("Amazigh (Tamazight)")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class PayoutMethod(models.TextChoices):
    RIB = "rib", _("Bank account (RIB)")
    WALLET = "wallet", _("Mobile wallet")


class Shop(models.Model):
    """The shop of one claimed register entry (artisan, cooperative or company)."""

    register_entry = models.OneToOneField(
        RegisterEntry,
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        related_name="shop",
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    display_name = models.CharField(_("shop name"), max_length=120)
    story_ar = models.TextField(_("story (Arabic)"), blank=True)
    story_fr = models.TextField(_("story (French)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    story_es = models.TextField(_("story (Spanish)"), blank=True)
    workshop_city = models.CharField(_("workshop city"), max_length=100, blank=True)
    # Where parcels leave from: printed as the sender on labels, customs forms and invoices;
    # required before the first shipment (workshop.set_workshop_address). Not public.
    workshop_address = models.CharField(_("workshop street address"), max_length=200, blank=True)
    workshop_postal_code = models.CharField(_("workshop postal code"), max_length=10, blank=True)
    # E.164, the number carriers and customs call about a parcel.
    workshop_phone = models.CharField(_("workshop phone number"), max_length=16, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="shops"
    )
    # A list of Language values, checked by the service (a subset, no repeats, table order).
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    trades = models.ManyToManyField(Trade, verbose_name=_("trades"), related_name="shops")
    payout_method = models.CharField(
        _("payout method"), max_length=8, choices=PayoutMethod.choices, blank=True
    )
    # 24 digits, key checked (validators.normalize_rib); shown to managers and moderators only.
    # Encrypted at rest (souk.core.fields); "" when the shop has none.
    payout_rib = EncryptedTextField(_("RIB"), blank=True)
    # E.164 Moroccan mobile number (validators.normalize_wallet_phone).
    payout_wallet_phone = models.CharField(_("wallet phone number"), max_length=16, blank=True)
    # When a destination replaced another: payouts wait SOUK_PAYOUT_HOLD_DAYS from then
    # (payouts_resume_at), so that an account taken over cannot divert the money unnoticed.
    payout_destination_changed_at = models.DateTimeField(
        _("payout destination changed at"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ShopStatus.choices,
        default=ShopStatus.DRAFT,
        db_index=True,
    )
    # The moderator's words for the latest decision, shown to the artisan as written.
    status_reason = models.TextField(_("reason given"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # Set by moderators: a trusted shop's edits to listings on sale skip a new review.
    is_trusted = models.BooleanField(_("trusted"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # First approval: "member since" on the public page; a reinstatement does not move it.
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Kept by souk.reviews through shops.ratings: visible reviews of the shop's pieces.
    rating_count = models.PositiveIntegerField(_("reviews"), default=0)
    rating_stars = models.PositiveIntegerField(_("stars given"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["display_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ShopStatus.values), name="shop_status_is_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(payout_method="", payout_rib="", payout_wallet_phone="")
                    | (
                        Q(payout_method=PayoutMethod.RIB, payout_wallet_phone="")
                        & ~Q(payout_rib="")
                    )
                    | (
                        Q(payout_method=PayoutMethod.WALLET, payout_rib="")
                        & ~Q(payout_wallet_phone="")
                    )
                ),
                name="shop_payout_destination_matches_method",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_public(self) -> bool:
        return self.status == ShopStatus.APPROVED

    @property
    def can_ship(self) -> bool:
        """Whether the sender's street address and phone, printed on every parcel, are known."""
        return bool(self.workshop_address and self.workshop_phone)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def has_members(self) -> bool:
        """Cooperatives and companies have members; a person's shop has only its owner."""
        return not self.register_entry.is_person

    @property
    def has_payout_destination(self) -> bool:
        return bool(self.payout_method)

    def payouts_resume_at(
        self, *, now: datetime.datetime | None = None
    ) -> datetime.datetime | None:
        """When payouts to a just-changed destination may start again; None if they may now."""
        if self.payout_destination_changed_at is None:
            return None
        resume_at = self.payout_destination_changed_at + datetime.timedelta(
            days=settings.SOUK_PAYOUT_HOLD_DAYS
        )
        return resume_at if resume_at > (now or timezone.now()) else None

    @property
    def masked_payout_destination(self) -> str:
        """The destination's last four digits only (`•••• 4921`), for the dashboard."""
        value = self.payout_rib or self.payout_wallet_phone
        return f"•••• {value[-4:]}" if value else ""

    @property
    def spoken_language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.languages_spoken if code in labels]


class MemberRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")


class ShopMember(models.Model):
    """A person who works in the shop; the account that claimed the entry is its manager."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="shop_memberships",
    )
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices)
    # The name buyers see ("made by Fatima"): chosen by the manager, the account's by default.
    public_name = models.CharField(_("name shown to buyers"), max_length=150)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("shop member")
        verbose_name_plural = _("shop members")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="shop_member_once_per_shop"),
        ]

    def __str__(self) -> str:
        return f"{self.public_name} ({self.get_role_display()})"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class ShopInvitation(models.Model):
    """A manager's offer to someone to join a cooperative's or company's shop.

    Nobody becomes a member, let alone a manager who sees the payout account and the earnings,
    without accepting from their own account: a member is created only by the acceptance.
    """

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="invitations"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited account"),
        on_delete=models.CASCADE,
        related_name="shop_invitations",
    )
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices)
    public_name = models.CharField(_("name shown to buyers"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shop invitation")
        verbose_name_plural = _("shop invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "invitee"],
                condition=Q(status="pending"),
                name="shop_invitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.invitee_id} {self.status}"


class ShopPhoto(GalleryPhoto):
    """A workshop or product photo of the shop's page (souk.core.gallery); the first by
    position is the shop's cover."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta(GalleryPhoto.Meta):
        verbose_name = _("shop photo")
        verbose_name_plural = _("shop photos")

    def upload_folder(self) -> str:
        return f"shops/{self.shop_id}"


class KycKind(models.TextChoices):
    ID_CARD = "id_card", _("National ID card (CIN)")
    REGISTER_CARD = "register_card", _("Artisan card or register certificate")


def _kyc_path(instance: KycDocument, filename: str) -> str:
    return f"kyc/{instance.shop_id}/{filename}"


class KycDocument(models.Model):
    """A scan proving who runs the shop. Private storage: read only through an authorised view.

    One per kind and shop: a new upload replaces the previous one.
    """

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="kyc_documents"
    )
    kind = models.CharField(_("document"), max_length=16, choices=KycKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_kyc_path, max_length=200)
    content_type = models.CharField(_("file type"), max_length=32)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # Set when a moderator accepted this file (approving the shop accepts those it shows); a
    # new upload of the kind clears it. Payouts wait for every kind accepted (docs/payouts.md).
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("KYC document")
        verbose_name_plural = _("KYC documents")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "kind"], name="kyc_document_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.kind}"


class IdentityChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ShopIdentityChange(models.Model):
    """A new name or workshop city asked for by an approved shop: buyers see the approved ones
    until a moderator approves it (identity.py). One pending change per shop at most."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="identity_changes"
    )
    display_name = models.CharField(_("shop name"), max_length=120)
    workshop_city = models.CharField(_("workshop city"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IdentityChangeStatus.choices,
        default=IdentityChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason given"), blank=True)

    class Meta:
        verbose_name = _("shop identity change")
        verbose_name_plural = _("shop identity changes")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(status="pending"),
                name="shop_identity_change_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.display_name} ({self.status})"
