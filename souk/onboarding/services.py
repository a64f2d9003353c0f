"""Use cases of the artisan's path (docs/artisan-path.md): sign up with the claim, prove the
phone with a texted code, keep the first piece's draft, send the first piece for review.

Each owns its transaction. Other apps are reached through their services.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.catalog import photo_services
from souk.catalog import services as catalog
from souk.catalog.models import Product
from souk.core.gallery.errors import GalleryError
from souk.notifications import sms
from souk.onboarding import selectors
from souk.onboarding.errors import (
    CodeExpired,
    NoShopYet,
    PhotoMissing,
    ResendTooSoon,
    TooManyCodes,
    WrongCode,
)
from souk.onboarding.models import PhoneCheck, PieceDraft
from souk.registry import services as registry
from souk.registry.errors import ClaimRefused, ClaimsThrottled
from souk.shops import files
from souk.shops import services as shops
from souk.support import services as support

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
MAX_WRONG_CODES = 5
MAX_CODES_SENT = 5
_CODE_DIGITS = 6


def _digest(user_id: int, code: str) -> str:
    return salted_hmac("souk.onboarding.phone_code", f"{user_id}:{code}").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**_CODE_DIGITS):0{_CODE_DIGITS}d}"


def _text_code(*, phone: str, code: str, language: str) -> None:
    with translation.override(language):
        text = gettext("Souk: your code is %(code)s. It expires in 10 minutes.") % {"code": code}
    message_id = sms.get_sms_backend().send(to=phone, text=text)
    logger.info("Phone code texted as %s", message_id)


def _send_code(check: PhoneCheck, *, language: str) -> None:
    code = _new_code()
    check.code_digest = _digest(check.user_id, code)
    check.expires_at = check.sent_at + CODE_LIFETIME
    transaction.on_commit(partial(_text_code, phone=check.phone, code=code, language=language))


def sign_up_as_artisan(
    *,
    phone: str,
    password: str,
    register_number: str,
    cin: str,
    ip_address: str | None,
    language: str,
    currency: str | None = None,
    password_hash: str = "",
) -> User:
    """Open an artisan's account from one screen: the account, the claim of their register
    entry, their shop sent for review and a code texted to their phone, all or nothing.

    Preconditions: `phone` is normalised and free (the form checks). A refused claim keeps
    nothing but the refused attempt, counted against the address (the registry's throttle),
    written once the sign-up's transaction is rolled back. `password_hash`, when given, is the
    password typed before an error (views.start keeps it hashed) and `password` is then "".
    """
    retry_at = registry.sign_up_claim_retry_at(ip_address=ip_address, now=timezone.now())
    if retry_at is not None:
        raise ClaimsThrottled(retry_at=retry_at)
    try:
        with transaction.atomic():
            # Named from the register once the claim found the entry, a few lines below.
            user = accounts.register_user(
                full_name=phone,
                phone=phone,
                password=password,
                role=Role.ARTISAN,
                preferred_language=language,
                preferred_currency=currency,
            )
            entry = registry.claim_register_entry(
                user=user,
                register_number=register_number,
                cin=cin,
                ip_address=ip_address,
                language=language,
            )
            user.full_name = entry.name_in(language)[:150]
            if password_hash:
                user.password = password_hash
            user.save(update_fields=["full_name", "password"])
            _send_own_shop_for_review(user)
            check = PhoneCheck(user=user, phone=phone)
            _send_code(check, language=language)
            check.save()
    except ClaimRefused:
        registry.record_refused_sign_up_claim(
            register_number=register_number, ip_address=ip_address
        )
        raise
    return user


def _send_own_shop_for_review(user: User) -> None:
    shop = selectors.get_own_shop(user)
    if shop is not None:
        shops.send_claimed_shop_for_review(shop=shop, actor=user)


def claim_as_signed_in(
    *, user: User, register_number: str, cin: str, ip_address: str | None, language: str
) -> None:
    """A signed-in account (a buyer who also makes things) claims its entry; the shop goes to
    review at once, as at sign-up.

    Two transactions, so that a refused claim stays counted by the registry's throttle; the
    shop left a draft by a failure in between is sent with the first piece.
    """
    registry.claim_register_entry(
        user=user,
        register_number=register_number,
        cin=cin,
        ip_address=ip_address,
        language=language,
    )
    _send_own_shop_for_review(user)


def resend_code(*, user: User, language: str) -> PhoneCheck:
    """Text a new code (the old one stops working), at most once a minute, MAX_CODES_SENT in
    all."""
    with transaction.atomic():
        check = PhoneCheck.objects.select_for_update().get(user=user)
        now = timezone.now()
        if check.is_verified:
            return check
        if check.send_count >= MAX_CODES_SENT:
            raise TooManyCodes()
        if now - check.sent_at < RESEND_AFTER:
            raise ResendTooSoon()
        check.sent_at = now
        check.send_count += 1
        check.failed_attempts = 0
        _send_code(check, language=language)
        check.save()
        return check


def confirm_phone(*, user: User, code: str) -> PhoneCheck:
    """Mark the phone verified when `code` is the last one texted, unexpired, within
    MAX_WRONG_CODES tries; a wrong code is counted (in its own transaction) and refused."""
    typed = "".join(code.split())
    with transaction.atomic():
        check = PhoneCheck.objects.select_for_update().get(user=user)
        if check.is_verified:
            return check
        now = timezone.now()
        if now > check.expires_at or check.failed_attempts >= MAX_WRONG_CODES:
            raise CodeExpired()
        if hmac.compare_digest(check.code_digest, _digest(user.pk, typed)):
            check.verified_at = now
            check.save(update_fields=["verified_at"])
            support.refresh_progress(artisan_ids=[user.pk])
            return check
        check.failed_attempts += 1
        check.save(update_fields=["failed_attempts"])
    raise WrongCode()


def save_piece_draft(*, user: User, values: dict[str, Any], photo: File[bytes] | None) -> None:
    """Keep what was typed for the first piece (and the photo, once it passed the photo check,
    re-encoded without its metadata) so that leaving, or a mistake, loses nothing. A refused
    photo's error is raised after the rest was kept."""
    refusal: GalleryError | None = None
    prepared = None
    if photo is not None:
        try:
            prepared = files.prepare_photo(photo)
        except GalleryError as error:
            refusal = error
    with transaction.atomic():
        draft, _created = PieceDraft.objects.select_for_update().get_or_create(user=user)
        draft.values = {key: "" if value is None else str(value) for key, value in values.items()}
        draft.updated_at = timezone.now()
        old_photo = draft.photo.name if prepared is not None and draft.photo else ""
        if prepared is not None:
            draft.photo.save("photo.webp", ContentFile(prepared.content), save=False)
        draft.save()
        if old_photo:
            storage = draft.photo.storage
            transaction.on_commit(partial(storage.delete, old_photo))
    if refusal is not None:
        raise refusal


@dataclass(frozen=True, slots=True)
class SentPiece:
    product: Product


def send_first_piece(*, user: User, details: catalog.ProductDetails) -> SentPiece:
    """Create the listing from the draft's photo and `details` and send it for review; the
    draft is deleted once committed. Raises PhotoMissing when the draft has no photo."""
    shop = selectors.get_own_shop(user)
    if shop is None:
        raise NoShopYet()
    draft = PieceDraft.objects.filter(user=user).first()
    if draft is None or not draft.photo:
        raise PhotoMissing()
    with transaction.atomic():
        _send_own_shop_for_review(user)
        shop.refresh_from_db()
        product = catalog.create_product(shop=shop, actor=user, details=details)
        with draft.photo.open("rb") as photo:
            photo_services.add_product_photo(product=product, actor=user, upload=File(photo))
        product = catalog.submit_product(product=product, actor=user)
        photo_name, storage = draft.photo.name, draft.photo.storage
        draft.delete()
        transaction.on_commit(partial(storage.delete, photo_name))
    return SentPiece(product=product)
