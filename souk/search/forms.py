"""The GET parameters of the search and browse pages."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from souk.catalog import materials as vocabulary
from souk.core.addresses import country_choices
from souk.core.widgets import LongSelect
from souk.search.backends.base import CENTIMES_PER_MAD, Availability, SearchFilters, Sort
from souk.shipping import selectors as shipping


def ships_to_choices() -> list[tuple[str, str]]:
    """Any country, then every country in the active language, Morocco, France, Spain and the
    USA first (the buyers' likely ones)."""
    return [("", str(_("Anywhere"))), *country_choices()]


class _Kept(forms.Widget):
    """A widget of the listing's filter form rendered once per language, name, value and
    attributes, and kept in the process: the form is the same on most pages (empty prices,
    any availability) and Django renders a widget through templates (0.1-2 ms each). Only
    values of a known few are kept (`_keeps`): an empty one, or one of a select's choices."""

    _kept: ClassVar[dict[str, SafeString]] = {}
    _KEPT_MOST = 2048

    def _keeps(self, value: Any) -> bool:
        return value in (None, "")

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if not self._keeps(value):
            return super().render(name, value, attrs, renderer)
        key = repr((type(self).__name__, get_language(), name, value, self.attrs, attrs))
        html = self._kept.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._kept) < self._KEPT_MOST:
                self._kept[key] = html
        return html


class _KeptNumberInput(_Kept, forms.NumberInput):
    pass


class _KeptTextInput(_Kept, forms.TextInput):
    pass


class _KeptSelect(_Kept, forms.Select):
    def _keeps(self, value: Any) -> bool:
        return value in (None, "") or str(value) in {str(choice) for choice, _label in self.choices}


class ShipsToSelect(_Kept, LongSelect):
    """The ships-to <select>: some 250 countries, the same for every page of a language but
    for the one chosen (2 ms a page when rendered each time)."""

    def _keeps(self, value: Any) -> bool:
        # A country code, or anything short: the select is the same but for the one chosen.
        return value is None or len(str(value)) <= 3

    def use_required_attribute(self, initial: Any) -> bool:
        """As Select's (its first choice, "Anywhere", is empty), without going through the
        250 choices on every page to find it out."""
        return not self.is_hidden


SORT_CHOICES = [
    (Sort.RELEVANCE, _("Relevance")),
    (Sort.NEWEST, _("Newest")),
    (Sort.PRICE_ASCENDING, _("Price: low to high")),
    (Sort.PRICE_DESCENDING, _("Price: high to low")),
]


# Far above any piece's price, and far below what a database integer holds once in centimes:
# a larger number is dropped by the form (with a notice) instead of overflowing the query.
MAX_PRICE_MAD = 1_000_000_000
PRICE_ERRORS = {
    "invalid": _("Enter a price as a whole number of dirhams, e.g. 250."),
    "min_value": _("Enter a price of at least %(limit_value)s MAD."),
    "max_value": _("Enter a price of at most %(limit_value)s MAD."),
}


# A longer query is cut to this many characters (with a notice) rather than refused.
MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """The parameters of a listing page. A parameter that cannot be read is dropped, the
    others kept (the words above all), and the page says which (`dropped`); a query longer
    than MAX_QUERY_LENGTH is cut (`was_cut`)."""

    q = forms.CharField(label=_("Search"), required=False)
    sector = forms.CharField(max_length=3, required=False)
    trade = forms.CharField(max_length=8, required=False)
    region = forms.CharField(max_length=2, required=False)
    price_min = forms.IntegerField(
        label=_("Price from (MAD)"),
        min_value=0,
        max_value=MAX_PRICE_MAD,
        required=False,
        error_messages=PRICE_ERRORS,
        widget=_KeptNumberInput,
    )
    price_max = forms.IntegerField(
        label=_("Price below (MAD)"),
        min_value=1,
        max_value=MAX_PRICE_MAD,
        required=False,
        error_messages=PRICE_ERRORS,
        widget=_KeptNumberInput,
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[
            (Availability.ANY, _("Any")),
            (Availability.IN_STOCK, _("In stock")),
            (Availability.MADE_TO_ORDER, _("Made to order")),
        ],
        widget=_KeptSelect,
    )
    material = forms.CharField(
        label=_("Material"), max_length=60, required=False, widget=_KeptTextInput
    )
    # A country, filtered by its shipping zone: some carrier can take one piece there.
    ships_to = forms.ChoiceField(
        label=_("Ships to"), required=False, choices=ships_to_choices, widget=ShipsToSelect
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    after = forms.CharField(max_length=200, required=False)
    # "0": search the words as typed, without correcting them (the "search instead" link).
    spell = forms.CharField(max_length=1, required=False)

    def __init__(self, data: Any = None) -> None:
        self.was_cut = False
        if data is not None and len(data.get("q") or "") > MAX_QUERY_LENGTH:
            data = data.copy()
            data["q"] = data["q"][:MAX_QUERY_LENGTH]
            self.was_cut = True
        super().__init__(data)

    def clean_material(self) -> str:
        """A code of the materials vocabulary ("olivewood") or a name of one in any language
        ("bois d'olivier", "خشب الزيتون") is searched by its English name, which the
        thesaurus knows; other words are searched as typed (souk/catalog/materials.py)."""
        value = " ".join(str(self.cleaned_data.get("material") or "").split())
        code = vocabulary.find_code(value) if value else None
        material = vocabulary.get_material(code) if code else None
        return material.name("en") if material is not None else value

    def _data(self) -> dict[str, Any]:
        """The values that could be read; those that could not are left out."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def dropped(self) -> list[str]:
        """The parameters given that could not be read, in the form's order."""
        self.is_valid()
        return [name for name in self.fields if name in self.errors]

    def filters(self) -> SearchFilters:
        """The filters the form could read; invalid values are dropped rather than refused."""
        data = self._data()
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

    def query(self) -> str:
        return str(self._data().get("q") or "")

    def chosen_sort(self) -> str:
        return str(self._data().get("sort") or "")

    def cursor_token(self) -> str:
        return str(self._data().get("after") or "")

    def corrects_spelling(self) -> bool:
        return self._data().get("spell") != "0"


def sort_choices(query: str) -> list[tuple[str, str]]:
    """The orders to offer: relevance only when there are words to be relevant to."""
    return [
        (value, str(label))
        for value, label in SORT_CHOICES
        if value != Sort.RELEVANCE or query.strip()
    ]
