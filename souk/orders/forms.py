"""Forms of the cart, the checkout and the order pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
