"""The GET parameters of the search and browse pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.core.widgets import LongSelect
from souk.orders.addresses import country_choices
from souk.search.backends.base import CENTIMES_PER_MAD, Availability, SearchFilters, Sort
from souk.shipping import selectors as shipping


def ships_to_choices() -> list[tuple[str, str]]:
    """Any country, then every country in the active language, Morocco, France, Spain and the
    USA first (the buyers' likely ones)."""
    return [("", str(_("Anywhere"))), *country_choices()]


SORT_CHOICES = [
    (Sort.RELEVANCE, _("Relevance")),
    (Sort.NEWEST, _("Newest")),
    (Sort.PRICE_ASCENDING, _("Price: low to high")),
    (Sort.PRICE_DESCENDING, _("Price: high to low")),
]


# Far above any piece's price, and far below what a database integer holds once in centimes:
# a larger number is refused by the form instead of overflowing the query.
MAX_PRICE_MAD = 1_000_000_000
PRICE_ERRORS = {
    "invalid": _("Enter a price as a whole number of dirhams, e.g. 250."),
    "min_value": _("Enter a price of at least %(limit_value)s MAD."),
    "max_value": _("Enter a price of at most %(limit_value)s MAD."),
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    sector = forms.CharField(max_length=3, required=False)
    trade = forms.CharField(max_length=8, required=False)
    region = forms.CharField(max_length=2, required=False)
    price_min = forms.IntegerField(
        label=_("Price from (MAD)"),
        min_value=0,
        max_value=MAX_PRICE_MAD,
        required=False,
        error_messages=PRICE_ERRORS,
    )
    price_max = forms.IntegerField(
        label=_("Price below (MAD)"),
        min_value=1,
        max_value=MAX_PRICE_MAD,
        required=False,
        error_messages=PRICE_ERRORS,
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[
            (Availability.ANY, _("Any")),
            (Availability.IN_STOCK, _("In stock")),
            (Availability.MADE_TO_ORDER, _("Made to order")),
        ],
    )
    material = forms.CharField(label=_("Material"), max_length=60, required=False)
    # A country, filtered by its shipping zone: some carrier can take one piece there.
    ships_to = forms.ChoiceField(
        label=_("Ships to"), required=False, choices=ships_to_choices, widget=LongSelect
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    after = forms.CharField(max_length=200, required=False)

    def filters(self) -> SearchFilters:
        """The filters of a valid form; invalid values are dropped rather than refused."""
        data = self.cleaned_data if self.is_valid() else {}
        price_min = data.get("price_min")
        price_max = data.get("price_max")
        return SearchFilters(
            sector_code=data.get("sector") or "",
            trade_code=data.get("trade") or "",
            region_code=data.get("region") or "",
            min_price_amount=price_min * CENTIMES_PER_MAD if price_min is not None else None,
            max_price_amount=price_max * CENTIMES_PER_MAD if price_max is not None else None,
            availability=data.get("availability") or Availability.ANY,
            material=data.get("material") or "",
            ships_to_zone=(
                shipping.get_zone_for_country(data["ships_to"]) if data.get("ships_to") else ""
            ),
        )

    def has_bad_number(self) -> bool:
        """True when a number filter was given but cannot be read: the page says so with a
        400, beside the field, instead of silently showing every work."""
        return any(name in self.errors for name in NUMBER_FIELDS)

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""

    def chosen_sort(self) -> str:
        return str(self.cleaned_data.get("sort") or "") if self.is_valid() else ""

    def cursor_token(self) -> str:
        return str(self.cleaned_data.get("after") or "") if self.is_valid() else ""


NUMBER_FIELDS = ("price_min", "price_max")


def sort_choices(query: str) -> list[tuple[str, str]]:
    """The orders to offer: relevance only when there are words to be relevant to."""
    return [
        (value, str(label))
        for value, label in SORT_CHOICES
        if value != Sort.RELEVANCE or query.strip()
    ]
