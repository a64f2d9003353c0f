"""Reads about shops, for the pages here and for other apps (the catalog names the makers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from souk.accounts.models import User
from souk.core import audit, delegation
from souk.core.models import AuditEntry
from souk.core.translation import pick_translation
from souk.shops.models import (
    IdentityChangeStatus,
    InvitationStatus,
    KycDocument,
    KycKind,
    MemberRole,
    Shop,
    ShopIdentityChange,
    ShopInvitation,
    ShopMember,
    ShopPhoto,
    ShopStatus,
)

# Who may read KYC scans besides the shop's managers.
VERIFY_ARTISANS_PERMISSION = "accounts.verify_artisans"
MODERATE_PERMISSION = "accounts.moderate_content"


def _with_profile(shops: QuerySet[Shop]) -> QuerySet[Shop]:
    return shops.select_related(
        "region", "register_entry__trade__sector", "register_entry__region"
    ).prefetch_related(
        "trades", Prefetch("photos", queryset=ShopPhoto.objects.order_by("position", "id"))
    )


def list_public_shops() -> QuerySet[Shop]:
    """Approved shops, by name, with what a list card shows (region, registered trade, photos)."""
    return (
        Shop.objects.filter(status=ShopStatus.APPROVED)
        .select_related("region", "register_entry__trade")
        .prefetch_related(Prefetch("photos", queryset=ShopPhoto.objects.order_by("position", "id")))
        .order_by("display_name", "id")
    )


def get_public_shop(*, slug: str) -> Shop:
    """The approved shop at `slug`; raises Shop.DoesNotExist for any other status."""
    return _with_profile(Shop.objects.filter(status=ShopStatus.APPROVED)).get(slug=slug)


def list_memberships(*, user: User) -> QuerySet[ShopMember]:
    """The shops `user` works in, with their role in each."""
    return (
        ShopMember.objects.filter(user=user).select_related("shop").order_by("shop__display_name")
    )


def get_managed_shop(*, user: User, shop_id: int) -> Shop:
    """The shop `shop_id` if `user` manages it; raises Shop.DoesNotExist otherwise."""
    return _with_profile(
        Shop.objects.filter(members__user=user, members__role=MemberRole.MANAGER)
    ).get(pk=shop_id)


def is_manager(*, shop: Shop, user: User) -> bool:
    return ShopMember.objects.filter(shop=shop, user=user, role=MemberRole.MANAGER).exists()


def list_shop_members(shop: Shop) -> QuerySet[ShopMember]:
    """The shop's members, managers first, then by the date they joined."""
    return (
        ShopMember.objects.filter(shop=shop)
        .select_related("user", "shop__register_entry")
        .order_by("role", "added_at", "id")
    )


def list_pending_invitations(*, user: User) -> QuerySet[ShopInvitation]:
    """The invitations `user` has not answered yet, newest first (their account page)."""
    return ShopInvitation.objects.filter(
        invitee=user, status=InvitationStatus.PENDING
    ).select_related("shop", "invited_by")


def list_shop_invitations(shop: Shop) -> QuerySet[ShopInvitation]:
    """The shop's invitations waiting for an answer (its members page)."""
    return ShopInvitation.objects.filter(shop=shop, status=InvitationStatus.PENDING).select_related(
        "invitee"
    )


def display_maker(member: ShopMember) -> str:
    """Who made a piece, as buyers read it: "made by Fatima at the Tafilalet cooperative"."""
    if member.shop.has_members:
        return _("made by %(name)s at %(shop)s") % {
            "name": member.public_name,
            "shop": member.shop.display_name,
        }
    return _("made by %(name)s") % {"name": member.public_name}


@dataclass(frozen=True, slots=True)
class ShownStory:
    """A shop's story in the visitor's language, or the first other language that has one."""

    text: str
    language: str
    language_name: str
    is_in_visitor_language: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"


def get_shown_story(shop: Shop) -> ShownStory:
    text, language = pick_translation(shop, "story")
    visitor_language = (get_language() or "fr")[:2]
    name = str(get_language_info(language)["name_translated"]) if language else ""
    return ShownStory(
        text=text,
        language=language,
        language_name=name,
        is_in_visitor_language=language == visitor_language,
    )


def list_missing_for_review(shop: Shop) -> list[str]:
    """What the artisan must still add before the shop can be submitted, in their language.

    The region is never missing: it is required, and starts as the register entry's.
    """
    missing = []
    if not shop.display_name.strip():
        missing.append(_("A shop name"))
    if not pick_translation(shop, "story")[0].strip():
        missing.append(_("Your story, in at least one language"))
    if not shop.has_payout_destination:
        missing.append(_("Where to send your earnings (RIB or mobile wallet)"))
    uploaded = set(KycDocument.objects.filter(shop=shop).values_list("kind", flat=True))
    if KycKind.ID_CARD not in uploaded:
        missing.append(_("A scan of your national ID card"))
    if KycKind.REGISTER_CARD not in uploaded:
        missing.append(_("A scan of your artisan card or register certificate"))
    return missing


