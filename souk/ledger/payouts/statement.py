"""The monthly statement of a shop as a PDF, in the reader's language (Arabic shaped, right to
left), built with core.pdf: opening and closing available balance and each movement."""

from __future__ import annotations

import datetime

from django.utils import formats, translation
from django.utils.translation import gettext as _

from souk.core.money import Money, format_money_for_language
from souk.core.pdf import PdfDocument
from souk.ledger import partners
from souk.ledger.partner_checks import COLLECTED_CODES
from souk.ledger.payouts import selectors
from souk.ledger.payouts.labels import movement_label
from souk.ledger.payouts.selectors import Movement
from souk.shops.models import Shop


def _money(amount: Money | None, language: str) -> str:
    return "" if amount is None else format_money_for_language(amount, language)


def _advance_lines(shop: Shop, movements: list[Movement], language: str) -> list[tuple[str, str]]:
    """What was withheld this month for bank advances, and what is still owed today."""
    _collected, owed = partners.get_shop_claims_owed(shop_id=shop.pk)
    withheld: int = 0
    for movement in movements:
        if movement.code in COLLECTED_CODES and movement.available_change is not None:
            withheld -= movement.available_change.amount
    if not owed and not withheld:
        return []
    return [
        (_("Withheld for bank advances this month"), _money(Money(withheld, "MAD"), language)),
        (_("Still to repay on bank advances today"), _money(Money(owed, "MAD"), language)),
    ]


def monthly_statement(*, shop: Shop, year: int, month: int, language: str) -> bytes:
    """The statement of `shop` for one month (A4)."""
    statement = selectors.get_monthly_statement(shop_id=shop.pk, year=year, month=month)
    with translation.override(language):
        period = formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
        title = _("Statement for %(period)s") % {"period": period}
        document = PdfDocument(title=title, language=language)
        document.heading(title)
        document.key_values(
            [
                (_("Shop"), shop.display_name),
                (_("Register number"), shop.register_entry.register_number),
                (
                    _("Available at the start of the month"),
                    _money(statement.opening_available, language),
                ),
                (
                    _("Available at the end of the month"),
                    _money(statement.closing_available, language),
                ),
                *_advance_lines(shop, statement.movements, language),
            ]
        )
        document.heading(_("Movements"), level=2)
        if statement.movements:
            document.table(
                headers=[_("Date"), _("Movement"), _("In escrow"), _("Available")],
                rows=[
                    [
                        formats.date_format(movement.at, "SHORT_DATE_FORMAT"),
                        movement_label(movement),
                        _money(movement.escrow_change, language),
                        _money(movement.available_change, language),
                    ]
                    for movement in statement.movements
                ],
                widths=(2, 6, 2.5, 2.5),
            )
        else:
            document.paragraph(_("No movement this month."))
        document.paragraph(
            _(
                "Available is what Souk owes you, less what you owe Souk after refunds. Money "
                "in escrow becomes available when the buyer has the parcel."
            )
        )
        return document.output()
