"""Someone acting on another account's behalf, with its consent, for the current request.

Support's assisted mode (docs/support.md) lets an advisor prepare an artisan's shop: for the
request, the artisan is `request.user` and the advisor is named here. Lower apps cannot import
support, so this ground-floor module carries the fact down to them:

- `audit.record` adds `assisted_by` (the advisor's account) and `assistance` (the consent's id)
  to every entry written while someone acts for another;
- the services and pages that must never be used on someone's behalf (the payout destination,
  KYC documents, money and bank offers) call `refuse_when_assisted()`, which raises a 403
  DomainError with a translated message. The check sits in the service or page itself, not in
  a link that is hidden.
- the pages an advisor may open for the artisan are one list, registered by support at start-up
  (`allow_pages`); the middleware refuses every other page with it and the templates ask
  `may_open(page)` (the `may_open` filter of `{% load delegation %}`) before showing a button,
  so a button shown while acting is one that works.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


@dataclass(frozen=True)
class Acting:
    """Who acts (`advisor_id`, an account) for whom (`artisan_id`), under which consent."""

    advisor_id: int
    artisan_id: int
    assistance_id: int


_current: ContextVar[Acting | None] = ContextVar("souk_acting", default=None)


class ForbiddenWhenAssisted(DomainError):
    code = "forbidden_when_assisted"
    http_status = 403
    message = _(
        "An advisor acting for an artisan may not do this: only the artisan can, from their "
        "own account."
    )


# What an advisor acting for an artisan is told on each forbidden page or action.
PAYOUT_REFUSED = _(
    "Only the artisan can see or change where their earnings are paid, from their own account."
)
KYC_REFUSED = _("Only the artisan and the moderators can see or send the identity documents.")
MONEY_REFUSED = _("Only the artisan can see their earnings and move their money.")
BANK_REFUSED = _(
    "Only the artisan can look at the bank offers and share their figures with a bank."
)


# The pages (URL names) an advisor acting for an artisan may open: support's allow-list.
_allowed_pages: frozenset[str] = frozenset()


def allow_pages(names: frozenset[str]) -> None:
    """Register the pages an acting advisor may open (support's app, at start-up)."""
    global _allowed_pages
    _allowed_pages = frozenset(names)


def may_open(page: str) -> bool:
    """Whether the page (a URL name such as "orders:artisan_accept") may be used in this
    request: always when nobody acts for another, else only the registered pages."""
    return _current.get() is None or page in _allowed_pages


def current() -> Acting | None:
    """Who acts for whom in this request, or None."""
    return _current.get()


@contextlib.contextmanager
def acting(who: Acting) -> Iterator[Acting]:
    """Everything inside is done by `who.advisor_id` for `who.artisan_id`."""
    token = _current.set(who)
    try:
        yield who
    finally:
        _current.reset(token)


def refuse_when_assisted(message: str | Promise | None = None) -> None:
    """Raise ForbiddenWhenAssisted when someone acts for another in this request."""
    if _current.get() is not None:
        raise ForbiddenWhenAssisted(message)


def audit_data() -> dict[str, int]:
    """What the audit log adds to an entry written while someone acts for another."""
    who = _current.get()
    if who is None:
        return {}
    return {"assisted_by": who.advisor_id, "assistance": who.assistance_id}
