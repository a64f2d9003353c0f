"""LongSelect writes the markup Django's Select would, without a template per option."""

from __future__ import annotations

from django import forms

from souk.core.widgets import LongSelect


class CountryForm(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "Anywhere"), ("MA", "Maroc"), ("US", "<États-Unis>")],
        widget=LongSelect(attrs={"autocomplete": "country"}),
    )


def test_the_chosen_option_is_selected_and_every_label_escaped():
    html = str(CountryForm({"country": "US"})["country"])
    assert html.startswith(
        '<select autocomplete="country" id="id_country" name="country" required>'
    )
    assert '<option value="MA">Maroc</option>' in html
    assert '<option value="US" selected>&lt;États-Unis&gt;</option>' in html
    assert html.count("selected") == 1


def test_without_a_value_the_empty_choice_is_selected_as_django_does():
    html = str(CountryForm()["country"])
    assert '<option value="" selected>Anywhere</option>' in html
    assert html.count("selected") == 1