def list_missing_for_payout(shop: Shop) -> list[str]:
    """What the shop must still have before Souk pays it, in the reader's language: a payout
    destination and each kind of KYC document, sent and accepted by a moderator."""
    missing = []
    if not shop.has_payout_destination:
        missing.append(_("Where to send your earnings (RIB or mobile wallet)"))
    accepted = dict(KycDocument.objects.filter(shop=shop).values_list("kind", "accepted_at"))
    for kind, label in (
        (KycKind.ID_CARD, _("A scan of your national ID card")),
        (KycKind.REGISTER_CARD, _("A scan of your artisan card or register certificate")),
    ):
        if kind not in accepted:
            missing.append(label)
        elif accepted[kind] is None:
            missing.append(_("%(document)s: sent, waiting for a moderator") % {"document": label})
    return missing


def get_readable_kyc_document(*, user: User, document_id: int) -> KycDocument:
    """The document if `user` manages its shop or verifies artisans; raises
    KycDocument.DoesNotExist for anyone else, so its existence is not revealed. Refused to an
    advisor acting for the artisan (core/delegation.py)."""
    delegation.refuse_when_assisted(delegation.KYC_REFUSED)
    document = KycDocument.objects.select_related("shop").get(pk=document_id)
    if user.has_perm(VERIFY_ARTISANS_PERMISSION) or is_manager(shop=document.shop, user=user):
        return document
    raise KycDocument.DoesNotExist()


def list_kyc_documents(shop: Shop) -> QuerySet[KycDocument]:
    return KycDocument.objects.filter(shop=shop).select_related("uploaded_by")


# KYC documents sent and not accepted by a moderator yet (a new upload clears the acceptance).
_WAITING_DOCUMENTS = Q(kyc_documents__accepted_at__isnull=True)


def list_shops_for_moderation(*, status: str) -> QuerySet[Shop]:
    """Shops in `status`, the longest waiting first, each with `documents_waiting`: how many
    of its KYC documents await a moderator's acceptance."""
    return (
        Shop.objects.filter(status=status)
        .select_related("region", "register_entry__trade")
        .annotate(documents_waiting=Count("kyc_documents", filter=_WAITING_DOCUMENTS))
        .order_by("status_changed_at", "id")
    )


def list_shops_with_documents_waiting() -> QuerySet[Shop]:
    """Shops of any status with KYC documents awaiting acceptance (payouts wait for them), the
    longest waiting first: `documents_waiting` (how many) and `waiting_since` (the oldest)."""
    return (
        Shop.objects.filter(
            pk__in=KycDocument.objects.filter(accepted_at__isnull=True).values("shop_id")
        )
        .annotate(
            documents_waiting=Count("kyc_documents", filter=_WAITING_DOCUMENTS),
            waiting_since=Min("kyc_documents__uploaded_at", filter=_WAITING_DOCUMENTS),
        )
        .order_by("waiting_since", "id")
    )


def get_shop_for_moderation(*, shop_id: int) -> Shop:
    return _with_profile(Shop.objects.all()).get(pk=shop_id)


def get_audit_trail(shop: Shop) -> list[AuditEntry]:
    """What happened to the shop and to its register entry (the claim), newest first."""
    entries = [*audit.entries_for(shop), *audit.entries_for(shop.register_entry)]
    return sorted(entries, key=lambda entry: (entry.at, entry.pk), reverse=True)


def get_pending_identity_change(shop: Shop) -> ShopIdentityChange | None:
    """The name and city the shop asked for and a moderator has not decided on, if any."""
    return ShopIdentityChange.objects.filter(shop=shop, status=IdentityChangeStatus.PENDING).first()


def get_rejected_identity_change(shop: Shop) -> ShopIdentityChange | None:
    """The shop's latest identity change when a moderator rejected it (its reason is for the
    artisan); None when the latest one is pending or approved, or there is none."""
    latest = ShopIdentityChange.objects.filter(shop=shop).order_by("-requested_at", "-id").first()
    return latest if latest is not None and latest.status == IdentityChangeStatus.REJECTED else None


def list_pending_identity_changes() -> QuerySet[ShopIdentityChange]:
    """Identity changes waiting for a moderator, the longest waiting first."""
    return (
        ShopIdentityChange.objects.filter(status=IdentityChangeStatus.PENDING)
        .select_related("shop")
        .order_by("requested_at", "id")
    )
