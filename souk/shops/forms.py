"""Forms of the shop pages. They parse and show errors beside fields; services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from souk.core.machine import Actor
from souk.registry.models import Region, Trade
from souk.shops import selectors, validators
from souk.shops.models import (
    SHOP_MACHINE,
    KycKind,
    Language,
    MemberRole,
    PayoutMethod,
    Shop,
)


class NamedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs are generic
    """Regions and trades listed by their name in the visitor's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _story_field(label: str | Any, direction: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": direction}),
    )


class ShopProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Shop name"), max_length=120)
    story_ar = _story_field(_("Your story in Arabic"), "rtl")
    story_fr = _story_field(_("Your story in French"), "ltr")
    story_en = _story_field(_("Your story in English"), "ltr")
    story_es = _story_field(_("Your story in Spanish"), "ltr")
    workshop_city = forms.CharField(label=_("City of the workshop"), max_length=100, required=False)
    region = NamedChoiceField(label=_("Region"), queryset=Region.objects.order_by("code"))
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages you speak with buyers"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trades = NamedMultipleChoiceField(
        label=_("Your trades"),
        queryset=Trade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your registered trade is always included; add others of the same sector."),
    )

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registered = shop.register_entry.trade
        trades_field = cast(NamedMultipleChoiceField, self.fields["trades"])
        # The sector's active trades, and the registered one even if the register dropped it.
        trades_field.queryset = Trade.objects.filter(
            Q(sector_id=registered.sector_id, is_active=True) | Q(pk=registered.pk)
        ).order_by("code")

    @staticmethod
    def initial_for(shop: Shop) -> dict[str, Any]:
        # A name and city waiting for review are what the artisan last asked for: shown, so
        # that saving the form for another field does not withdraw them.
        pending = selectors.get_pending_identity_change(shop)
        return {
            "display_name": pending.display_name if pending else shop.display_name,
            "story_ar": shop.story_ar,
            "story_fr": shop.story_fr,
            "story_en": shop.story_en,
            "story_es": shop.story_es,
            "workshop_city": pending.workshop_city if pending else shop.workshop_city,
            "region": shop.region_id,
            "languages_spoken": shop.languages_spoken,
            "trades": [trade.pk for trade in shop.trades.all()],
        }


class PayoutForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Receive my earnings on"), choices=PayoutMethod.choices, widget=forms.RadioSelect
    )
    rib = forms.CharField(
        label=_("RIB (24 digits)"),
        required=False,
        max_length=40,
        help_text=_("As printed on your bank's RIB; spaces are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )
    wallet_phone = forms.CharField(
        label=_("Mobile number of the wallet"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        method = cleaned.get("method")
        try:
            if method == PayoutMethod.RIB:
                cleaned["rib"] = validators.normalize_rib(cleaned.get("rib", ""))
            elif method == PayoutMethod.WALLET:
                cleaned["wallet_phone"] = validators.normalize_wallet_phone(
                    cleaned.get("wallet_phone", "")
                )
        except ValidationError as error:
            self.add_error("rib" if method == PayoutMethod.RIB else "wallet_phone", error)
        return cleaned


class KycDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=KycKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, or a photo (JPEG or PNG), up to 10 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class MemberForm(forms.Form):
    login = forms.CharField(
        label=_("Their email address or phone number"),
        max_length=254,
        help_text=_("The person must already have a Souk account."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    public_name = forms.CharField(
        label=_("Name shown to buyers"),
        required=False,
        max_length=150,
        help_text=_("Leave empty to use the name of their account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason, for the artisan"),
        required=False,
        max_length=2000,
        help_text=_(
            "Required to request changes, reject or suspend. The artisan reads it as written."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action_field = cast(forms.ChoiceField, self.fields["action"])
        action_field.choices = [
            (transition.action, transition.label)
            for transition in SHOP_MACHINE.allowed(shop.status, Actor.MODERATOR)
        ]
