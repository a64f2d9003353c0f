"""Forms of the cart, the checkout and the order pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.accounts.phones import normalize_phone
from souk.orders.models import PaymentMethod
from souk.orders.services.cart import MAX_QUANTITY


class CartQuantityForm(forms.Form):
    product = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The variant chosen, for a listing sold by variant.
    variant = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    # Absent from a plain "Add to cart" button: one piece.
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY, required=False
    )


class PaymentChoiceForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("How do you want to pay?"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        initial=PaymentMethod.CARD,
    )
    save_address = forms.BooleanField(
        label=_("Keep this address for my next orders"), required=False, initial=True
    )
    # One per checkout page shown: the same form posted twice makes one order.
    checkout_token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)


class GuestContactForm(forms.Form):
    """Who buys without an account: where the order's link and notices go."""

    guest_email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the link to your order here."),
    )
    guest_phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("For the carrier, and the order's news by SMS."),
    )

    def clean_guest_email(self) -> str:
        return str(self.cleaned_data["guest_email"]).strip().lower()

    def clean_guest_phone(self) -> str:
        return normalize_phone(str(self.cleaned_data["guest_phone"]))


class GuestAccountForm(forms.Form):
    """After a guest's payment: an account with the email they gave, and just a password."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password1(self) -> str:
        password = str(self.cleaned_data["password1"])
        password_validation.validate_password(password, self.user)
        return password
