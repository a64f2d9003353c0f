"""What an account's change tells people: a changed email address or phone number, told to the
one it replaced. Called inside the change's transaction: the copies go only once it commits."""

from __future__ import annotations

from souk.accounts.models import User
from souk.notifications import services as notifications
from souk.notifications.dates import moment_text
from souk.notifications.models import Channel


def contact_changed(*, user: User, old_email: str | None, old_phone: str | None) -> None:
    """Tell the old email address and phone number of `user` that they were replaced.

    Whoever changed them (an administrator, or someone who took the account over) now receives
    the password resets: the owner learns of it where they can still be reached. The notice is
    also kept on the account's notifications page. Does nothing when neither changed.
    """
    email_changed = bool(old_email) and old_email != user.email
    phone_changed = bool(old_phone) and old_phone != user.phone
    if not (email_changed or phone_changed):
        return
    language = user.preferred_language or "fr"
    changed_at = moment_text(None, language)
    context = {
        "account": user.full_name or "",
        "changed_at": changed_at,
        "email_changed": email_changed,
        "phone_changed": phone_changed,
    }
    notifications.notify_former_contact(
        kind="contact_changed",
        context=context,
        language=language,
        email=old_email if email_changed else None,
        phone=old_phone if phone_changed else None,
    )
    notifications.notify(
        recipient=user, kind="contact_changed", context=context, channels=frozenset[Channel]()
    )
