"""Forms of the account pages. They parse and validate; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from souk.accounts.errors import LoginThrottled
from souk.accounts.models import User
from souk.accounts.phones import normalize_phone


class LoginForm(AuthenticationForm):
    """Django's login form, asking for an email address or a phone number."""

    username = forms.CharField(
        label=_("Email or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "This email or phone number and password do not match an account. "
            "Passwords are case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.throttled: LoginThrottled | None = None

    def clean(self) -> dict[str, Any]:
        # The backend refuses a throttled attempt by raising; shown here as the form's error so
        # that the page keeps its form (the view answers 429).
        try:
            return super().clean()
        except LoginThrottled as refusal:
            self.throttled = refusal
            raise forms.ValidationError(str(refusal.message), code=refusal.code) from refusal


class SignUpForm(forms.Form):
    """A buyer's account. Artisans sign up on their own path (souk.onboarding), which claims
    their register entry and checks their phone on the way."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The example is isolated left-to-right, or Arabic text would reverse its digit groups.
        self.fields["phone"].help_text = format_html(
            gettext("A Moroccan number ({example}) or an international one starting with +."),
            example=mark_safe('<bdi dir="ltr">06 12 34 56 78</bdi>'),  # a constant, no user input
        )

    def clean_email(self) -> str | None:
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            return None
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account already uses this email address."))
        return email

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data.get("phone") or ""
        if not raw.strip():
            return None
        phone = normalize_phone(raw)
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("An account already uses this phone number."))
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, phone = cleaned.get("email"), cleaned.get("phone")
        no_contact = not email and not phone
        if no_contact and "email" not in self.errors and "phone" not in self.errors:
            raise forms.ValidationError(_("Give an email address or a phone number (or both)."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are different."))
        elif password1:
            candidate = User(email=email, phone=phone, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    preferred_currency = forms.ChoiceField(
        label=_("Currency for prices"),
        choices=[(code, code) for code in settings.SOUK_CURRENCIES],
    )


class CurrencyForm(forms.Form):
    currency = forms.ChoiceField(choices=[(code, code) for code in settings.SOUK_CURRENCIES])
    next = forms.CharField(required=False)
