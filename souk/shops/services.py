"""Use cases of the shops app. Each owns its transaction and writes its audit entry inside it.

Artisan side: the draft shop opened by a claim, its profile, payout destination, photos, KYC
documents, members, submission. Moderator side: the moves of SHOP_MACHINE.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.core import audit, delegation, events
from souk.core.gallery import images
from souk.core.gallery import services as gallery
from souk.core.gallery.errors import PhotoOrderMismatch
from souk.core.machine import Actor, Transition, move
from souk.registry.models import Region, RegisterEntry, Trade
from souk.shops import documents, files, identity, locks, notices, selectors, validators
from souk.shops.errors import (
    CannotModerateOwnShop,
    IllegalShopTransition,
    InvalidPayoutDestination,
    InvalidShopDetails,
    NotAModerator,
    NotShopManager,
    ShopIncomplete,
    ShopNotEditable,
    TooManyPhotos,
    TradeOutsideSector,
)
from souk.shops.events import ShopShownChanged
from souk.shops.models import (
    MAX_PHOTOS_PER_SHOP,
    SHOP_MACHINE,
    KycDocument,
    KycKind,
    MemberRole,
    PayoutMethod,
    Shop,
    ShopMember,
    ShopPhoto,
    ShopStatus,
)
from souk.shops.slugs import slug_candidates

STORY_LANGUAGES = ("ar", "fr", "en", "es")


# --- Opening a shop -------------------------------------------------------------------------


def create_draft_shop(*, entry: RegisterEntry, owner: User, language: str = "fr") -> Shop:
    """Open the draft shop of a just-claimed entry, managed by `owner`, named from the register
    in the script of `language` (the Arabic name for an artisan who writes in Arabic).

    Called by the claim, inside its transaction. An entry that already has a shop (its earlier
    account was unlinked by support) keeps it, and `owner` becomes one of its managers.
    """
    with transaction.atomic():
        shop = Shop.objects.filter(register_entry=entry).first()
        if shop is None:
            shop = Shop(
                register_entry=entry,
                display_name=(entry.name_in(language) or entry.register_number)[:120],
                region=entry.region,
            )
            _save_with_free_slug(shop, name=shop.display_name)
            shop.trades.set([entry.trade])
            audit.record(actor=owner, action="shop.created", target=shop)
        ShopMember.objects.update_or_create(
            shop=shop,
            user=owner,
            defaults={"role": MemberRole.MANAGER},
            create_defaults={
                "role": MemberRole.MANAGER,
                "public_name": owner.full_name or entry.display_name,
            },
        )
        return shop


def _save_with_free_slug(shop: Shop, *, name: str) -> None:
    """Save `shop` (new, or only its slug changing) under the first free address for `name`."""
    is_new = shop._state.adding
    for candidate in slug_candidates(
        name=name, register_number=shop.register_entry.register_number
    ):
        if not is_new and candidate == shop.slug:
            return
        if Shop.objects.filter(slug=candidate).exclude(pk=shop.pk).exists():
            continue
        shop.slug = candidate
        try:
            # A savepoint: another shop may take the same address between the check and here.
            with transaction.atomic():
                if is_new:
                    shop.save()
                else:
                    shop.save(update_fields=["slug"])
        except IntegrityError:
            if Shop.objects.filter(slug=candidate).exclude(pk=shop.pk).exists():
                continue
            raise
        return


# --- The artisan's side ---------------------------------------------------------------------


def _lock_as_manager(shop: Shop, actor: User, *, must_be_editable: bool = True) -> Shop:
    locked = locks.shop_for_update(shop.pk).get()
    if not selectors.is_manager(shop=locked, user=actor):
        raise NotShopManager()
    if must_be_editable and not locked.is_editable:
        raise ShopNotEditable()
    return locked


def update_shop_profile(
    *,
    shop: Shop,
    actor: User,
    display_name: str,
    story_ar: str,
    story_fr: str,
    story_en: str,
    story_es: str,
    workshop_city: str,
    region: Region,
    languages_spoken: Iterable[str],
    trades: Iterable[Trade],
) -> Shop:
    """Change what the public page shows. Once the shop was approved, a new name or workshop
    city is only proposed (identity.propose_identity_change) until a moderator approves it.

    Invariants: the registered trade is always among the trades, and every trade is of its
    sector; languages are Language values. While the shop was never approved its address
    follows its name; afterwards it stays, so that links keep working.
    """
    name = " ".join(display_name.split())
    if not name:
        raise InvalidShopDetails(_("Give the shop a name."))
    try:
        languages = validators.clean_languages(languages_spoken)
    except ValidationError as error:
        raise InvalidShopDetails(error.messages[0]) from error
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        entry = locked.register_entry
        registered_trade = entry.trade
        chosen = {trade.code: trade for trade in trades}
        chosen[registered_trade.code] = registered_trade
        if any(trade.sector_id != registered_trade.sector_id for trade in chosen.values()):
            raise TradeOutsideSector()
        stories = {"ar": story_ar, "fr": story_fr, "en": story_en, "es": story_es}
        city = " ".join(workshop_city.split())
        values: dict[str, object] = {
            "region_id": region.pk,
            "languages_spoken": languages,
            **{f"story_{code}": stories[code].strip() for code in STORY_LANGUAGES},
        }
        changed = []
        if locked.approved_at is None:
            values.update(display_name=name, workshop_city=city)
        elif identity.propose_identity_change(
            shop=locked, actor=actor, display_name=name, workshop_city=city
        ):
            # Buyers know an approved shop by its name and city: a new one waits for review.
            changed.append("identity_change_requested")
        changed += [field for field, value in values.items() if getattr(locked, field) != value]
        for field, value in values.items():
            setattr(locked, field, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*values, "updated_at"])
        previous_trades = set(locked.trades.values_list("code", flat=True))
        if previous_trades != set(chosen):
            locked.trades.set(chosen.values())
            changed.append("trades")
        if "display_name" in changed and locked.approved_at is None:
            _save_with_free_slug(locked, name=name)
        audit.record(
            actor=actor, action="shop.profile_updated", target=locked, data={"fields": changed}
        )
        _listing_pages_changed(locked)
        return locked


def set_payout_destination(
    *, shop: Shop, actor: User, method: str, rib: str = "", wallet_phone: str = ""
) -> Shop:
    """Say where the shop's earnings go: a RIB (24 digits, key checked) or a Moroccan mobile
    wallet number. The audit entry keeps only the last four digits.

    Precondition: the view had the manager re-authenticate (recent_authentication_required).
    Replacing a destination by another holds payouts for SOUK_PAYOUT_HOLD_DAYS
    (Shop.payouts_resume_at) and tells every manager by SMS and email, once committed.
    Never done by an advisor acting for the artisan (core/delegation.py).
    """
    delegation.refuse_when_assisted(delegation.PAYOUT_REFUSED)
    try:
        if method == PayoutMethod.RIB:
            rib, wallet_phone = validators.normalize_rib(rib), ""
        elif method == PayoutMethod.WALLET:
            rib, wallet_phone = "", validators.normalize_wallet_phone(wallet_phone)
        else:
            raise InvalidPayoutDestination(_("Choose a bank account or a mobile wallet."))
    except ValidationError as error:
        raise InvalidPayoutDestination(error.messages[0]) from error
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        previous = (locked.payout_method, locked.payout_rib, locked.payout_wallet_phone)
        is_replaced = locked.has_payout_destination and previous != (method, rib, wallet_phone)
        locked.payout_method = method
        locked.payout_rib = rib
        locked.payout_wallet_phone = wallet_phone
        locked.updated_at = timezone.now()
        fields = ["payout_method", "payout_rib", "payout_wallet_phone", "updated_at"]
        data = {"method": method, "ending": (rib or wallet_phone)[-4:]}
        if is_replaced:
            locked.payout_destination_changed_at = locked.updated_at
            fields.append("payout_destination_changed_at")
            data["previous_ending"] = (previous[1] or previous[2])[-4:]
        locked.save(update_fields=fields)
        audit.record(actor=actor, action="shop.payout_destination_set", target=locked, data=data)
        if is_replaced:
            notices.payout_destination_changed(shop=locked, actor=actor)
        return locked


def add_shop_photo(
    *, shop: Shop, actor: User, upload: File[bytes], alt_text: str = ""
) -> ShopPhoto:
    """Add a photo at the end of the shop's photos (at most MAX_PHOTOS_PER_SHOP); its
    renditions are made by the gallery's task once the photo is committed.

    The upload is checked and re-encoded (core.gallery.images.prepare_photo) before anything
    is written.
    """
    prepared = images.prepare_photo(upload)
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        with gallery.adding(
            photos=locked.photos.all(),
            photo=ShopPhoto(shop=locked),
            prepared=prepared,
            alt_text=alt_text,
            limit=MAX_PHOTOS_PER_SHOP,
            too_many=TooManyPhotos,
        ) as photo:
            audit.record(
                actor=actor,
                action="shop.photo_added",
                target=locked,
                data={"photo": photo.pk, "file": photo.image.name},
            )
        return photo


def remove_shop_photo(*, shop: Shop, actor: User, photo_id: int) -> None:
    """Delete a photo and its renditions; the files go once the deletion is committed."""
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        photo = gallery.remove_photo(photos=locked.photos.all(), photo_id=photo_id)
        audit.record(
            actor=actor,
            action="shop.photo_removed",
            target=locked,
            data={"file": photo.image.name},
        )


def move_shop_photo(*, shop: Shop, actor: User, photo_id: int, offset: int) -> None:
    """Move a photo one place earlier (offset -1) or later (+1); the first one is the cover."""
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        gallery.move_photo(photos=locked.photos.all(), photo_id=photo_id, offset=offset)


def reorder_shop_photos(*, shop: Shop, actor: User, photo_ids: Sequence[int]) -> None:
    """Put the photos in the order of `photo_ids` (drag-to-reorder); the first is the cover.

    Preconditions: `actor` manages the shop; `photo_ids` holds each of the shop's photo ids
    exactly once (else PhotoOrderMismatch, nothing changed).
    """
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        gallery.reorder_photos(
            photos=locked.photos.all(), photo_ids=photo_ids, mismatch=PhotoOrderMismatch
        )


def upload_kyc_document(*, shop: Shop, actor: User, kind: str, upload: File[bytes]) -> KycDocument:
    """Store a KYC scan in private storage, replacing the shop's earlier one of that kind.

    Checked (files.check_document) before anything is written; the replaced file is deleted
    once the new one is committed. Never done by an advisor acting for the artisan.
    """
    delegation.refuse_when_assisted(delegation.KYC_REFUSED)
    if kind not in KycKind.values:
        raise InvalidShopDetails(_("Choose which document this is."))
    checked = files.check_document(upload)
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor)
        document = KycDocument.objects.filter(shop=locked, kind=kind).first()
        replaced = document.file.name if document is not None else ""
        if document is None:
            document = KycDocument(shop=locked, kind=kind)
        document.content_type = checked.content_type
        document.size = len(checked.content)
        document.uploaded_by = actor
        document.uploaded_at = timezone.now()
        # A new file has not been looked at: payouts wait until a moderator accepts it.
        document.accepted_at = None
        document.accepted_by = None
        filename = f"{kind}-{uuid.uuid4().hex}.{checked.extension}"
        document.file.save(filename, ContentFile(checked.content), save=False)
        storage, name = document.file.storage, document.file.name
        try:
            document.save()
            audit.record(
                actor=actor,
                action="shop.kyc_document_uploaded",
                target=locked,
                data={"kind": kind, "content_type": checked.content_type},
            )
        except BaseException:
            storage.delete(name)
            raise
        if replaced:
            transaction.on_commit(lambda: storage.delete(replaced))
        return document


# --- Status moves ---------------------------------------------------------------------------


def submit_shop_for_review(*, shop: Shop, actor: User) -> Shop:
    """Send a draft (or a shop whose changes were requested) to the moderators.

    Precondition: nothing of selectors.list_missing_for_review is missing.
    """
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor, must_be_editable=False)
        transition = next(
            (
                t
                for t in SHOP_MACHINE.allowed(locked.status, Actor.ARTISAN)
                if t.target == ShopStatus.PENDING_REVIEW
            ),
            None,
        )
        if transition is None:
            raise IllegalShopTransition()
        missing = selectors.list_missing_for_review(locked)
        if missing:
            raise ShopIncomplete(detail=missing)
        return _move(locked, action=transition.action, actor=actor, role=Actor.ARTISAN, reason="")


def send_claimed_shop_for_review(*, shop: Shop, actor: User) -> Shop:
    """Send the draft shop opened by a claim to the moderators at once, as it is.

    The claim proved the register entry (number and CIN), so the shop needs nothing more to be
    looked at: its story, other languages, payout destination and KYC documents are asked when
    they are needed, before the first payout (docs/artisan-path.md). A shop that is not a draft
    is left as it is.
    """
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor, must_be_editable=False)
        if locked.status != ShopStatus.DRAFT:
            return locked
        return _move(locked, action="submit", actor=actor, role=Actor.ARTISAN, reason="")


def moderate_shop(*, shop: Shop, moderator: User, action: str, reason: str = "") -> Shop:
    """Apply a moderator's decision (an `action` of SHOP_MACHINE) to the shop.

    Preconditions: `moderator` holds accounts.moderate_content and is not a member of the
    shop; the move starts from the shop's status; a reason is given where the table says so.
    """
    if not moderator.has_perm(selectors.MODERATE_PERMISSION):
        raise NotAModerator()
    with transaction.atomic():
        locked = locks.shop_for_update(shop.pk).get()
        if ShopMember.objects.filter(shop=locked, user=moderator).exists():
            raise CannotModerateOwnShop()
        return _move(locked, action=action, actor=moderator, role=Actor.MODERATOR, reason=reason)


def approve_shop(*, shop: Shop, moderator: User, reason: str = "") -> Shop:
    """pending_review -> approved: the shop goes public."""
    return moderate_shop(shop=shop, moderator=moderator, action="approve", reason=reason)


def request_shop_changes(*, shop: Shop, moderator: User, reason: str) -> Shop:
    """pending_review -> changes_requested; `reason` tells the artisan what to change."""
    return moderate_shop(shop=shop, moderator=moderator, action="request_changes", reason=reason)


def reject_shop(*, shop: Shop, moderator: User, reason: str) -> Shop:
    """pending_review -> rejected, for good; `reason` says why."""
    return moderate_shop(shop=shop, moderator=moderator, action="reject", reason=reason)


def suspend_shop(*, shop: Shop, moderator: User, reason: str) -> Shop:
    """approved -> suspended: the public page disappears until reinstated."""
    return moderate_shop(shop=shop, moderator=moderator, action="suspend", reason=reason)


def reinstate_shop(*, shop: Shop, moderator: User, reason: str = "") -> Shop:
    """suspended -> approved."""
    return moderate_shop(shop=shop, moderator=moderator, action="reinstate", reason=reason)


def set_shop_trusted(*, shop: Shop, moderator: User, is_trusted: bool) -> Shop:
    """Trust a shop (its edits to listings on sale skip a new review) or withdraw the trust.

    Precondition: `moderator` holds accounts.moderate_content and is not a member of the shop.
    """
    if not moderator.has_perm(selectors.MODERATE_PERMISSION):
        raise NotAModerator()
    with transaction.atomic():
        locked = locks.shop_for_update(shop.pk).get()
        if ShopMember.objects.filter(shop=locked, user=moderator).exists():
            raise CannotModerateOwnShop()
        if locked.is_trusted != is_trusted:
            locked.is_trusted = is_trusted
            locked.save(update_fields=["is_trusted"])
            audit.record(
                actor=moderator,
                action="shop.trusted" if is_trusted else "shop.trust_withdrawn",
                target=locked,
            )
            _listing_pages_changed(locked)
        return locked


def _move(shop: Shop, *, action: str, actor: User, role: Actor, reason: str) -> Shop:
    previous = shop.status
    # The artisan reads the moderator's latest words; their own moves start a fresh review.
    by_moderator = role == Actor.MODERATOR
    reason = reason.strip() if by_moderator else ""

    def stamps(transition: Transition, now: datetime.datetime) -> dict[str, object]:
        values: dict[str, object] = {"status_reason": reason, "status_changed_at": now}
        if transition.target == ShopStatus.PENDING_REVIEW:
            values["submitted_at"] = now
        if transition.target == ShopStatus.APPROVED and shop.approved_at is None:
            values["approved_at"] = now
        return values

    move(
        shop,
        machine=SHOP_MACHINE,
        action=action,
        actor=actor,
        role=role,
        reason=reason,
        stamps=stamps,
    )
    if by_moderator and action == "approve":
        # The moderator approved the shop with the documents its page showed.
        documents.mark_documents_accepted(shop=shop, moderator=actor)
    if by_moderator:
        notices.shop_decided(shop=shop, decision=action, reason=reason)
    if ShopStatus.APPROVED in (previous, shop.status):
        _reindex_listings(shop)
    return shop


def _listing_pages_changed(shop: Shop) -> None:
    """The shop's name, story or badge show on its listings' pages, kept in a cache."""
    events.publish(ShopShownChanged(shop_id=shop.pk, reindex=False))


def _reindex_listings(shop: Shop) -> None:
    """The shop's listings appear in or leave search with it."""
    events.publish(ShopShownChanged(shop_id=shop.pk, reindex=True))
